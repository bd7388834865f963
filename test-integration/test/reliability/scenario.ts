/**
 * Runs one cell of the reliability matrix: a fake Kinesis, a real Producer, a paced load with a
 * fault, close(), then every invariant against the ledger, and what the run leaves in memory.
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { Producer, type ProducerOptions } from '@tskpl/producer';
import { startFakeKinesis, type CountersSnapshot, type CreateStreamOptions, type FakeKinesis, type FakeKinesisOptions, type ShardInfo } from '@tskpl/testkit';
import { verifyRun, type FailurePolicy, type RunSummary } from './invariants.js';
import { producerOptions, putLoad, waitAll, type LoadPlan, type TrackedRecord } from './load.js';

setFlagsFromString('--expose-gc');
const collectGarbage = runInNewContext('gc') as () => void;

/** What a scenario's hooks can reach. */
export interface ScenarioContext {
  readonly fake: FakeKinesis;
  readonly producer: Producer;
  readonly streamName: string;
  readonly logs: string[];
  /** Set by a hook that deletes the stream, so the invariants can still judge its shards. */
  shardsBeforeDelete: ShardInfo[] | undefined;
}

/** One cell of the matrix. */
export interface Scenario<Extra> {
  readonly name: string;
  readonly stream: Omit<CreateStreamOptions, 'streamName'>;
  readonly fake?: Omit<FakeKinesisOptions, 'streams'>;
  readonly producer?: ProducerOptions;
  /** Installs faults before the first record. */
  setup?(context: ScenarioContext): void | Promise<void>;
  /** The load; may reach the context for hooks. */
  plan(context: ScenarioContext): LoadPlan;
  /** Called at once after the last put, before close() is awaited (e.g. to see what is in flight). */
  afterPut?(context: ScenarioContext, records: readonly TrackedRecord[]): void | Promise<void>;
  readonly policy: Omit<FailurePolicy, 'recordTtlMs'>;
  /** Scenario-specific figures, computed while the records and the fake are still alive. */
  inspect?(context: ScenarioContext, records: readonly TrackedRecord[], counters: CountersSnapshot): Extra;
}

/** Outcome of {@link runScenario}: the invariants' summary, timings, and references to check for leaks. */
export interface ScenarioRun<Extra> {
  readonly summary: RunSummary;
  readonly extra: Extra;
  readonly counters: CountersSnapshot;
  /** Wall-clock time from the first put until close() resolved, ms. */
  readonly elapsedMs: number;
  /** Outcomes still without a result when close() resolved (must be 0). */
  readonly unsettledAtClose: number;
  /** Held weakly: the producer and a sample of the records' data must be collectable after close. */
  readonly producerRef: WeakRef<Producer>;
  readonly payloadRefs: readonly WeakRef<Uint8Array>[];
}

let streamCounter = 0;

/** Runs a scenario end to end and verifies it. Nothing of the run is held strongly afterwards. */
export async function runScenario<Extra>(scenario: Scenario<Extra>): Promise<ScenarioRun<Extra>> {
  const streamName = `${scenario.name}-${++streamCounter}`;
  const fake = await startFakeKinesis({ ...scenario.fake, streams: [{ streamName, ...scenario.stream }] });
  try {
    const logs: string[] = [];
    const options = producerOptions(fake, logs, scenario.producer);
    const producer = new Producer(options);
    const context: ScenarioContext = { fake, producer, streamName, logs, shardsBeforeDelete: undefined };
    await scenario.setup?.(context);
    const started = Date.now();
    const records = await putLoad(producer, streamName, scenario.plan(context));
    await scenario.afterPut?.(context, records);
    await producer.close();
    const elapsedMs = Date.now() - started;
    let unsettledAtClose = 0;
    for (const record of records) if (record.outcome?.done !== true) unsettledAtClose++;
    await waitAll(records);
    const counters = fake.counters();
    const summary = verifyRun({
      fake,
      streamName,
      shards: context.shardsBeforeDelete ?? fake.stream(streamName)?.shards ?? [],
      records,
      outstandingAfterClose: producer.outstandingRecords,
      policy: { ...scenario.policy, recordTtlMs: options.recordTtlMs ?? 30_000 },
    });
    const extra = scenario.inspect?.(context, records, counters) as Extra;
    const payloadRefs = records.filter((_, index) => index % 97 === 0).map((record) => new WeakRef(record.data));
    return { summary, extra, counters, elapsedMs, unsettledAtClose, producerRef: new WeakRef(producer), payloadRefs };
  } finally {
    await fake.close();
  }
}

/** Heap in use after full garbage collections (WeakRefs are cleared between them), bytes. */
export async function heapAfterGc(): Promise<number> {
  for (let round = 0; round < 3; round++) {
    collectGarbage();
    await new Promise((resolve) => setImmediate(resolve));
  }
  return process.memoryUsage().heapUsed;
}

/**
 * Collects garbage until `ref` is cleared or `timeoutMs` of real time has passed, and returns
 * what it still holds. Sockets and handles the producer closed finish closing on later turns of
 * the event loop (one clean-clone CI run saw a producer still reachable after three immediate
 * rounds, and 15 reruns did not), so the check waits for them; a real leak still holds its
 * target after the timeout.
 */
export async function derefAfterGc<T extends object>(ref: WeakRef<T>, timeoutMs = 1000): Promise<T | undefined> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    collectGarbage();
    await new Promise((resolve) => setImmediate(resolve));
    if (ref.deref() === undefined || Date.now() >= deadline) return ref.deref();
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** Formats a run's figures for the test log. */
export function describeRun(name: string, run: ScenarioRun<unknown>, heapDeltaBytes: number): string {
  const { summary } = run;
  const failed = Object.entries(summary.failedByCode).map(([code, count]) => `${code}×${count}`).join(', ') || 'none';
  return `[reliability] ${name}: ${summary.records} records in ${run.elapsedMs} ms; ok ${summary.succeeded}; failed ${failed}; ` +
    `stored ${summary.storedKinesisRecords} Kinesis records (${summary.storedUnaggregated} unaggregated); ` +
    `legit duplicates: ${summary.duplicates.responseLost} lost-response, ${summary.duplicates.kclDropped} KCL-dropped; ` +
    `heap after close ${(heapDeltaBytes / 1048576).toFixed(2)} MiB vs baseline`;
}
