import { DescribeStreamSummaryCommand, ListShardsCommand, PutRecordCommand, PutRecordsCommand } from '@aws-sdk/client-kinesis';
import { describe, expect, it, vi } from 'vitest';
import { entries, rejectionOf, startHarness, type Harness } from '../__tests__/harness.js';
import { createManualClock } from '../clock/clock.js';
import { FaultController } from './fault-controller.js';

const put = (harness: Harness, count = 10, streamName = 's') => harness.client.send(new PutRecordsCommand({ StreamName: streamName, Records: entries(count) }));

describe('per-entry faults', () => {
  it('fails the next N entries with InternalFailure, counted in FailedRecordCount and not stored', async () => {
    const harness = await startHarness({ streams: [{ streamName: 's', shardCount: 2 }] });
    const rule = harness.fake.faults.script({ fault: { type: 'entryError', errorCode: 'InternalFailure' }, count: 3 });
    const output = await put(harness, 10);
    expect(output.FailedRecordCount).toBe(3);
    expect(output.Records!.slice(0, 3).map((record) => record.ErrorCode)).toEqual(['InternalFailure', 'InternalFailure', 'InternalFailure']);
    expect(output.Records![3]!.SequenceNumber).toBeDefined();
    expect(rule.remaining).toBe(0);
    expect(harness.fake.ledger.count('s')).toBe(7);
    expect(harness.fake.counters().totals).toMatchObject({ accepted: 7, failed: 3, throttled: 0 });
    expect((await put(harness, 10)).FailedRecordCount).toBe(0);
  });

  it('throttles only entries routed to the filtered shard', async () => {
    const harness = await startHarness({ streams: [{ streamName: 's', shardCount: 2 }] });
    harness.fake.faults.rate({ fault: { type: 'entryError', errorCode: 'ProvisionedThroughputExceededException' }, probability: 1, shardId: 'shardId-000000000001' });
    const output = await put(harness, 40);
    for (const record of output.Records!) {
      if (record.ErrorCode !== undefined) expect(record.ErrorCode).toBe('ProvisionedThroughputExceededException');
      else expect(record.ShardId).toBe('shardId-000000000000');
    }
    expect(output.FailedRecordCount).toBe(harness.fake.counters().streams.s!.shards['shardId-000000000001']!.throttled);
    expect(output.FailedRecordCount).toBeGreaterThan(0);
  });

  it('turns an entry fault on PutRecord into the request error', async () => {
    const harness = await startHarness({ streams: [{ streamName: 's', shardCount: 1 }] });
    harness.fake.faults.script({ fault: { type: 'entryError', errorCode: 'InternalFailure' } });
    const error = await rejectionOf(harness.client.send(new PutRecordCommand({ StreamName: 's', PartitionKey: 'k', Data: new Uint8Array(1) })));
    expect(error.name).toBe('InternalFailure');
    expect(error.$metadata?.httpStatusCode).toBe(500);
  });
});

describe('whole-request faults', () => {
  it.each([
    ['InternalFailure', 500, 'server'],
    ['InternalFailureException', 500, 'server'],
    ['ServiceUnavailable', 503, 'server'],
    ['KMSThrottlingException', 400, 'client'],
    ['ResourceNotFoundException', 400, 'client'],
    ['AccessDeniedException', 400, 'client'],
    ['UnrecognizedClientException', 400, 'client'],
  ])('answers %s with HTTP %i and writes nothing', async (errorType, status, fault) => {
    const harness = await startHarness({ streams: [{ streamName: 's', shardCount: 1 }] });
    harness.fake.faults.script({ fault: { type: 'error', errorType } });
    const error = await rejectionOf(put(harness));
    expect(error.name).toBe(errorType);
    expect(error.$metadata?.httpStatusCode).toBe(status);
    expect(error.$fault).toBe(fault);
    expect(harness.fake.ledger.count()).toBe(0);
    expect(harness.fake.counters().requests.PutRecords).toEqual({ [errorType]: 1 });
    expect((await put(harness)).FailedRecordCount).toBe(0);
  });

  it('filters by operation and stream: ListShards fails for a while, PutRecords still flows', async () => {
    const harness = await startHarness({ streams: [{ streamName: 's', shardCount: 1 }, { streamName: 'other', shardCount: 1 }] });
    harness.fake.faults.script({ fault: { type: 'error', errorType: 'InternalFailure', status: 500 }, operation: 'ListShards', streamName: 's', count: 2 });
    expect((await rejectionOf(harness.client.send(new ListShardsCommand({ StreamName: 's' })))).name).toBe('InternalFailure');
    expect((await harness.client.send(new ListShardsCommand({ StreamName: 'other' }))).Shards).toHaveLength(1);
    expect((await put(harness)).FailedRecordCount).toBe(0);
    expect((await rejectionOf(harness.client.send(new ListShardsCommand({ StreamName: 's' })))).name).toBe('InternalFailure');
    expect((await harness.client.send(new ListShardsCommand({ StreamName: 's' }))).Shards).toHaveLength(1);
    expect(harness.fake.counters().requests.ListShards).toEqual({ InternalFailure: 2, success: 2 });
  });

  it('resets the connection mid-request without writing', async () => {
    const harness = await startHarness({ streams: [{ streamName: 's', shardCount: 1 }] });
    harness.fake.faults.script({ fault: { type: 'reset' } });
    const error = await rejectionOf(put(harness));
    expect(String(error.message)).toMatch(/socket hang up|ECONNRESET/);
    expect(harness.fake.ledger.count()).toBe(0);
    expect(harness.fake.counters().requests.PutRecords).toEqual({ reset: 1 });
    expect((await put(harness)).FailedRecordCount).toBe(0);
  });

  it('loses the response of an applied write: the client sees an error, the ledger marks the records', async () => {
    const harness = await startHarness({ streams: [{ streamName: 's', shardCount: 1 }] });
    harness.fake.faults.script({ fault: { type: 'lostResponse' } });
    harness.fake.faults.script({ fault: { type: 'lostResponse', via: 'reset' } });
    const viaError = await rejectionOf(put(harness, 4));
    expect(viaError.name).toBe('InternalFailure');
    expect(viaError.$metadata?.httpStatusCode).toBe(500);
    expect(String((await rejectionOf(put(harness, 3))).message)).toMatch(/socket hang up|ECONNRESET/);
    await put(harness, 2);
    const records = harness.fake.ledger.records('s');
    expect(records.map((record) => record.responseLost)).toEqual([true, true, true, true, true, true, true, false, false]);
    expect(harness.fake.counters().requests.PutRecords).toEqual({ lostResponse: 2, success: 1 });
  });

  it('delays the answer by the added latency on the injected clock', async () => {
    const clock = createManualClock();
    const harness = await startHarness({ clock, streams: [{ streamName: 's', shardCount: 1 }] });
    harness.fake.faults.script({ fault: { type: 'latency', ms: 250 } });
    let answered = false;
    const pending = put(harness).then((output) => {
      answered = true;
      return output;
    });
    await vi.waitFor(() => expect(clock.pendingTimers).toBe(1));
    clock.advance(249);
    await new Promise((resolve) => setImmediate(resolve));
    expect(answered).toBe(false);
    clock.advance(1);
    expect((await pending).FailedRecordCount).toBe(0);
  });

  it('hangs past the client timeout; with then: "apply" the late write is marked responseLost', async () => {
    const clock = createManualClock();
    const harness = await startHarness({ clock, streams: [{ streamName: 's', shardCount: 1 }] }, 150);
    harness.fake.faults.script({ fault: { type: 'hang', ms: 10_000, then: 'apply' } });
    harness.fake.faults.script({ fault: { type: 'hang' } });
    const timedOut = await rejectionOf(put(harness, 2));
    expect(timedOut.name).toMatch(/TimeoutError|RequestTimeout/);
    expect(harness.fake.ledger.count()).toBe(0);
    clock.advance(10_000);
    expect(harness.fake.ledger.records('s').map((record) => record.responseLost)).toEqual([true, true]);
    const never = await rejectionOf(put(harness, 1));
    expect(never.name).toMatch(/TimeoutError|RequestTimeout/);
    expect(harness.fake.counters().requests.PutRecords).toEqual({ hang: 2 });
    expect(harness.fake.ledger.count()).toBe(2);
  });
});

describe('seeded determinism', () => {
  async function failurePattern(seed: number): Promise<string> {
    const harness = await startHarness({ seed, streams: [{ streamName: 's', shardCount: 2 }] });
    harness.fake.faults.rate({ fault: { type: 'entryError', errorCode: 'InternalFailure' }, probability: 0.3 });
    harness.fake.faults.rate({ fault: { type: 'error', errorType: 'ServiceUnavailable' }, probability: 0.2, operation: 'PutRecords' });
    let pattern = '';
    for (let request = 0; request < 8; request++) {
      try {
        const output = await put(harness, 50);
        pattern += output.Records!.map((record) => (record.ErrorCode === undefined ? '.' : 'x')).join('') + '|';
      } catch (error) {
        pattern += `${(error as Error).name}|`;
      }
    }
    return pattern;
  }

  it('injects the same faults for the same seed and request order, different ones for another seed', async () => {
    const first = await failurePattern(42);
    expect(await failurePattern(42)).toBe(first);
    expect(await failurePattern(43)).not.toBe(first);
    const entryMarks = first.replace(/ServiceUnavailable\|/g, '').replace(/\|/g, '');
    const share = [...entryMarks].filter((mark) => mark === 'x').length / entryMarks.length;
    expect(share).toBeGreaterThan(0.2);
    expect(share).toBeLessThan(0.4);
  });

  it('draws random latency within the range, reproducibly', () => {
    const draw = (seed: number): number[] => {
      const controller = new FaultController(seed);
      controller.rate({ fault: { type: 'latency', ms: 10, maxMs: 20 }, probability: 1 });
      return Array.from({ length: 20 }, () => controller.forRequest('PutRecords', 's', undefined).latencyMs);
    };
    const values = draw(7);
    for (const value of values) expect(value >= 10 && value <= 20).toBe(true);
    expect(draw(7)).toEqual(values);
    expect(new Set(values.map(Math.round)).size).toBeGreaterThan(3);
  });
});

describe('FaultController rules', () => {
  it('consumes scripted rules in the order they were added, and cancel removes a rule', () => {
    const controller = new FaultController(1);
    controller.script({ fault: { type: 'error', errorType: 'A' }, count: 2 });
    controller.script({ fault: { type: 'error', errorType: 'B' } });
    const cancelled = controller.script({ fault: { type: 'error', errorType: 'C' } });
    cancelled.cancel();
    const outcomes = Array.from({ length: 4 }, () => {
      const outcome = controller.forRequest('PutRecords', 's', undefined).outcome;
      return outcome?.type === 'error' ? outcome.errorType : 'none';
    });
    expect(outcomes).toEqual(['A', 'A', 'B', 'none']);
    expect(controller.activeRules).toHaveLength(0);
  });

  it('validates rules with messages naming the field', () => {
    const controller = new FaultController(1);
    expect(() => controller.rate({ fault: { type: 'reset' }, probability: 2 })).toThrow(/probability must be a number between 0 and 1, received 2/);
    expect(() => controller.script({ fault: { type: 'reset' }, count: 0 })).toThrow(/count must be an integer ≥ 1, received 0/);
    expect(() => controller.script({ fault: { type: 'latency', ms: 5, maxMs: 1 } })).toThrow(/fault.maxMs must be ≥ fault.ms/);
    expect(() => controller.script({ fault: { type: 'error', errorType: 'X', status: 200 } })).toThrow(/fault.status must be an HTTP error status between 400 and 599, received 200/);
    expect(() => controller.script({ fault: { type: 'nope' } as never })).toThrow(/fault.type must be one of/);
  });

  it('does not apply request faults to other operations', async () => {
    const harness = await startHarness({ streams: [{ streamName: 's', shardCount: 1 }] });
    harness.fake.faults.rate({ fault: { type: 'error', errorType: 'AccessDeniedException' }, probability: 1, operation: ['PutRecords', 'PutRecord'] });
    expect((await harness.client.send(new DescribeStreamSummaryCommand({ StreamName: 's' }))).StreamDescriptionSummary!.OpenShardCount).toBe(1);
    expect((await rejectionOf(put(harness))).name).toBe('AccessDeniedException');
    harness.fake.faults.clear();
    expect((await put(harness)).FailedRecordCount).toBe(0);
  });
});
