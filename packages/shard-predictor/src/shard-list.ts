/**
 * The shard lists a predictor is built from, and how one entry is read and checked: the AWS SDK's
 * `Shard` (what `ListShardsCommand` returns in `Shards`), matched by its shape so that no
 * `@aws-sdk/*` package is needed, or the camelCase description `@tskpl/producer`'s transport uses.
 */
import { explicitHashKeyBinary } from '@tskpl/agg-codec';
import { received, ShardPredictorError } from './errors.js';

/** A shard as ListShards returns it (the AWS SDK v3 `Shard`); only these fields are read. */
export interface ListShardsShard {
  /** The shard's ID, e.g. `shardId-000000000000` (required: a shard without one is rejected). */
  ShardId?: string | undefined;
  /** The shard this one was split from, or one of the two it was merged from. */
  ParentShardId?: string | undefined;
  /** The other shard of a merge; absent after a split. */
  AdjacentParentShardId?: string | undefined;
  /** The shard's hash key range (required). */
  HashKeyRange?: {
    /** Lowest hash key of the range, decimal, 0 … 2^128 − 1 (inclusive). */
    StartingHashKey?: string | undefined;
    /** Highest hash key of the range, decimal, at least `StartingHashKey` (inclusive). */
    EndingHashKey?: string | undefined;
  } | undefined;
  /** `EndingSequenceNumber` is present once the shard is closed. */
  SequenceNumberRange?: {
    /** The first sequence number of the shard; not read. */
    StartingSequenceNumber?: string | undefined;
    /** The last sequence number of a closed shard; its presence marks the shard closed. */
    EndingSequenceNumber?: string | undefined;
  } | undefined;
}

/** A shard in camelCase, as `@tskpl/producer`'s `KinesisTransport` and `@tskpl/testkit`'s `ShardInfo` describe it. */
export interface ShardDescription {
  /** The shard's ID, e.g. `shardId-000000000000`. */
  readonly shardId: string;
  /** Decimal, 0 … 2^128 − 1. */
  readonly startingHashKey: string;
  /** Decimal, 0 … 2^128 − 1, at least `startingHashKey`. */
  readonly endingHashKey: string;
  /** The shard this one was split from, or one of the two it was merged from. */
  readonly parentShardId?: string | undefined;
  /** The other shard of a merge; absent after a split. */
  readonly adjacentParentShardId?: string | undefined;
  /** Present once the shard is closed. */
  readonly endingSequenceNumber?: string | undefined;
}

/** One entry of the list given to `createShardPredictor`. */
export type ShardInput = ListShardsShard | ShardDescription;

/** A shard of the list, checked, with its range in decimal and binary. */
export interface ParsedShard {
  readonly shardId: string;
  readonly startingHashKey: string;
  readonly endingHashKey: string;
  readonly start: string;
  readonly end: string;
  readonly parentShardId: string | undefined;
  readonly adjacentParentShardId: string | undefined;
  readonly closed: boolean;
}

const SHARD_ID = /^[a-zA-Z0-9_.-]{1,128}$/;

/** Throws `ERR_INVALID_SHARD_ID` unless `value` matches the ListShards shard id pattern. */
export function checkShardId(value: unknown, name: string): string {
  if (typeof value !== 'string' || !SHARD_ID.test(value)) {
    throw new ShardPredictorError(
      'ERR_INVALID_SHARD_ID',
      `${name} must be a shard id of 1 … 128 characters from [a-zA-Z0-9_.-] (e.g. "shardId-000000000001"); received ${received(value)}`,
    );
  }
  return value;
}

/** A decimal hash key as a binary key; `ERR_INVALID_HASH_KEY` (with the codec's error as cause) otherwise. */
export function binaryHashKey(value: unknown, name: string): string {
  try {
    return explicitHashKeyBinary(value as string);
  } catch (error) {
    throw new ShardPredictorError(
      'ERR_INVALID_HASH_KEY',
      `${name} must be a canonical decimal string between 0 and 2^128 − 1 (digits only, no sign or leading zero); received ${received(value)}`,
      { cause: error },
    );
  }
}

function optionalShardId(value: unknown, name: string): string | undefined {
  return value === undefined || value === null ? undefined : checkShardId(value, name);
}

/** Reads and checks entry `position` of a shard list. */
export function parseShard(input: unknown, position: number): ParsedShard {
  const name = `shards[${position}]`;
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    throw new ShardPredictorError('ERR_INVALID_SHARDS', `${name} must be a ListShards Shard or a shard description object; received ${received(input)}`);
  }
  const shard = input as Record<string, unknown>;
  const sdk = 'ShardId' in shard || 'HashKeyRange' in shard;
  let shardId: string;
  let startingHashKey: unknown;
  let endingHashKey: unknown;
  let parentShardId: string | undefined;
  let adjacentParentShardId: string | undefined;
  let closed: boolean;
  if (sdk) {
    const sdkShard = shard as ListShardsShard;
    shardId = checkShardId(sdkShard.ShardId, `${name}.ShardId`);
    const range = sdkShard.HashKeyRange;
    if (typeof range !== 'object' || range === null) {
      throw new ShardPredictorError('ERR_INVALID_HASH_RANGE', `${name}.HashKeyRange of ${shardId} must be { StartingHashKey, EndingHashKey }; received ${received(range)}`);
    }
    startingHashKey = range.StartingHashKey;
    endingHashKey = range.EndingHashKey;
    parentShardId = optionalShardId(sdkShard.ParentShardId, `${name}.ParentShardId`);
    adjacentParentShardId = optionalShardId(sdkShard.AdjacentParentShardId, `${name}.AdjacentParentShardId`);
    closed = typeof sdkShard.SequenceNumberRange?.EndingSequenceNumber === 'string';
  } else {
    const description = shard as Partial<ShardDescription>;
    shardId = checkShardId(description.shardId, `${name}.shardId`);
    startingHashKey = description.startingHashKey;
    endingHashKey = description.endingHashKey;
    parentShardId = optionalShardId(description.parentShardId, `${name}.parentShardId`);
    adjacentParentShardId = optionalShardId(description.adjacentParentShardId, `${name}.adjacentParentShardId`);
    closed = typeof description.endingSequenceNumber === 'string';
  }
  const start = binaryHashKey(startingHashKey, `The starting hash key of ${shardId} (${name})`);
  const end = binaryHashKey(endingHashKey, `The ending hash key of ${shardId} (${name})`);
  if (start > end) {
    throw new ShardPredictorError(
      'ERR_INVALID_HASH_RANGE',
      `The hash-key range of ${shardId} (${name}) must not start above its end; received ${String(startingHashKey)} … ${String(endingHashKey)}`,
    );
  }
  return {
    shardId,
    startingHashKey: startingHashKey as string,
    endingHashKey: endingHashKey as string,
    start,
    end,
    parentShardId,
    adjacentParentShardId,
    closed,
  };
}
