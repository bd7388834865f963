/** Constants of the KPL aggregation format (docs/kpl-compatibility.md, "Aggregation format"). */

/**
 * The four bytes every KPL aggregate starts with: `F3 89 9A C2`. A fresh copy for callers; the
 * codec itself never reads this array, so mutating it cannot break encoding or decoding.
 */
export const AGGREGATE_MAGIC: Uint8Array = new Uint8Array([0xf3, 0x89, 0x9a, 0xc2]);

/** Magic bytes one by one, for the encoder and decoder. @internal */
export const MAGIC_0 = 0xf3;
/** @internal */
export const MAGIC_1 = 0x89;
/** @internal */
export const MAGIC_2 = 0x9a;
/** @internal */
export const MAGIC_3 = 0xc2;

/** Length of the MD5 trailer that ends every aggregate. */
export const DIGEST_SIZE = 16;

/** Fixed bytes around the protobuf of an aggregate: 4 magic + 16 MD5 = 20 (the KPL's `kFixedOverhead`). */
export const AGGREGATE_OVERHEAD = 20;

/** The partition key the KPL puts on every aggregate of two or more records. */
export const AGGREGATE_PARTITION_KEY = 'a';

/** The largest hash key, 2^128 − 1, as a canonical decimal string. */
export const MAX_HASH_KEY = '340282366920938463463374607431768211455';

/** The most Unicode code points Kinesis accepts in a partition key (the Java KPL counts UTF-16 units instead; docs/kpl-compatibility.md, "Input validation"). */
export const MAX_PARTITION_KEY_LENGTH = 256;
