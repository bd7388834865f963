/**
 * The assertions shared by every cell of the matrix: the invariants hold, close() waited for
 * every outcome, and nothing of the run stays in memory.
 */
import { expect } from 'vitest';
import { derefAfterGc, describeRun, heapAfterGc, runScenario, type Scenario, type ScenarioRun } from './scenario.js';

/**
 * Heap growth tolerated between before and after a run, once everything is collected. A run's
 * own data is 0.6–1 MB of payloads plus the fake's ledger and the producer's state (several MB);
 * what remains after GC is V8/SDK noise, measured at 0–1.5 MB on this machine.
 */
export const HEAP_SLACK_BYTES = 3 * 1024 * 1024;

/** Runs a scenario, checks every invariant and the memory, logs its figures, returns the run. */
export async function checkScenario<Extra>(scenario: Scenario<Extra>): Promise<ScenarioRun<Extra>> {
  const before = await heapAfterGc();
  const run = await runScenario(scenario);
  const after = await heapAfterGc();
  console.log(describeRun(scenario.name, run, after - before));
  expect(run.summary.violations).toEqual([]);
  expect(run.summary.records).toBeGreaterThan(0);
  expect(run.unsettledAtClose).toBe(0);
  expect(await derefAfterGc(run.producerRef), 'the producer is collectable after close()').toBeUndefined();
  expect(run.payloadRefs.filter((ref) => ref.deref() !== undefined), 'record payloads are collectable after close()').toHaveLength(0);
  expect(after - before).toBeLessThan(HEAP_SLACK_BYTES);
  return run;
}

/** A tiny clean run, so that modules and lazily built SDK state are in the baseline. */
export async function warmUp(): Promise<void> {
  await runScenario({ name: 'warm-up', stream: { shardCount: 2 }, plan: () => ({ count: 300, ratePerSecond: Infinity }), policy: {} });
}
