/**
 * The shard predictor: which shard of a stream a record goes to, from a ListShards answer.
 *
 * Routing rule (Kinesis's, and the KPL's): a record's hash key is its explicit hash key when it
 * has one, else the MD5 of its partition key's UTF-8 bytes read as an unsigned 128-bit big-endian
 * integer; the record goes to the shard whose hash-key range (both ends inclusive) holds that key.
 *
 * Which shards take part: the newest layout the list describes. A shard is left out when
 * - another shard of the list names it as its `ParentShardId` or `AdjacentParentShardId` (after a
 *   split or a merge the children own its range, even if it was still open when its page was
 *   read), or
 * - it is closed (it has an `EndingSequenceNumber`) and an open shard of the list owns some of its
 *   keys.
 * So a list that holds closed shards next to their successors (ListShards without a filter, or
 * with `AT_TRIM_HORIZON` or `FROM_TIMESTAMP`) predicts like the `AT_LATEST` list of open shards,
 * while closed shards with no successor in the list (an `AT_TIMESTAMP` answer for a past time)
 * take part. The shards that take part must cover 0 … 2^128 − 1 exactly once: an overlap or a gap
 * is an error.
 */
import { partitionKeyHashBinary, validatePartitionKey } from '@tskpl/agg-codec';
import { received, ShardPredictorError } from './errors.js';
import { createHashRangeIndex, firstRowEndingAtOrAfter, lookupHashRange } from './hash-range-index.js';
import type { BinaryHashRange, HashRangeIndex } from './hash-range-index.js';
import { binaryHashKey, parseShard } from './shard-list.js';
import type { ParsedShard, ShardInput } from './shard-list.js';

/** A hash-key range in decimal, both ends inclusive. */
export interface ShardHashRange {
  /** Decimal, 0 … 2^128 − 1. */
  readonly startingHashKey: string;
  /** Decimal, 0 … 2^128 − 1. */
  readonly endingHashKey: string;
}

/** A shard that takes part in prediction. */
export interface PredictedShard extends ShardHashRange {
  /** The shard's ID, as the list gave it. */
  readonly shardId: string;
  /** The shard this one was split from, or one of the two it was merged from; undefined when the list names none. */
  readonly parentShardId: string | undefined;
  /** The other shard of a merge; undefined when the list names none. */
  readonly adjacentParentShardId: string | undefined;
  /** True when the list gave the shard an `EndingSequenceNumber` (it takes no more writes). */
  readonly closed: boolean;
}

/** Maps records to shards. Created by {@link createShardPredictor}; immutable. */
export interface ShardPredictor {
  /** The shards that take part in prediction, ascending by hash-key range. */
  readonly shards: readonly PredictedShard[];
  /**
   * The shard a record with this partition key (and optional explicit hash key, which wins when
   * given) goes to.
   * @throws {@link ShardPredictorError} `ERR_INVALID_PARTITION_KEY` unless `partitionKey` has 1 … 256 UTF-16 code units; `ERR_INVALID_HASH_KEY` for an explicit hash key that is not a canonical decimal in 0 … 2^128 − 1
   */
  shardIdFor(partitionKey: string, explicitHashKey?: string): string;
  /**
   * The shard owning a decimal hash key.
   * @throws {@link ShardPredictorError} `ERR_INVALID_HASH_KEY` unless `hashKey` is a canonical decimal in 0 … 2^128 − 1
   */
  shardIdForHashKey(hashKey: string): string;
  /** The range of any shard of the list (also one left out of prediction), or `undefined` for an id the list does not hold. */
  hashRangeOf(shardId: string): ShardHashRange | undefined;
  /**
   * A decimal hash key that routes to `shardId` (the middle of its range, rounded down): pass it as
   * a record's `explicitHashKey` to pin the record to that shard. It stays valid until the shard is
   * split or merged; after a reshard, build a new predictor.
   * @throws {@link ShardPredictorError} `ERR_UNKNOWN_SHARD` for an id the list does not hold; `ERR_SHARD_SUPERSEDED` for a shard left out of prediction (its successors are in the list)
   */
  explicitHashKeyFor(shardId: string): string;
}

const MAX_KEY = '\xff'.repeat(16);

function describe(shard: ParsedShard): string {
  return `${shard.shardId} (${shard.startingHashKey} … ${shard.endingHashKey})`;
}

/** True when a row of `index` (whose rows do not overlap) owns a key of `range`. */
function overlaps(index: HashRangeIndex, range: BinaryHashRange): boolean {
  const row = firstRowEndingAtOrAfter(index, range.start);
  return row < index.count && index.starts[row]! <= range.end;
}

/** Throws unless `routed` (ascending by ending key) covers 0 … 2^128 − 1 exactly once. */
function checkTiling(routed: readonly ParsedShard[]): void {
  let expectedStart = 0n;
  let previous: ParsedShard | undefined;
  for (const shard of routed) {
    const start = BigInt(shard.startingHashKey);
    if (start < expectedStart) {
      throw new ShardPredictorError(
        'ERR_OVERLAPPING_SHARDS',
        `Shards ${describe(previous!)} and ${describe(shard)} both own hash key ${shard.startingHashKey}; the shards that take part in prediction must not overlap (a closed parent takes no part only when its children are in the list)`,
      );
    }
    if (start > expectedStart) {
      const after = previous === undefined ? 'below the first shard' : `between ${describe(previous)} and ${describe(shard)}`;
      throw new ShardPredictorError(
        'ERR_HASH_KEY_GAP',
        `No shard owns hash keys ${expectedStart} … ${start - 1n} (${after}); the list must cover 0 … 2^128 − 1 (did it miss a ListShards page?)`,
      );
    }
    expectedStart = BigInt(shard.endingHashKey) + 1n;
    previous = shard;
  }
  if (previous !== undefined && previous.end !== MAX_KEY) {
    throw new ShardPredictorError(
      'ERR_HASH_KEY_GAP',
      `No shard owns hash keys ${expectedStart} … ${(1n << 128n) - 1n} (above ${describe(previous)}); the list must cover 0 … 2^128 − 1 (did it miss a ListShards page?)`,
    );
  }
}

/**
 * Builds a predictor from a ListShards answer: the SDK's `Shard[]` (`Shards` of every page
 * concatenated) or camelCase {@link ShardDescription}s, in any order. See the module comment for
 * which shards take part.
 * @throws {@link ShardPredictorError} `ERR_INVALID_SHARDS`, `ERR_NO_SHARDS`, `ERR_INVALID_SHARD_ID`, `ERR_DUPLICATE_SHARD_ID`, `ERR_INVALID_HASH_RANGE`, `ERR_INVALID_HASH_KEY`, `ERR_OVERLAPPING_SHARDS` or `ERR_HASH_KEY_GAP`
 */
export function createShardPredictor(shards: readonly ShardInput[]): ShardPredictor {
  if (!Array.isArray(shards)) {
    throw new ShardPredictorError('ERR_INVALID_SHARDS', `shards must be an array (the Shards of a ListShards answer); received ${received(shards)}`);
  }
  if (shards.length === 0) {
    throw new ShardPredictorError('ERR_NO_SHARDS', 'shards must hold at least one shard; received an empty list (a ListShards answer always holds the open shards)');
  }
  const byId = new Map<string, ParsedShard>();
  const parents = new Set<string>();
  (shards as readonly unknown[]).forEach((input, position) => {
    const shard = parseShard(input, position);
    if (byId.has(shard.shardId)) {
      throw new ShardPredictorError('ERR_DUPLICATE_SHARD_ID', `shards[${position}] repeats shard id ${shard.shardId}; each shard must appear once`);
    }
    byId.set(shard.shardId, shard);
    if (shard.parentShardId !== undefined) parents.add(shard.parentShardId);
    if (shard.adjacentParentShardId !== undefined) parents.add(shard.adjacentParentShardId);
  });
  const unsuperseded = [...byId.values()].filter((shard) => !parents.has(shard.shardId));
  const open = createHashRangeIndex(unsuperseded.filter((shard) => !shard.closed));
  const candidates = unsuperseded.filter((shard) => !shard.closed || !overlaps(open, shard));
  const index = createHashRangeIndex(candidates);
  const routed = index.order.map((position) => candidates[position]!);
  checkTiling(routed);
  const predicted: readonly PredictedShard[] = Object.freeze(
    routed.map((shard) =>
      Object.freeze({
        shardId: shard.shardId,
        startingHashKey: shard.startingHashKey,
        endingHashKey: shard.endingHashKey,
        parentShardId: shard.parentShardId,
        adjacentParentShardId: shard.adjacentParentShardId,
        closed: shard.closed,
      }),
    ),
  );
  const routedIds = new Set(predicted.map((shard) => shard.shardId));
  const ranges = new Map<string, ShardHashRange>();
  for (const shard of byId.values()) ranges.set(shard.shardId, Object.freeze({ startingHashKey: shard.startingHashKey, endingHashKey: shard.endingHashKey }));

  // The tiling check guarantees that every key has a row.
  const shardIdOfKey = (key: string): string => predicted[lookupHashRange(index, key)]!.shardId;

  return Object.freeze({
    shards: predicted,
    shardIdFor(partitionKey: string, explicitHashKey?: string): string {
      try {
        validatePartitionKey(partitionKey);
      } catch (error) {
        throw new ShardPredictorError(
          'ERR_INVALID_PARTITION_KEY',
          `partitionKey must be a string of 1 … 256 UTF-16 code units; received ${received(partitionKey)}`,
          { cause: error },
        );
      }
      return shardIdOfKey(explicitHashKey === undefined ? partitionKeyHashBinary(partitionKey) : binaryHashKey(explicitHashKey, 'explicitHashKey'));
    },
    shardIdForHashKey(hashKey: string): string {
      return shardIdOfKey(binaryHashKey(hashKey, 'hashKey'));
    },
    hashRangeOf(shardId: string): ShardHashRange | undefined {
      return ranges.get(shardId);
    },
    explicitHashKeyFor(shardId: string): string {
      const shard = byId.get(shardId);
      if (shard === undefined) {
        throw new ShardPredictorError('ERR_UNKNOWN_SHARD', `shardId ${received(shardId)} is not in the shard list (${byId.size} shards, e.g. ${predicted[0]!.shardId})`);
      }
      if (!routedIds.has(shardId)) {
        throw new ShardPredictorError(
          'ERR_SHARD_SUPERSEDED',
          `Shard ${shardId} was split or merged: its successors in the list own its range, so no hash key routes to it; pin to one of them instead`,
        );
      }
      return ((BigInt(shard.startingHashKey) + BigInt(shard.endingHashKey)) >> 1n).toString();
    },
  });
}
