import { explicitHashKeyBinary, partitionKeyHashBinary } from '@tskpl/agg-codec';
import { createShardPredictor } from '@tskpl/shard-predictor';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildShardView, EMPTY_VIEW, lookupShard } from './shard-view.js';
import type { ShardEntry } from './shard-view.js';

const MAX = (1n << 128n) - 1n;

function key(value: bigint): string {
  return explicitHashKeyBinary(value.toString());
}

function entry(shardNumber: number, start: bigint, end: bigint): ShardEntry {
  return { shardNumber, start: key(start), end: key(end) };
}

describe('ShardView', () => {
  it('looks shards up by number whatever order ListShards listed them in', () => {
    const view = buildShardView([entry(7, 200n, MAX), entry(3, 0n, 99n), entry(5, 100n, 199n)]);
    expect(view.count).toBe(3);
    expect(view.shardNumbers).toEqual([3, 5, 7]);
    expect([...view.open].sort()).toEqual([3, 5, 7]);
    expect(lookupShard(view, key(0n))).toBe(3);
    expect(lookupShard(view, key(100n))).toBe(5);
    expect(lookupShard(view, key(199n))).toBe(5);
    expect(lookupShard(view, key(MAX))).toBe(7);
  });

  it('misses keys in a gap and every key of the empty view', () => {
    const view = buildShardView([entry(0, 0n, 99n), entry(1, 200n, MAX)]);
    expect(lookupShard(view, key(150n))).toBe(-1);
    expect(lookupShard(EMPTY_VIEW, key(0n))).toBe(-1);
    expect(EMPTY_VIEW.count).toBe(0);
  });

  it('answers with the shard listed first when two ranges end on the same key', () => {
    // Only a broken ListShards answer overlaps; the wrong-shard check then invalidates the map.
    const view = buildShardView([entry(4, 0n, MAX), entry(2, 100n, MAX), entry(1, 0n, 99n)]);
    expect(lookupShard(view, key(50n))).toBe(1);
    expect(lookupShard(view, key(150n))).toBe(4);
  });

  it('predicts what @tskpl/shard-predictor predicts for the same ListShards answer', () => {
    const layout = fc.array(fc.bigInt(1n, MAX), { maxLength: 60 }).map((cuts) => {
      const starts = [0n, ...new Set(cuts)].sort((a, b) => (a < b ? -1 : 1));
      return starts.map((start, index) => ({ shardNumber: 10 + index, start, end: index + 1 < starts.length ? starts[index + 1]! - 1n : MAX }));
    });
    fc.assert(
      fc.property(layout, fc.array(fc.string({ minLength: 1, maxLength: 20 }), { minLength: 1, maxLength: 30 }), (shards, partitionKeys) => {
        const view = buildShardView([...shards].reverse().map((shard) => entry(shard.shardNumber, shard.start, shard.end)));
        const predictor = createShardPredictor(
          shards.map((shard) => ({ shardId: `shardId-${String(shard.shardNumber).padStart(12, '0')}`, startingHashKey: shard.start.toString(), endingHashKey: shard.end.toString() })),
        );
        for (const partitionKey of partitionKeys) {
          const predicted = predictor.shardIdFor(partitionKey);
          expect(lookupShard(view, partitionKeyHashBinary(partitionKey))).toBe(Number(predicted.slice('shardId-'.length)));
        }
      }),
    );
  });
});
