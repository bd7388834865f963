/**
 * Hash keys as 16-character binary strings: each character's code is one byte, most significant
 * first. Strings of equal length compare with `<` and `>` in the same order as the unsigned
 * integers they hold, and a one-byte string costs about 32 bytes of heap against about 216 for a
 * `Uint8Array(16)` — the producer keeps one per buffered record.
 *
 * For the producer and the shard predictor: exported so that they share one implementation, not
 * for applications (each is marked `@internal`, left out of the reference docs, and may change in
 * any release). Applications use `partitionKeyHash`, `hashKeyOf` and `hashKeyToDecimal`.
 */
import { bytesToDecimal } from './decimal.js';
import { parseExplicitHashKey } from './hash-key.js';
import { md5BinaryOfString } from './md5.js';
import { md5OfShortAscii } from './md5-short.js';
import { toKplString } from './kpl-string.js';

/**
 * MD5 of the partition key's UTF-8 bytes (as the KPL writes them) as a 16-character binary string.
 * @internal
 */
export function partitionKeyHashBinary(partitionKey: string): string {
  // An ASCII key needs no KPL conversion; a short one is hashed in JavaScript (md5-short.ts).
  return md5OfShortAscii(partitionKey) ?? md5BinaryOfString(toKplString(partitionKey));
}

/**
 * A canonical decimal explicit hash key as a 16-character binary string.
 * @throws {@link CodecError} `ERR_INVALID_EXPLICIT_HASH_KEY` for anything but a canonical decimal in 0 … 2^128 − 1
 * @internal
 */
export function explicitHashKeyBinary(decimal: string): string {
  return bytesToBinary(parseExplicitHashKey(decimal));
}

/**
 * 16 bytes as a binary string.
 * @internal
 */
export function bytesToBinary(bytes: Uint8Array): string {
  return String.fromCharCode(...bytes);
}

/**
 * A binary hash key back to 16 bytes.
 * @internal
 */
export function binaryToBytes(key: string): Uint8Array {
  const bytes = new Uint8Array(16);
  for (let index = 0; index < 16; index++) bytes[index] = key.charCodeAt(index);
  return bytes;
}

/**
 * The canonical decimal of a binary hash key (what PutRecords takes as `ExplicitHashKey`).
 * @internal
 */
export function binaryHashKeyToDecimal(key: string): string {
  return bytesToDecimal(binaryToBytes(key));
}
