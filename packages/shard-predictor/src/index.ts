/**
 * `@tskpl/shard-predictor`: which shard of a Kinesis stream a partition key or explicit hash key
 * goes to, from a ListShards answer; a shard's hash-key range; a key inside a shard, for pinning.
 * @packageDocumentation
 */
export { createShardPredictor } from './shard-predictor.js';
export type { PredictedShard, ShardHashRange, ShardPredictor } from './shard-predictor.js';
export type { ListShardsShard, ShardDescription, ShardInput } from './shard-list.js';
export { createHashRangeIndex, lookupHashRange } from './hash-range-index.js';
export type { BinaryHashRange, HashRangeIndex } from './hash-range-index.js';
export { isShardPredictorError, ShardPredictorError } from './errors.js';
export type { ShardPredictorErrorCode, ShardPredictorErrorOptions } from './errors.js';
export { isTskplError, TskplError } from './tskpl-error.js';
export type { TskplErrorOptions } from './tskpl-error.js';
