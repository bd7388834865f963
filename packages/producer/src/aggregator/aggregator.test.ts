import { deaggregate } from '@tskpl/agg-codec';
import { describe, expect, it } from 'vitest';
import { createFakeClock } from '../clock/fake-clock.js';
import type { KinesisRecordState, UserRecordState } from '../record/user-record.js';
import { testRecord, testStream } from '../__tests__/records.js';
import { createAggregator } from './aggregator.js';

const stream = testStream();

function record(partitionKey: string, deadline: number, size = 10, shard = 0): UserRecordState {
  return testRecord({ partitionKey, data: new Uint8Array(size).fill(65), deadline, expiresAt: deadline + 30_000, predictedShard: shard, owner: stream });
}

function setup(maxSize = 51_200, maxCount = 4_294_967_295) {
  const clock = createFakeClock({ startMs: 0 });
  const emitted: KinesisRecordState[] = [];
  const aggregator = createAggregator({ owner: stream, clock, maxSize, maxCount, emit: (kinesisRecord) => emitted.push(kinesisRecord) });
  return { clock, emitted, aggregator };
}

describe('aggregator', () => {
  it('keeps one batch per predicted shard and emits each at its earliest deadline', () => {
    const { clock, emitted, aggregator } = setup();
    aggregator.add(record('a', 100, 10, 0));
    aggregator.add(record('b', 150, 10, 1));
    aggregator.add(record('c', 120, 10, 0));
    clock.advance(99);
    expect(emitted).toHaveLength(0);
    clock.advance(1);
    expect(emitted.map((kinesisRecord) => [kinesisRecord.predictedShard, kinesisRecord.records.length])).toEqual([[0, 2]]);
    clock.advance(50);
    expect(emitted.map((kinesisRecord) => kinesisRecord.predictedShard)).toEqual([0, 1]);
    expect(clock.pendingTimers).toBe(0);
  });

  it('never exceeds aggregationMaxSize: the record that would overflow starts the next aggregate', () => {
    const { emitted, aggregator } = setup(1_000);
    for (let index = 0; index < 30; index++) aggregator.add(record(`key-${index}`, 100, 90));
    aggregator.flush();
    for (const kinesisRecord of emitted) expect(kinesisRecord.data.length).toBeLessThanOrEqual(1_000);
    expect(emitted.reduce((count, kinesisRecord) => count + kinesisRecord.records.length, 0)).toBe(30);
    expect(emitted.length).toBeGreaterThan(2);
  });

  it('emits when the count limit is reached', () => {
    const { emitted, aggregator } = setup(51_200, 3);
    for (let index = 0; index < 7; index++) aggregator.add(record(`k${index}`, 100));
    expect(emitted.map((kinesisRecord) => kinesisRecord.records.length)).toEqual([3, 3]);
    expect(aggregator.buffered).toBe(1);
  });

  it('emits a record larger than the limit alone', () => {
    const { emitted, aggregator } = setup(1_000);
    aggregator.add(record('small', 100, 10));
    aggregator.add(record('huge', 100, 5_000));
    aggregator.flush();
    expect(emitted.map((kinesisRecord) => kinesisRecord.records.map((member) => member.partitionKey))).toEqual([['small'], ['huge']]);
    expect(emitted[1]!.data.length).toBe(5_000);
  });

  it('orders members by deadline, as the KPL does, so a retried record with an earlier deadline leads the aggregate', () => {
    const { emitted, aggregator } = setup();
    aggregator.add(record('first', 200));
    aggregator.add(record('retried', 50));
    aggregator.add(record('third', 210));
    aggregator.flush();
    const decoded = deaggregate({ data: emitted[0]!.data, partitionKey: emitted[0]!.partitionKey });
    expect(decoded.map((member) => member.partitionKey)).toEqual(['retried', 'first', 'third']);
    expect(emitted[0]!.records.map((member) => member.partitionKey)).toEqual(['retried', 'first', 'third']);
    expect(emitted[0]!.deadline).toBe(50);
  });

  it('emits records without a predicted shard at once, raw', () => {
    const { emitted, aggregator } = setup();
    aggregator.add(record('lone', 100, 10, -1));
    expect(emitted).toHaveLength(1);
    expect(emitted[0]!.partitionKey).toBe('lone');
    expect(emitted[0]!.data.length).toBe(10);
  });
});
