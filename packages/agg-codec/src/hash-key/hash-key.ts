import { MAX_HASH_KEY } from '../constants.js';
import { CodecError, describeValue } from '../errors.js';
import { bytesToDecimal, decimalToBytes } from './decimal.js';
import { toKplString } from './kpl-string.js';
import { md5OfString } from './md5.js';
import { validatePartitionKey } from '../validate.js';

const CANONICAL_DECIMAL = /^(?:0|[1-9][0-9]{0,38})$/;

/**
 * True when `value` is a canonical decimal hash key: digits only, no sign, no leading zero,
 * between 0 and 2^128 − 1 inclusive.
 * @param value - the candidate explicit hash key
 */
export function isCanonicalExplicitHashKey(value: string): boolean {
  if (typeof value !== 'string' || !CANONICAL_DECIMAL.test(value)) return false;
  // Same-length digit strings compare like the numbers they spell.
  return value.length < MAX_HASH_KEY.length || value <= MAX_HASH_KEY;
}

/**
 * Throws {@link CodecError} `ERR_INVALID_EXPLICIT_HASH_KEY` unless `value` is canonical.
 * @internal
 */
export function assertExplicitHashKey(value: unknown): asserts value is string {
  if (typeof value !== 'string' || !isCanonicalExplicitHashKey(value)) {
    throw new CodecError(
      'ERR_INVALID_EXPLICIT_HASH_KEY',
      `explicitHashKey must be a canonical decimal string (digits only, no sign or leading zero) between 0 and ${MAX_HASH_KEY}; received ${describeValue(value)}`,
    );
  }
}

/**
 * Parses a canonical decimal explicit hash key into its 16-byte big-endian value.
 * @param decimal - canonical decimal string, 0 … 2^128 − 1
 * @throws {@link CodecError} `ERR_INVALID_EXPLICIT_HASH_KEY` for anything else (`-1`, `0x10`, `1.5`, `+5`, `01`, `''`, 2^128)
 */
export function parseExplicitHashKey(decimal: string): Uint8Array {
  assertExplicitHashKey(decimal);
  return decimalToBytes(decimal);
}

/**
 * The KPL's hash key of a partition key: MD5 of its UTF-8 bytes (unpaired surrogates written as
 * `?`, as the KPL's Java side does), read as an unsigned 128-bit big-endian integer.
 * @param partitionKey - the partition key (not validated here; see {@link validatePartitionKey})
 * @returns 16 bytes, most significant first
 */
export function partitionKeyHash(partitionKey: string): Uint8Array {
  return md5OfString(toKplString(partitionKey));
}

/**
 * The 16-byte hash key that routes a record: the explicit hash key when given, else the MD5 of
 * the partition key.
 * @param partitionKey - the record's partition key
 * @param explicitHashKey - optional canonical decimal explicit hash key; it wins when present
 * @throws {@link CodecError} `ERR_INVALID_EXPLICIT_HASH_KEY` for a non-canonical explicit hash key
 */
export function hashKeyBytes(partitionKey: string, explicitHashKey?: string): Uint8Array {
  return explicitHashKey === undefined ? partitionKeyHash(partitionKey) : parseExplicitHashKey(explicitHashKey);
}

/**
 * Canonical decimal string of a 16-byte big-endian hash key.
 * @param hashKey - exactly 16 bytes
 * @throws {@link CodecError} `ERR_INVALID_DATA` when `hashKey` is not a 16-byte Uint8Array
 */
export function hashKeyToDecimal(hashKey: Uint8Array): string {
  if (!(hashKey instanceof Uint8Array) || hashKey.length !== 16) {
    throw new CodecError('ERR_INVALID_DATA', `hashKey must be a Uint8Array of exactly 16 bytes; received ${describeValue(hashKey)}`);
  }
  return bytesToDecimal(hashKey);
}

/**
 * Compares two 16-byte big-endian hash keys as unsigned integers (no BigInt).
 * @returns a negative number when `a < b`, 0 when equal, a positive number when `a > b`
 */
export function compareHashKeys(a: Uint8Array, b: Uint8Array): number {
  for (let index = 0; index < 16; index++) {
    const difference = (a[index] as number) - (b[index] as number);
    if (difference !== 0) return difference;
  }
  return 0;
}

/**
 * The canonical decimal hash key of a record, as the KPL puts it in `ExplicitHashKey`.
 * @param partitionKey - validated as Kinesis does (1 … 256 Unicode code points)
 * @param explicitHashKey - optional canonical decimal explicit hash key; returned as is when valid
 * @throws {@link CodecError} `ERR_INVALID_PARTITION_KEY` or `ERR_INVALID_EXPLICIT_HASH_KEY`
 */
export function hashKeyOf(partitionKey: string, explicitHashKey?: string): string {
  validatePartitionKey(partitionKey);
  if (explicitHashKey !== undefined) {
    assertExplicitHashKey(explicitHashKey);
    return explicitHashKey;
  }
  return bytesToDecimal(partitionKeyHash(partitionKey));
}
