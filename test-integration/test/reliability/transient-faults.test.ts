/**
 * Reliability matrix, transient faults: every record must succeed (the TTL is 30 s, the faults
 * last seconds), and only writes the producer could not know of may be stored twice.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { FaultRuleHandle } from '@tskpl/testkit';
import { checkScenario, warmUp } from './matrix.js';

const RECORDS = 3000;
const RATE = 1000;

/** `at` hooks that keep a rule active for records [from, to). */
function during(from: number, to: number, install: () => FaultRuleHandle[]): Map<number, () => void> {
  let handles: FaultRuleHandle[] = [];
  return new Map([
    [from, () => { handles = install(); }],
    [to, () => { for (const handle of handles) handle.cancel(); }],
  ]);
}

describe('reliability matrix: transient faults', () => {
  beforeAll(warmUp);

  it('survives a per-entry throttling storm without losing or duplicating a record', async () => {
    const run = await checkScenario({
      name: 'throttling-storm',
      stream: { shardCount: 4 },
      plan: ({ fake }) => ({
        count: RECORDS,
        ratePerSecond: RATE,
        at: during(200, 2200, () => [
          fake.faults.rate({ operation: 'PutRecords', fault: { type: 'entryError', errorCode: 'ProvisionedThroughputExceededException' }, probability: 0.5 }),
        ]),
      }),
      policy: {},
    });
    expect(run.summary.succeeded).toBe(RECORDS);
    // Aggregated from the first record, the run sends few entries (tens of aggregates), half of those in the storm throttled.
    expect(run.counters.totals.throttled).toBeGreaterThan(5);
    expect(run.summary.duplicates).toEqual({ responseLost: 0, kclDropped: 0 });
  });

  it('survives bursts of 500 and 503 answers', async () => {
    const run = await checkScenario({
      name: '5xx-bursts',
      stream: { shardCount: 4 },
      plan: ({ fake }) => ({
        count: RECORDS,
        ratePerSecond: RATE,
        at: new Map([
          [500, () => void fake.faults.script({ operation: 'PutRecords', fault: { type: 'error', errorType: 'InternalFailure' }, count: 8 })],
          [1500, () => void fake.faults.script({ operation: 'PutRecords', fault: { type: 'error', errorType: 'ServiceUnavailable' }, count: 8 })],
          // Aggregated traffic at 1000 records/s is only a request every ~100 ms: script the third burst too.
          [2000, () => void fake.faults.script({ operation: 'PutRecords', fault: { type: 'error', errorType: 'InternalFailureException' }, count: 3 })],
        ]),
      }),
      policy: {},
    });
    expect(run.summary.succeeded).toBe(RECORDS);
    expect(run.counters.requests.PutRecords?.InternalFailure).toBe(8);
    expect(run.counters.requests.PutRecords?.ServiceUnavailable).toBe(8);
    expect(run.counters.requests.PutRecords?.InternalFailureException ?? 0).toBeGreaterThan(0);
    expect(run.summary.duplicates).toEqual({ responseLost: 0, kclDropped: 0 });
  });

  it('survives connection resets', async () => {
    const run = await checkScenario({
      name: 'connection-resets',
      stream: { shardCount: 4 },
      plan: ({ fake }) => ({
        count: RECORDS,
        ratePerSecond: RATE,
        at: new Map([
          [300, () => void fake.faults.script({ operation: 'PutRecords', fault: { type: 'reset' }, count: 4 })],
          ...during(1000, 2500, () => [fake.faults.rate({ operation: 'PutRecords', fault: { type: 'reset' }, probability: 0.2 })]),
        ]),
      }),
      policy: {},
    });
    expect(run.summary.succeeded).toBe(RECORDS);
    expect(run.counters.requests.PutRecords?.reset ?? 0).toBeGreaterThanOrEqual(4);
    expect(run.summary.duplicates).toEqual({ responseLost: 0, kclDropped: 0 });
  });

  it('survives requests that hang past requestTimeoutMs, including ones applied after the client gave up', async () => {
    const run = await checkScenario({
      name: 'hung-requests',
      stream: { shardCount: 4 },
      producer: { requestTimeoutMs: 500 },
      plan: ({ fake }) => ({
        count: RECORDS,
        ratePerSecond: RATE,
        at: new Map([
          ...during(300, 1500, () => [fake.faults.rate({ operation: 'PutRecords', fault: { type: 'hang' }, probability: 0.1 })]),
          [2000, () => void fake.faults.script({ operation: 'PutRecords', fault: { type: 'hang', ms: 900, then: 'apply' }, count: 3 })],
        ]),
      }),
      policy: {},
      inspect: ({ fake, streamName }) => ({ lateWrites: fake.ledger.records(streamName).filter((record) => record.responseLost).length }),
    });
    expect(run.summary.succeeded).toBe(RECORDS);
    expect(run.counters.requests.PutRecords?.hang ?? 0).toBeGreaterThan(3);
    // The three late-applied requests wrote records the producer re-sent: legitimate duplicates, all of them.
    expect(run.extra.lateWrites).toBeGreaterThan(0);
    expect(run.summary.duplicates.responseLost).toBeGreaterThan(0);
    expect(run.summary.duplicates.kclDropped).toBe(0);
  });

  it('re-sends writes whose response was lost; the only duplicates are those writes', async () => {
    const run = await checkScenario({
      name: 'lost-responses',
      stream: { shardCount: 4 },
      plan: ({ fake }) => ({
        count: RECORDS,
        ratePerSecond: RATE,
        at: new Map([
          [300, () => void fake.faults.script({ operation: 'PutRecords', fault: { type: 'lostResponse' }, count: 3 })],
          [900, () => void fake.faults.script({ operation: 'PutRecords', fault: { type: 'lostResponse', via: 'reset' }, count: 3 })],
          ...during(1500, 2500, () => [
            fake.faults.rate({ operation: 'PutRecords', fault: { type: 'lostResponse' }, probability: 0.1 }),
            fake.faults.rate({ operation: 'PutRecords', fault: { type: 'lostResponse', via: 'reset' }, probability: 0.05 }),
          ]),
        ]),
      }),
      policy: {},
    });
    expect(run.summary.succeeded).toBe(RECORDS);
    expect(run.counters.requests.PutRecords?.lostResponse ?? 0).toBeGreaterThanOrEqual(6);
    expect(run.summary.duplicates.responseLost).toBeGreaterThan(0);
    expect(run.summary.duplicates.kclDropped).toBe(0);
  });
});
