import { describe, expect, it } from 'vitest';
import { createFakeClock } from '../clock/fake-clock.js';
import { testStream } from '../__tests__/records.js';
import type { KinesisRecordState, PutRecordsBatch, UserRecordState } from '../record/user-record.js';
import { createCollector, PER_SHARD_TRIGGER_BYTES } from './collector.js';

const stream = testStream();

function kinesisRecord(size: number, shard: number, deadline = 100): KinesisRecordState {
  const member = { partitionKeyBytes: 1 } as UserRecordState;
  return { owner: stream, records: [member, member], predictedShard: shard, mapGeneration: 0, partitionKey: 'a', explicitHashKey: '0', data: new Uint8Array(size), dataLength: size, deadline, expiresAt: deadline + 30_000 };
}

function setup(options: { maxCount?: number; maxSize?: number; extension?: number } = {}) {
  const clock = createFakeClock({ startMs: 0 });
  const batches: PutRecordsBatch[] = [];
  const collector = createCollector({ owner: stream, clock, maxCount: options.maxCount ?? 500, maxSize: options.maxSize ?? 5_242_880, deadlineExtensionMs: options.extension ?? 0, send: (batch) => batches.push(batch) });
  return { clock, batches, collector };
}

describe('collector', () => {
  it('sends a batch when it holds collectionMaxCount records', () => {
    const { batches, collector } = setup({ maxCount: 3 });
    for (let index = 0; index < 7; index++) collector.put(kinesisRecord(10, index));
    expect(batches.map((batch) => batch.records.length)).toEqual([3, 3]);
  });

  it('never exceeds collectionMaxSize (Σ partition key + data)', () => {
    const { batches, collector } = setup({ maxSize: 100_000 });
    for (let index = 0; index < 10; index++) collector.put(kinesisRecord(30_000, index));
    collector.flush();
    for (const batch of batches) expect(batch.bytes).toBeLessThanOrEqual(100_000);
    expect(batches.reduce((count, batch) => count + batch.records.length, 0)).toBe(10);
  });

  it('sends early when one shard holds 64 KiB', () => {
    expect(PER_SHARD_TRIGGER_BYTES).toBe(65_536);
    const { batches, collector } = setup();
    const perRecord = 50_000;
    let puts = 0;
    while (batches.length === 0) {
      collector.put(kinesisRecord(perRecord, 7));
      puts++;
    }
    expect(puts).toBe(Math.ceil(PER_SHARD_TRIGGER_BYTES / (perRecord + 1)));
  });

  it('sends at the earliest deadline, extended by the aggregation buffer time', () => {
    const { clock, batches, collector } = setup({ extension: 20 });
    collector.put(kinesisRecord(10, 0, 5));
    clock.advance(19);
    expect(batches).toHaveLength(0);
    clock.advance(1);
    expect(batches).toHaveLength(1);
  });
});
