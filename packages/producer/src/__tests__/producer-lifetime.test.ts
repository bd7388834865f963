/**
 * The producer as a citizen of the Node event loop: it holds the process only while work is
 * pending, records put before the shard map arrives wait for it (and are aggregated), and a
 * caller's tight `await putRecord` loop lets the event loop turn. The same promises are checked
 * with real timers in child processes by test-integration/test/process-lifetime.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { ShardMapError, TimeoutError } from '../errors/errors.js';
import type { Outcome } from '../record/outcome.js';
import { SLICE_MAX_RECORDS } from '../producer/producer.js';
import { advance, bytes, createHarness, results, settle } from './harness.js';
import { awsError } from '../testing/fake-transport.js';

function gate(): { promise: Promise<void>; open(): void } {
  let open!: () => void;
  const promise = new Promise<void>((resolve) => {
    open = resolve;
  });
  return { promise, open };
}

async function putMany(producer: { putRecord: (input: never) => Promise<Outcome> }, count: number, stream = 'orders'): Promise<Outcome[]> {
  const outcomes: Outcome[] = [];
  for (let index = 0; index < count; index++) {
    outcomes.push(await producer.putRecord({ streamName: stream, partitionKey: `key-${index}`, data: bytes(`record-${index}`) } as never));
  }
  return outcomes;
}

describe('process lifetime', () => {
  it('holds one handle while records are outstanding and none once every record has its outcome', async () => {
    const { clock, producer } = createHarness({ orders: 2 });
    expect(clock.holds).toBe(0);
    const outcomes = await putMany(producer, 10);
    expect(clock.holds).toBe(1);
    await results(clock, outcomes);
    expect(clock.holds).toBe(0);
    await producer.close();
    expect(clock.holds).toBe(0);
  });

  it('holds the process while close() is pending, then releases it', async () => {
    const { clock, transport, producer } = createHarness({ orders: 2 });
    transport.hold = true;
    await putMany(producer, 3);
    const closing = producer.close();
    await advance(clock, 500);
    expect(clock.holds).toBe(1);
    transport.release();
    await advance(clock, 500);
    await closing;
    expect(clock.holds).toBe(0);
  });

  it('holds the process for puts waiting for room', async () => {
    const { clock, transport, producer } = createHarness({ orders: 2 }, { maxOutstandingRecords: 2 });
    transport.hold = true;
    await putMany(producer, 2);
    const third = producer.putRecord({ streamName: 'orders', partitionKey: 'k', data: bytes('x') });
    await advance(clock, 300);
    expect(clock.holds).toBe(1);
    transport.release();
    await results(clock, [await third]);
    expect(clock.holds).toBe(0);
  });
});

describe('cold start', () => {
  it('records put before the first ListShards answer wait past their buffering deadline and are aggregated', async () => {
    const { clock, transport, producer } = createHarness({ orders: 4 });
    const listing = gate();
    transport.listShardsGate = listing.promise;
    const outcomes = await putMany(producer, 2000);
    await advance(clock, 2_000, 50); // 20 × the 100 ms buffering deadline
    expect(transport.calls).toHaveLength(0);
    listing.open();
    const all = await results(clock, outcomes);
    expect(all.every((result) => result.successful)).toBe(true);
    const stored = transport.stream('orders').stored;
    // 2000 small records on 4 shards fit in one aggregate per shard.
    expect(stored.length).toBeLessThanOrEqual(8);
    expect(stored.every((record) => record.entry.partitionKey === 'a')).toBe(true);
  });

  it('a record waiting for the map expires at its TTL, not at its deadline', async () => {
    const { clock, transport, producer } = createHarness({ orders: 2 }, { recordTtlMs: 1_000 });
    transport.listShardsGate = new Promise<void>(() => {});
    const [outcome] = await putMany(producer, 1);
    await advance(clock, 900, 50);
    expect(outcome!.done).toBe(false);
    await advance(clock, 200, 50);
    const result = await outcome!.wait();
    expect(result.successful).toBe(false);
    expect(result.errorCode).toBe('Expired');
    expect(result.errorMessage).toContain('shard map');
    expect(clock.holds).toBe(0);
  });

  it('fails waiting records at once with the terminal ListShards error, and does not poll a missing stream while nothing waits', async () => {
    const { clock, transport, producer } = createHarness({});
    const outcomes = await putMany(producer, 5, 'missing');
    const all = await results(clock, outcomes, 1_000);
    expect(all.every((result) => !result.successful && result.errorCode === 'ResourceNotFoundException')).toBe(true);
    const calls = transport.listShardsCalls.length;
    await advance(clock, 60_000, 1_000);
    expect(transport.listShardsCalls.length).toBe(calls);
    // A record within a second of the failure fails at once; a later one asks again.
    transport.addStream('missing', 2);
    const later = await putMany(producer, 1, 'missing');
    expect((await results(clock, later))[0]!.successful).toBe(true);
    expect(transport.listShardsCalls.length).toBe(calls + 1);
  });

  it('sends waiting records unaggregated, logged once, after ListShards failed transiently three times', async () => {
    const warnings: string[] = [];
    const { clock, transport, producer } = createHarness({ orders: 2 }, { logger: { warn: (message: string) => warnings.push(message), error: () => {} } });
    transport.listShardsError = awsError('InternalFailure', 500);
    const outcomes = await putMany(producer, 20);
    await advance(clock, 2_000, 50);
    expect(transport.calls).toHaveLength(0); // two failures so far: still waiting
    const all = await results(clock, outcomes);
    expect(all.every((result) => result.successful)).toBe(true);
    expect(transport.stream('orders').stored.every((record) => record.entry.partitionKey !== 'a')).toBe(true);
    expect(warnings.filter((message) => message.includes('records are sent unaggregated'))).toHaveLength(1);
  });
});

describe('ready()', () => {
  it('resolves when the shard map is ready', async () => {
    const { clock, transport, producer } = createHarness({ orders: 2 });
    const listing = gate();
    transport.listShardsGate = listing.promise;
    let resolved = false;
    const ready = producer.ready('orders').then(() => {
      resolved = true;
    });
    await advance(clock, 100);
    expect(resolved).toBe(false);
    expect(clock.holds).toBe(1);
    listing.open();
    await settle();
    await ready;
    expect(clock.holds).toBe(0);
  });

  it('rejects with a ShardMapError naming the code when the stream does not exist', async () => {
    const { producer } = createHarness({});
    const error = await producer.ready('nope').catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ShardMapError);
    expect((error as ShardMapError).errorCode).toBe('ResourceNotFoundException');
  });

  it('rejects with a TimeoutError after timeoutMs', async () => {
    const { clock, transport, producer } = createHarness({ orders: 2 });
    transport.listShardsGate = new Promise<void>(() => {});
    const ready = producer.ready('orders', { timeoutMs: 500 }).catch((caught: unknown) => caught);
    await advance(clock, 600);
    expect(await ready).toBeInstanceOf(TimeoutError);
  });
});

describe('event-loop fairness', () => {
  it('a tight await putRecord loop lets the event loop turn before backpressure', async () => {
    const { clock, producer } = createHarness({ orders: 4 });
    await producer.ready('orders');
    let turnedAt = -1;
    let count = 0;
    setImmediate(() => {
      turnedAt = count;
    });
    const outcomes: Outcome[] = [];
    for (; count < SLICE_MAX_RECORDS * 2; count++) {
      outcomes.push(await producer.putRecord({ streamName: 'orders', partitionKey: `k${count}`, data: bytes('x') }));
    }
    expect(turnedAt).toBeGreaterThan(0);
    expect(turnedAt).toBeLessThanOrEqual(SLICE_MAX_RECORDS);
    await results(clock, outcomes);
  });
});
