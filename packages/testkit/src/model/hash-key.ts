import { hash } from 'node:crypto';

/** The largest hash key, 2^128 − 1. */
export const MAX_HASH_KEY = (1n << 128n) - 1n;

const EXPLICIT_HASH_KEY_PATTERN = /^(0|[1-9]\d{0,38})$/;

/** MD5 of the partition key's UTF-8 bytes read as an unsigned 128-bit big-endian integer, as Kinesis routes. */
export function hashKeyOfPartitionKey(partitionKey: string): bigint {
  const digest = hash('md5', partitionKey, 'buffer');
  return (digest.readBigUInt64BE(0) << 64n) | digest.readBigUInt64BE(8);
}

/** True when `value` matches the API model's pattern for `ExplicitHashKey` (`0|([1-9]\d{0,38})`). */
export function matchesExplicitHashKeyPattern(value: string): boolean {
  return EXPLICIT_HASH_KEY_PATTERN.test(value);
}

/** Parses a decimal hash key already checked with {@link matchesExplicitHashKeyPattern}; undefined when above 2^128 − 1. */
export function parseHashKey(value: string): bigint | undefined {
  const key = BigInt(value);
  return key > MAX_HASH_KEY ? undefined : key;
}

/** The hash key ranges Kinesis gives `count` evenly sized shards: start_i = ⌊i · 2^128 / count⌋. */
export function evenHashKeyRanges(count: number): Array<{ start: bigint; end: bigint }> {
  const total = MAX_HASH_KEY + 1n;
  const ranges: Array<{ start: bigint; end: bigint }> = [];
  for (let index = 0; index < count; index++) {
    const start = (total * BigInt(index)) / BigInt(count);
    const end = (total * BigInt(index + 1)) / BigInt(count) - 1n;
    ranges.push({ start, end });
  }
  return ranges;
}
