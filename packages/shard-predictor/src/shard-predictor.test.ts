import { hashKeyOf } from '@tskpl/agg-codec';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { hashKeyArbitrary, MAX, owner, rangesCutAt, shardId, tilingArbitrary } from './__tests__/layouts.js';
import type { Range } from './__tests__/layouts.js';
import { isShardPredictorError } from './errors.js';
import type { ShardPredictorErrorCode } from './errors.js';
import type { ListShardsShard, ShardDescription } from './shard-list.js';
import { createShardPredictor } from './shard-predictor.js';

/** SDK-shaped open shards numbered 0 … n − 1 over `ranges`. */
function sdkShards(ranges: readonly Range[], first = 0): ListShardsShard[] {
  return ranges.map((range, index) => ({
    ShardId: shardId(first + index),
    HashKeyRange: { StartingHashKey: range.start.toString(), EndingHashKey: range.end.toString() },
    SequenceNumberRange: { StartingSequenceNumber: '49590338271490256608559692538361571095921575989136588898' },
  }));
}

function closed(shard: ListShardsShard): ListShardsShard {
  return { ...shard, SequenceNumberRange: { StartingSequenceNumber: '1', EndingSequenceNumber: '2' } };
}

/** The error `call` throws, checked to be a ShardPredictorError with `code`. */
function errorOf(call: () => unknown, code: ShardPredictorErrorCode): Error {
  try {
    call();
  } catch (error) {
    expect(isShardPredictorError(error)).toBe(true);
    expect((error as { code: string }).code).toBe(code);
    return error as Error;
  }
  throw new Error(`expected ${code}, nothing was thrown`);
}

const QUARTER = 1n << 126n;
const FOUR = rangesCutAt([QUARTER, 2n * QUARTER, 3n * QUARTER]);

describe('createShardPredictor routing', () => {
  it('routes partition keys by MD5 and explicit hash keys by value, like a linear scan of the ranges', () => {
    fc.assert(
      fc.property(
        tilingArbitrary(64),
        fc.array(fc.string({ unit: 'binary', minLength: 1, maxLength: 40 }), { minLength: 1, maxLength: 20 }),
        fc.array(hashKeyArbitrary, { minLength: 1, maxLength: 20 }),
        (ranges, partitionKeys, explicitHashKeys) => {
          const predictor = createShardPredictor(sdkShards(ranges).reverse());
          for (const partitionKey of partitionKeys) {
            expect(predictor.shardIdFor(partitionKey)).toBe(shardId(owner(ranges, BigInt(hashKeyOf(partitionKey)))));
          }
          for (const key of explicitHashKeys) {
            expect(predictor.shardIdFor('ignored', key.toString())).toBe(shardId(owner(ranges, key)));
            expect(predictor.shardIdForHashKey(key.toString())).toBe(shardId(owner(ranges, key)));
          }
        },
      ),
    );
  });

  it('lists the shards that take part in ascending hash-key order, whatever the input order', () => {
    const predictor = createShardPredictor([...sdkShards(FOUR)].reverse());
    expect(predictor.shards.map((shard) => shard.shardId)).toEqual([0, 1, 2, 3].map(shardId));
    expect(predictor.shards[1]).toEqual({
      shardId: shardId(1),
      startingHashKey: QUARTER.toString(),
      endingHashKey: (2n * QUARTER - 1n).toString(),
      parentShardId: undefined,
      adjacentParentShardId: undefined,
      closed: false,
    });
    expect(Object.isFrozen(predictor.shards)).toBe(true);
  });

  it('accepts the camelCase shard descriptions of @tskpl/producer and @tskpl/testkit', () => {
    const shards: ShardDescription[] = FOUR.map((range, index) => ({
      shardId: shardId(index),
      startingHashKey: range.start.toString(),
      endingHashKey: range.end.toString(),
    }));
    const predictor = createShardPredictor(shards);
    expect(predictor.shardIdForHashKey((3n * QUARTER).toString())).toBe(shardId(3));
    expect(predictor.shardIdForHashKey((3n * QUARTER - 1n).toString())).toBe(shardId(2));
  });

  it('leaves out a split parent when its children are listed, and predicts from the children', () => {
    // Shard 1 (quarter 1) split at its middle into shards 4 and 5.
    const [zero, one, two, three] = sdkShards(FOUR);
    const middle = QUARTER + QUARTER / 2n;
    const children: ListShardsShard[] = [
      { ShardId: shardId(4), ParentShardId: shardId(1), HashKeyRange: { StartingHashKey: QUARTER.toString(), EndingHashKey: (middle - 1n).toString() } },
      { ShardId: shardId(5), ParentShardId: shardId(1), HashKeyRange: { StartingHashKey: middle.toString(), EndingHashKey: (2n * QUARTER - 1n).toString() } },
    ];
    const predictor = createShardPredictor([zero!, closed(one!), two!, three!, ...children]);
    expect(predictor.shards.map((shard) => shard.shardId)).toEqual([0, 4, 5, 2, 3].map(shardId));
    expect(predictor.shardIdForHashKey(QUARTER.toString())).toBe(shardId(4));
    expect(predictor.shardIdForHashKey(middle.toString())).toBe(shardId(5));
    // The parent's range is still known, for judging records read from it.
    expect(predictor.hashRangeOf(shardId(1))).toEqual({ startingHashKey: QUARTER.toString(), endingHashKey: (2n * QUARTER - 1n).toString() });
  });

  it('leaves out both parents of a merge when the child is listed', () => {
    const [zero, one, two, three] = sdkShards(FOUR);
    const child: ListShardsShard = {
      ShardId: shardId(4),
      ParentShardId: shardId(2),
      AdjacentParentShardId: shardId(1),
      HashKeyRange: { StartingHashKey: QUARTER.toString(), EndingHashKey: (3n * QUARTER - 1n).toString() },
    };
    const predictor = createShardPredictor([child, zero!, closed(one!), closed(two!), three!]);
    expect(predictor.shards.map((shard) => shard.shardId)).toEqual([0, 4, 3].map(shardId));
    expect(predictor.shards[1]!.adjacentParentShardId).toBe(shardId(1));
  });

  it('leaves out a closed shard that an open shard overlaps, even when no shard names it as parent', () => {
    // UpdateShardCount names at most two parents per new shard; older shards it closed overlap the new ones.
    const [zero, one, two, three] = sdkShards(FOUR);
    const successor: ListShardsShard = { ShardId: shardId(4), ParentShardId: shardId(0), HashKeyRange: { StartingHashKey: '0', EndingHashKey: (3n * QUARTER - 1n).toString() } };
    const predictor = createShardPredictor([closed(zero!), closed(one!), closed(two!), three!, successor]);
    expect(predictor.shards.map((shard) => shard.shardId)).toEqual([4, 3].map(shardId));
    expect(errorOf(() => predictor.explicitHashKeyFor(shardId(1)), 'ERR_SHARD_SUPERSEDED').message).toContain(shardId(1));
  });

  it('predicts with a closed shard whose children are not listed (e.g. an AT_TIMESTAMP answer)', () => {
    const shards = sdkShards(FOUR);
    shards[2] = closed(shards[2]!);
    const predictor = createShardPredictor(shards);
    expect(predictor.shardIdForHashKey((2n * QUARTER).toString())).toBe(shardId(2));
    expect(predictor.shards[2]!.closed).toBe(true);
    expect(predictor.shards[1]!.closed).toBe(false);
  });

  it('ignores parent ids that name shards outside the list (trimmed by retention)', () => {
    const shards = sdkShards(FOUR).map((shard) => ({ ...shard, ParentShardId: 'shardId-000000000099' }));
    expect(createShardPredictor(shards).shards).toHaveLength(4);
  });

  it('routes every key to the one shard of a single-shard stream', () => {
    const predictor = createShardPredictor(sdkShards([{ start: 0n, end: MAX }]));
    expect(predictor.shardIdFor('a')).toBe(shardId(0));
    expect(predictor.shardIdForHashKey(MAX.toString())).toBe(shardId(0));
  });
});

describe('explicitHashKeyFor and hashRangeOf', () => {
  it('gives a key inside each shard that routes back to it, on random layouts', () => {
    fc.assert(
      fc.property(tilingArbitrary(64), (ranges) => {
        const predictor = createShardPredictor(sdkShards(ranges));
        ranges.forEach((range, index) => {
          const key = predictor.explicitHashKeyFor(shardId(index));
          expect(BigInt(key) >= range.start && BigInt(key) <= range.end).toBe(true);
          expect(predictor.shardIdFor('any', key)).toBe(shardId(index));
        });
      }),
    );
  });

  it('gives the middle of the range, rounded down', () => {
    const predictor = createShardPredictor(sdkShards(FOUR));
    expect(predictor.explicitHashKeyFor(shardId(0))).toBe(((QUARTER - 1n) / 2n).toString());
    expect(predictor.explicitHashKeyFor(shardId(3))).toBe(((3n * QUARTER + MAX) / 2n).toString());
  });

  it('refuses unknown shards and split parents, naming them', () => {
    const [zero, one] = sdkShards(rangesCutAt([QUARTER]));
    const child: ListShardsShard = { ShardId: shardId(2), ParentShardId: shardId(1), HashKeyRange: one!.HashKeyRange };
    const predictor = createShardPredictor([zero!, closed(one!), child]);
    expect(errorOf(() => predictor.explicitHashKeyFor('shardId-000000000007'), 'ERR_UNKNOWN_SHARD').message).toContain('"shardId-000000000007"');
    expect(errorOf(() => predictor.explicitHashKeyFor(shardId(1)), 'ERR_SHARD_SUPERSEDED').message).toContain(shardId(1));
    expect(predictor.explicitHashKeyFor(shardId(2))).toBe(predictor.explicitHashKeyFor(shardId(2)));
  });

  it('answers undefined for the range of a shard the list does not hold', () => {
    expect(createShardPredictor(sdkShards(FOUR)).hashRangeOf('shardId-000000000009')).toBeUndefined();
  });
});

describe('createShardPredictor errors', () => {
  const [zero, one, two, three] = sdkShards(FOUR);

  it('refuses an empty list and a non-array', () => {
    errorOf(() => createShardPredictor([]), 'ERR_NO_SHARDS');
    errorOf(() => createShardPredictor(undefined as never), 'ERR_INVALID_SHARDS');
    errorOf(() => createShardPredictor([null as never]), 'ERR_INVALID_SHARDS');
  });

  it('refuses malformed shard ids, naming the entry and the value', () => {
    const message = errorOf(() => createShardPredictor([{ ...zero!, ShardId: 'shard id 0' }]), 'ERR_INVALID_SHARD_ID').message;
    expect(message).toContain('shards[0].ShardId');
    expect(message).toContain('"shard id 0"');
    errorOf(() => createShardPredictor([{ ...zero!, ShardId: undefined }]), 'ERR_INVALID_SHARD_ID');
    errorOf(() => createShardPredictor([{ ...zero!, ParentShardId: '' }]), 'ERR_INVALID_SHARD_ID');
    errorOf(() => createShardPredictor([{ shardId: 'x'.repeat(129), startingHashKey: '0', endingHashKey: MAX.toString() }]), 'ERR_INVALID_SHARD_ID');
  });

  it('refuses a repeated shard id', () => {
    expect(errorOf(() => createShardPredictor([zero!, one!, two!, three!, zero!]), 'ERR_DUPLICATE_SHARD_ID').message).toContain('shards[4]');
  });

  it('refuses malformed hash keys and ranges', () => {
    for (const bad of ['-1', '01', '0x10', '1.5', '', (MAX + 1n).toString()]) {
      const error = errorOf(() => createShardPredictor([{ ...zero!, HashKeyRange: { StartingHashKey: bad, EndingHashKey: MAX.toString() } }]), 'ERR_INVALID_HASH_KEY');
      expect(error.message).toContain(JSON.stringify(bad));
      expect(error.cause).toBeDefined();
    }
    errorOf(() => createShardPredictor([{ ShardId: shardId(0) }]), 'ERR_INVALID_HASH_RANGE');
    errorOf(() => createShardPredictor([{ ShardId: shardId(0), HashKeyRange: { StartingHashKey: '5', EndingHashKey: '4' } }]), 'ERR_INVALID_HASH_RANGE');
  });

  it('refuses overlapping shards, naming both', () => {
    const wide: ListShardsShard = { ShardId: shardId(9), HashKeyRange: { StartingHashKey: '0', EndingHashKey: QUARTER.toString() } };
    const message = errorOf(() => createShardPredictor([wide, one!, two!, three!]), 'ERR_OVERLAPPING_SHARDS').message;
    expect(message).toContain(shardId(9));
    expect(message).toContain(shardId(1));
    // Two open shards over the same keys, neither naming the other as parent.
    const twin: ListShardsShard = { ShardId: shardId(4), HashKeyRange: one!.HashKeyRange };
    errorOf(() => createShardPredictor([zero!, one!, twin, two!, three!]), 'ERR_OVERLAPPING_SHARDS');
    // Two closed shards over the same keys with no open successor.
    errorOf(() => createShardPredictor([zero!, closed(one!), closed(twin), two!, three!]), 'ERR_OVERLAPPING_SHARDS');
  });

  it('refuses gaps at the start, between shards and at the end, naming the missing keys', () => {
    expect(errorOf(() => createShardPredictor([one!, two!, three!]), 'ERR_HASH_KEY_GAP').message).toContain(`0 … ${QUARTER - 1n}`);
    expect(errorOf(() => createShardPredictor([zero!, two!, three!]), 'ERR_HASH_KEY_GAP').message).toContain(`${QUARTER} … ${2n * QUARTER - 1n}`);
    expect(errorOf(() => createShardPredictor([zero!, one!, two!]), 'ERR_HASH_KEY_GAP').message).toContain(`${3n * QUARTER} … ${MAX}`);
    // A split parent whose children are only partly listed (a missed page) leaves a gap.
    const child: ListShardsShard = { ShardId: shardId(4), ParentShardId: shardId(1), HashKeyRange: { StartingHashKey: QUARTER.toString(), EndingHashKey: (QUARTER + 5n).toString() } };
    errorOf(() => createShardPredictor([zero!, closed(one!), two!, three!, child]), 'ERR_HASH_KEY_GAP');
  });

  it('refuses bad partition keys and explicit hash keys at lookup', () => {
    const predictor = createShardPredictor(sdkShards(FOUR));
    errorOf(() => predictor.shardIdFor(''), 'ERR_INVALID_PARTITION_KEY');
    expect(errorOf(() => predictor.shardIdFor('k'.repeat(257)), 'ERR_INVALID_PARTITION_KEY').message).toContain('257 characters');
    errorOf(() => predictor.shardIdFor(42 as never), 'ERR_INVALID_PARTITION_KEY');
    errorOf(() => predictor.shardIdFor('k', '+5'), 'ERR_INVALID_HASH_KEY');
    errorOf(() => predictor.shardIdForHashKey((MAX + 1n).toString()), 'ERR_INVALID_HASH_KEY');
  });
});
