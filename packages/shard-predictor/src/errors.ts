/**
 * Errors thrown by `@tskpl/shard-predictor`. Every error is a {@link ShardPredictorError} with a
 * stable `code`; `isShardPredictorError` recognises one even when two copies of the package are
 * installed (the brand of ./tskpl-error.ts).
 */

import { TskplError } from './tskpl-error.js';

/** Stable codes carried by {@link ShardPredictorError}. */
export type ShardPredictorErrorCode =
  /** The shard list is not an array, or an entry is not an object. */
  | 'ERR_INVALID_SHARDS'
  /** The shard list is empty: no shard can own any key. */
  | 'ERR_NO_SHARDS'
  /** A shard id is missing, not a string, or not `[a-zA-Z0-9_.-]{1,128}` (the ListShards pattern). */
  | 'ERR_INVALID_SHARD_ID'
  /** Two entries of the list carry the same shard id. */
  | 'ERR_DUPLICATE_SHARD_ID'
  /** A shard's hash-key range is missing, or its starting key is above its ending key. */
  | 'ERR_INVALID_HASH_RANGE'
  /** A hash key (of a range, or passed to a lookup) is not a canonical decimal in 0 … 2^128 − 1. */
  | 'ERR_INVALID_HASH_KEY'
  /** A partition key is not a string of 1 … 256 UTF-16 code units. */
  | 'ERR_INVALID_PARTITION_KEY'
  /** Two shards that take part in prediction own a common hash key. */
  | 'ERR_OVERLAPPING_SHARDS'
  /** Some hash key in 0 … 2^128 − 1 is owned by no shard that takes part in prediction. */
  | 'ERR_HASH_KEY_GAP'
  /** A shard id that the list does not contain. */
  | 'ERR_UNKNOWN_SHARD'
  /** A shard whose range its children own (it was split or merged), so no key routes to it. */
  | 'ERR_SHARD_SUPERSEDED';

/** Options accepted by the {@link ShardPredictorError} constructor. */
export interface ShardPredictorErrorOptions {
  /** The underlying error, if any (e.g. the codec's error for a malformed key). */
  cause?: unknown;
}

/**
 * The one error class of the shard predictor (its base of the {@link TskplError} scheme all
 * `@tskpl` packages share). Its errors describe bad input, so they are never worth retrying
 * (`retriable` is always `false`).
 */
export class ShardPredictorError extends TskplError {
  static override readonly scope: string = '@tskpl/shard-predictor';
  declare readonly code: ShardPredictorErrorCode;
  /** Always `false`: the same input fails the same way again. */
  declare readonly retriable: false;

  /**
   * @param code - the stable error code
   * @param message - what was wrong, the value received and what is allowed
   * @param options - optional `cause`
   */
  constructor(code: ShardPredictorErrorCode, message: string, options?: ShardPredictorErrorOptions) {
    super(code, message, { cause: options?.cause });
  }
}

/**
 * True when `value` is a {@link ShardPredictorError} from any copy of this package (the same as
 * `value instanceof ShardPredictorError`).
 * @param value - anything
 */
export function isShardPredictorError(value: unknown): value is ShardPredictorError {
  return value instanceof ShardPredictorError;
}

/** A received value for an error message: strings quoted (cut at 64 characters), other values by type. */
export function received(value: unknown): string {
  if (typeof value === 'string') return value.length > 64 ? `${JSON.stringify(value.slice(0, 64))}… (${value.length} characters)` : JSON.stringify(value);
  if (value === null || value === undefined) return String(value);
  if (typeof value === 'object') return Array.isArray(value) ? 'an array' : 'an object';
  return `${typeof value} ${String(value)}`;
}
