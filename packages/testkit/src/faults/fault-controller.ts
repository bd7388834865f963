import { TestkitOptionsError } from '../errors.js';
import type { EntryErrorFault, Fault, FaultFilter, FaultRuleHandle, RateFaultRule, RequestFault, ScriptedFaultRule } from './fault-types.js';
import { SeededRandom } from './prng.js';

interface Rule extends FaultRuleHandle {
  readonly fault: Fault;
  readonly operations: ReadonlySet<string> | undefined;
  readonly streamName: string | undefined;
  readonly shardId: string | undefined;
  /** Undefined for a scripted rule. */
  readonly probability: number | undefined;
  remaining: number;
  hits: number;
}

/** What the request faults decided for one request. */
export interface RequestFaultDecision {
  /** Added latency in ms (0 when none). */
  latencyMs: number;
  /** The outcome fault, if any (never a latency fault). */
  outcome: Exclude<RequestFault, { type: 'latency' }> | undefined;
}

const NO_FAULT: RequestFaultDecision = Object.freeze({ latencyMs: 0, outcome: undefined });
const FAULT_TYPES = new Set(['error', 'latency', 'hang', 'reset', 'lostResponse', 'entryError']);

function validateFault(fault: Fault): void {
  if (typeof fault !== 'object' || fault === null || !FAULT_TYPES.has((fault as { type: string }).type)) {
    throw new TestkitOptionsError(`fault.type must be one of ${[...FAULT_TYPES].join(', ')}, received ${JSON.stringify((fault as { type?: unknown } | null)?.type)}`);
  }
  const checkMs = (name: string, value: unknown): void => {
    if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
      throw new TestkitOptionsError(`fault.${name} must be a number of milliseconds ≥ 0, received ${String(value)}`);
    }
  };
  const checkStatus = (value: unknown): void => {
    if (value !== undefined && (typeof value !== 'number' || !Number.isInteger(value) || value < 400 || value > 599)) {
      throw new TestkitOptionsError(`fault.status must be an HTTP error status between 400 and 599, received ${String(value)}`);
    }
  };
  switch (fault.type) {
    case 'error':
      if (typeof fault.errorType !== 'string' || fault.errorType === '') throw new TestkitOptionsError('fault.errorType must be a non-empty string, e.g. "InternalFailure"');
      checkStatus(fault.status);
      break;
    case 'latency':
      checkMs('ms', fault.ms);
      if (fault.maxMs !== undefined) {
        checkMs('maxMs', fault.maxMs);
        if (fault.maxMs < fault.ms) throw new TestkitOptionsError(`fault.maxMs must be ≥ fault.ms (${fault.ms}), received ${fault.maxMs}`);
      }
      break;
    case 'hang':
      if (fault.ms !== undefined) checkMs('ms', fault.ms);
      if (fault.then !== undefined && fault.then !== 'drop' && fault.then !== 'apply') {
        throw new TestkitOptionsError(`fault.then must be "drop" or "apply", received ${JSON.stringify(fault.then)}`);
      }
      break;
    case 'lostResponse':
      if (fault.via !== undefined && fault.via !== 'error' && fault.via !== 'reset') {
        throw new TestkitOptionsError(`fault.via must be "error" or "reset", received ${JSON.stringify(fault.via)}`);
      }
      checkStatus(fault.status);
      break;
    case 'entryError':
      if (typeof fault.errorCode !== 'string' || fault.errorCode === '') {
        throw new TestkitOptionsError('fault.errorCode must be a non-empty string, e.g. "InternalFailure"');
      }
      break;
    case 'reset':
      break;
  }
}

/**
 * Fault injection, scripted ("the next N matching requests/entries do X", consumed in the order the
 * rules were added) or by rate (a probability per matching request/entry, drawn from a seeded PRNG,
 * so a run with the same seed and the same request order injects the same faults).
 * Latency rules combine with one outcome rule; a scripted rule wins over rate rules of its kind.
 */
export class FaultController {
  private readonly rules: Rule[] = [];
  private readonly random: SeededRandom;
  private nextId = 1;
  private entryRuleCount = 0;

  constructor(seed: number) {
    this.random = new SeededRandom(seed);
  }

  /** Adds a scripted rule: the next `count` (default 1) matching requests or entries get the fault. */
  script(rule: ScriptedFaultRule): FaultRuleHandle {
    const count = rule.count ?? 1;
    if (!Number.isInteger(count) || count < 1) throw new TestkitOptionsError(`count must be an integer ≥ 1, received ${String(count)}`);
    return this.add(rule, count, undefined);
  }

  /** Adds a rate rule: each matching request or entry gets the fault with `probability` (0–1). */
  rate(rule: RateFaultRule): FaultRuleHandle {
    const probability = rule.probability;
    if (typeof probability !== 'number' || !(probability >= 0 && probability <= 1)) {
      throw new TestkitOptionsError(`probability must be a number between 0 and 1, received ${String(probability)}`);
    }
    return this.add(rule, Infinity, probability);
  }

  /** Removes every rule (scripted and rate). */
  clear(): void {
    for (const rule of this.rules) rule.remaining = 0;
    this.rules.length = 0;
    this.entryRuleCount = 0;
  }

  /** Restarts the PRNG from `seed` (rules are kept). */
  reseed(seed: number): void {
    if (!Number.isInteger(seed) || seed < 0 || seed > 2 ** 32 - 1) throw new TestkitOptionsError(`seed must be an integer between 0 and 4294967295, received ${String(seed)}`);
    this.random.reseed(seed);
  }

  /** Installed rules that can still fire. */
  get activeRules(): readonly FaultRuleHandle[] {
    return this.rules.filter((rule) => rule.remaining > 0);
  }

  /** True when at least one entry rule is installed (lets PutRecords skip per-entry checks). */
  get hasEntryRules(): boolean {
    return this.entryRuleCount > 0;
  }

  /** Decides latency and outcome for one request. */
  forRequest(operation: string, streamName: string | undefined, shardId: string | undefined): RequestFaultDecision {
    if (this.rules.length === this.entryRuleCount) return NO_FAULT;
    const latency = this.pick(false, true, operation, streamName, shardId);
    const outcome = this.pick(false, false, operation, streamName, shardId);
    if (latency === undefined && outcome === undefined) return NO_FAULT;
    let latencyMs = 0;
    if (latency !== undefined && latency.type === 'latency') {
      latencyMs = latency.maxMs === undefined ? latency.ms : latency.ms + this.random.next() * (latency.maxMs - latency.ms);
    }
    return { latencyMs, outcome: outcome as RequestFaultDecision['outcome'] };
  }

  /** Decides the fault for one entry routed to `shardId`, if any. */
  forEntry(operation: string, streamName: string, shardId: string): EntryErrorFault | undefined {
    if (this.entryRuleCount === 0) return undefined;
    return this.pick(true, false, operation, streamName, shardId) as EntryErrorFault | undefined;
  }

  private add(rule: FaultFilter & { fault: Fault }, remaining: number, probability: number | undefined): FaultRuleHandle {
    validateFault(rule.fault);
    const operations = rule.operation === undefined ? undefined : new Set(typeof rule.operation === 'string' ? [rule.operation] : rule.operation);
    const installed: Rule = {
      id: this.nextId++,
      fault: { ...rule.fault },
      operations,
      streamName: rule.streamName,
      shardId: rule.shardId,
      probability,
      remaining,
      hits: 0,
      cancel: () => this.remove(installed),
    };
    this.rules.push(installed);
    if (installed.fault.type === 'entryError') this.entryRuleCount++;
    return installed;
  }

  private remove(rule: Rule): void {
    const index = this.rules.indexOf(rule);
    rule.remaining = 0;
    if (index < 0) return;
    this.rules.splice(index, 1);
    if (rule.fault.type === 'entryError') this.entryRuleCount--;
  }

  private pick(entry: boolean, latency: boolean, operation: string, streamName: string | undefined, shardId: string | undefined): Fault | undefined {
    // Scripted rules first, in the order they were added.
    for (const rule of this.rules) {
      if (rule.probability !== undefined || !this.matches(rule, entry, latency, operation, streamName, shardId)) continue;
      this.use(rule);
      return rule.fault;
    }
    // Then rate rules: each matching rule draws once, so the sequence of draws depends only on the requests.
    let chosen: Fault | undefined;
    for (const rule of this.rules) {
      if (rule.probability === undefined || !this.matches(rule, entry, latency, operation, streamName, shardId)) continue;
      const draw = this.random.next();
      if (chosen === undefined && draw < rule.probability) {
        rule.hits++;
        chosen = rule.fault;
      }
    }
    return chosen;
  }

  private use(rule: Rule): void {
    rule.hits++;
    rule.remaining--;
    if (rule.remaining <= 0) this.remove(rule);
  }

  private matches(rule: Rule, entry: boolean, latency: boolean, operation: string, streamName: string | undefined, shardId: string | undefined): boolean {
    const isEntry = rule.fault.type === 'entryError';
    if (isEntry !== entry) return false;
    if (!entry && (rule.fault.type === 'latency') !== latency) return false;
    if (rule.operations !== undefined && !rule.operations.has(operation)) return false;
    if (rule.streamName !== undefined && rule.streamName !== streamName) return false;
    if (rule.shardId !== undefined && rule.shardId !== shardId) return false;
    return true;
  }
}
