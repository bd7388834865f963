import { hashKeyOf } from '@tskpl/agg-codec';
import { describe, expect, it } from 'vitest';
import { RecordErrorCodes } from '../index.js';
import type { Outcome } from '../record/outcome.js';
import type { RecordResult } from '../record/user-record.js';
import { advance, bytes, createHarness, results, storedUserRecords } from './harness.js';
import type { FakeTransport } from '../testing/fake-transport.js';

/** No successful result may point into a stored aggregate that a KCL consumer would drop. */
function expectNoDroppableAggregate(transport: FakeTransport, stream: string, resultsToCheck: readonly RecordResult[]): void {
  const shards = transport.stream(stream).shards;
  const stored = storedUserRecords(transport, stream);
  for (const result of resultsToCheck) {
    expect(result.successful).toBe(true);
    const shard = shards.find((candidate) => candidate.shardId === result.shardId)!;
    const members = stored.filter((record) => record.shardId === result.shardId && record.sequenceNumber === result.sequenceNumber);
    expect(members.length).toBeGreaterThan(0);
    for (const member of members) {
      const hashKey = BigInt(hashKeyOf(member.partitionKey));
      expect(hashKey >= shard.start && hashKey <= shard.end).toBe(true);
    }
  }
}

async function putMany(producer: { putRecord: (input: never) => Promise<Outcome> }, count: number, prefix: string): Promise<Outcome[]> {
  const outcomes: Outcome[] = [];
  for (let index = 0; index < count; index++) {
    outcomes.push(await producer.putRecord({ streamName: 'orders', partitionKey: `${prefix}-${index}`, data: bytes(`${prefix}-${index}`) } as never));
  }
  return outcomes;
}

describe('resharding', () => {
  it('re-sends an aggregate stored on a child shard that does not own all its members, and converges (child unknown to the map)', async () => {
    const { clock, transport, producer } = createHarness({ orders: 2 });
    // Learn the map first.
    await results(clock, await putMany(producer, 20, 'warm'));
    const listCallsBefore = transport.listShardsCalls.length;
    transport.split('orders', 0);
    const outcomes = await putMany(producer, 200, 'after');
    const all = await results(clock, outcomes);
    expect(all.every((result) => result.successful)).toBe(true);
    const wrongShardAttempts = all.flatMap((result) => result.attempts).filter((attempt) => attempt.errorCode === RecordErrorCodes.WrongShard).length;
    expect(wrongShardAttempts).toBeGreaterThan(0);
    expect(transport.listShardsCalls.length).toBeGreaterThan(listCallsBefore);
    // Converged: new traffic after the refresh produces no more wrong-shard re-sends.
    const later = await results(clock, await putMany(producer, 200, 'later'));
    expect(later.flatMap((result) => result.attempts).some((attempt) => attempt.errorCode === RecordErrorCodes.WrongShard)).toBe(false);
    expectNoDroppableAggregate(transport, 'orders', [...all, ...later]);
    // Each result locates its own data.
    const stored = storedUserRecords(transport, 'orders');
    for (const result of [...all, ...later]) {
      expect(stored.some((record) => record.shardId === result.shardId && record.sequenceNumber === result.sequenceNumber && record.subSequenceNumber === result.subSequenceNumber)).toBe(true);
    }
  });

  it('keeps records flowing unaggregated while ListShards fails, then resumes aggregation', async () => {
    const { clock, transport, producer } = createHarness({ orders: 2 });
    transport.listShardsError = Object.assign(new Error('down'), { name: 'InternalFailure' });
    const during = await results(clock, await putMany(producer, 50, 'during'));
    expect(during.every((result) => result.successful)).toBe(true);
    expect(transport.stream('orders').stored.every((stored) => stored.entry.partitionKey !== 'a')).toBe(true);
    transport.listShardsError = undefined;
    await advance(clock, 5_000, 100);
    const storedBefore = transport.stream('orders').stored.length;
    await results(clock, await putMany(producer, 100, 'after'));
    const newlyStored = transport.stream('orders').stored.slice(storedBefore);
    expect(newlyStored.some((stored) => stored.entry.partitionKey === 'a')).toBe(true);
    expect(newlyStored.length).toBeLessThan(20);
  });

  it('sends records to an AUTO-distribution stream unaggregated', async () => {
    const { clock, transport, producer } = createHarness({});
    transport.addStream('orders', 2).recordDistributionStrategy = 'AUTO';
    await advance(clock, 10);
    const all = await results(clock, await putMany(producer, 30, 'auto'));
    expect(all.every((result) => result.successful)).toBe(true);
    expect(transport.stream('orders').stored).toHaveLength(30);
  });
});
