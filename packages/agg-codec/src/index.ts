/**
 * `@tskpl/agg-codec`: the KPL aggregation format — byte-exact encoding, KCL-compatible
 * deaggregation and hash keys.
 * @packageDocumentation
 */
export {
  AGGREGATE_MAGIC,
  AGGREGATE_OVERHEAD,
  AGGREGATE_PARTITION_KEY,
  MAX_HASH_KEY,
  MAX_PARTITION_KEY_LENGTH,
} from './constants.js';
export { CodecError, isCodecError } from './errors.js';
export type { CodecErrorCode, CodecErrorOptions } from './errors.js';
export { isTskplError, TskplError } from './tskpl-error.js';
export type { TskplErrorOptions } from './tskpl-error.js';
export {
  compareHashKeys,
  hashKeyBytes,
  hashKeyOf,
  hashKeyToDecimal,
  isCanonicalExplicitHashKey,
  parseExplicitHashKey,
  partitionKeyHash,
} from './hash-key/hash-key.js';
export {
  binaryHashKeyToDecimal,
  binaryToBytes,
  bytesToBinary,
  explicitHashKeyBinary,
  partitionKeyHashBinary,
} from './hash-key/binary-key.js';
export { codePointLength, validatePartitionKey } from './validate.js';
export { AggregateBuilder } from './encode/aggregate-builder.js';
export type { BuilderRecord } from './encode/aggregate-builder.js';
export { encodeAggregate } from './encode/encode-aggregate.js';
export type { KinesisRecordEntry, UserRecord } from './encode/types.js';
export { deaggregate } from './decode/deaggregate.js';
export type {
  DeaggregatedRecord,
  DeaggregateInput,
  DeaggregateOptions,
  KinesisPreprocessingRecord,
  LambdaKinesisRecord,
  RawKinesisRecord,
  SdkKinesisRecord,
  ShardHashRange,
} from './decode/types.js';
