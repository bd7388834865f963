import type { RecordResult } from '@tskpl/producer';
import { describe, expect, it } from 'vitest';
import { SettledBatchBuilder, unpackSettled, type SettledBatch } from './settled-batch.js';

const success = (sequenceNumber: string, subSequenceNumber: number, startedAt: number): RecordResult => ({
  successful: true,
  streamName: 'orders',
  shardId: 'shardId-000000000003',
  sequenceNumber,
  subSequenceNumber,
  attempts: [{ startedAt, endedAt: startedAt + 12, delayMs: 101, durationMs: 12, successful: true }],
  attemptsDropped: 0,
});

const retried: RecordResult = {
  successful: true,
  streamName: 'orders',
  shardId: 'shardId-000000000001',
  sequenceNumber: '49590',
  subSequenceNumber: 0,
  attempts: [
    { startedAt: 1, endedAt: 2, delayMs: 0, durationMs: 1, successful: false, errorCode: 'ProvisionedThroughputExceededException', errorMessage: 'slow down' },
    { startedAt: 3, endedAt: 4, delayMs: 1, durationMs: 1, successful: true },
  ],
  attemptsDropped: 0,
};

const failed: RecordResult = {
  successful: false,
  streamName: 'orders',
  shardId: 'shardId-000000000002',
  attempts: [{ startedAt: 5, endedAt: 5, delayMs: 30_000, durationMs: 0, successful: false, errorCode: 'Expired', errorMessage: 'Record has reached expiration' }],
  attemptsDropped: 3,
  errorCode: 'Expired',
  errorMessage: 'Record has reached expiration',
};

function roundTrip(results: RecordResult[]): { batch: SettledBatch; out: Array<[number, RecordResult]> } {
  const builder = new SettledBatchBuilder();
  results.forEach((result, index) => builder.add(1000 + index, result));
  // What the port does to it.
  const batch = structuredClone(builder.take());
  expect(builder.size).toBe(0);
  const out: Array<[number, RecordResult]> = [];
  unpackSettled(batch, (id, result) => out.push([id, result]));
  return { batch, out };
}

describe('settled batches', () => {
  it('rebuild every result exactly, with the producer’s key order, first-try successes and others mixed', () => {
    const results = [success('4959001', 0, 1_700_000_000_000), retried, success('4959001', 1, 1_700_000_000_001), failed, success('4959002', 0, 1_700_000_000_002)];
    const { batch, out } = roundTrip(results);
    expect(out.map(([id]) => id)).toEqual([1000, 1001, 1002, 1003, 1004]);
    out.forEach(([, result], index) => {
      expect(result).toEqual(results[index]);
      expect(Object.keys(result)).toEqual(Object.keys(results[index]!));
      expect(Object.keys(result.attempts[0]!)).toEqual(Object.keys(results[index]!.attempts[0]!));
    });
    // Only the two that are not first-try successes travel whole; repeated strings travel once.
    expect(batch.whole).toHaveLength(2);
    expect([...batch.strings].sort()).toEqual(['4959001', '4959002', 'orders', 'shardId-000000000003']);
  });

  it('keeps ids and times beyond 32 bits', () => {
    const { out } = roundTrip([success('1', 0, 2 ** 45 + 3)]);
    expect(out[0]![1].attempts[0]!.startedAt).toBe(2 ** 45 + 3);
    const builder = new SettledBatchBuilder();
    builder.add(2 ** 40 + 7, success('1', 0, 1));
    const ids: number[] = [];
    unpackSettled(builder.take(), (id) => ids.push(id));
    expect(ids).toEqual([2 ** 40 + 7]);
  });
});
