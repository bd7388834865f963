// API report of @tskpl/shard-predictor: dist/index.d.ts without comments. Regenerate: see test-runtimes/test/api-report.test.ts.
interface ListShardsShard {
    ShardId?: string | undefined;
    ParentShardId?: string | undefined;
    AdjacentParentShardId?: string | undefined;
    HashKeyRange?: {
        StartingHashKey?: string | undefined;
        EndingHashKey?: string | undefined;
    } | undefined;
    SequenceNumberRange?: {
        StartingSequenceNumber?: string | undefined;
        EndingSequenceNumber?: string | undefined;
    } | undefined;
}
interface ShardDescription {
    readonly shardId: string;
    readonly startingHashKey: string;
    readonly endingHashKey: string;
    readonly parentShardId?: string | undefined;
    readonly adjacentParentShardId?: string | undefined;
    readonly endingSequenceNumber?: string | undefined;
}
type ShardInput = ListShardsShard | ShardDescription;
interface ShardHashRange {
    readonly startingHashKey: string;
    readonly endingHashKey: string;
}
interface PredictedShard extends ShardHashRange {
    readonly shardId: string;
    readonly parentShardId: string | undefined;
    readonly adjacentParentShardId: string | undefined;
    readonly closed: boolean;
}
interface ShardPredictor {
    readonly shards: readonly PredictedShard[];
    shardIdFor(partitionKey: string, explicitHashKey?: string): string;
    shardIdForHashKey(hashKey: string): string;
    hashRangeOf(shardId: string): ShardHashRange | undefined;
    explicitHashKeyFor(shardId: string): string;
}
declare function createShardPredictor(shards: readonly ShardInput[]): ShardPredictor;
interface BinaryHashRange {
    readonly start: string;
    readonly end: string;
}
interface HashRangeIndex {
    readonly count: number;
    readonly starts: readonly string[];
    readonly ends: readonly string[];
    readonly order: readonly number[];
}
declare function createHashRangeIndex(ranges: readonly BinaryHashRange[]): HashRangeIndex;
declare function lookupHashRange(index: HashRangeIndex, key: string): number;
interface TskplErrorOptions {
    retriable?: boolean;
    cause?: unknown;
}
declare abstract class TskplError extends Error {
    static readonly scope: string;
    readonly code: string;
    readonly retriable: boolean;
    constructor(code: string, message: string, options?: TskplErrorOptions);
    static [Symbol.hasInstance](value: unknown): boolean;
}
declare function isTskplError(value: unknown): value is TskplError;
type ShardPredictorErrorCode = "ERR_INVALID_SHARDS" | "ERR_NO_SHARDS" | "ERR_INVALID_SHARD_ID" | "ERR_DUPLICATE_SHARD_ID" | "ERR_INVALID_HASH_RANGE" | "ERR_INVALID_HASH_KEY" | "ERR_INVALID_PARTITION_KEY" | "ERR_OVERLAPPING_SHARDS" | "ERR_HASH_KEY_GAP" | "ERR_UNKNOWN_SHARD" | "ERR_SHARD_SUPERSEDED";
interface ShardPredictorErrorOptions {
    cause?: unknown;
}
declare class ShardPredictorError extends TskplError {
    static readonly scope: string;
    readonly code: ShardPredictorErrorCode;
    readonly retriable: false;
    constructor(code: ShardPredictorErrorCode, message: string, options?: ShardPredictorErrorOptions);
}
declare function isShardPredictorError(value: unknown): value is ShardPredictorError;
export { type BinaryHashRange, type HashRangeIndex, type ListShardsShard, type PredictedShard, type ShardDescription, type ShardHashRange, type ShardInput, type ShardPredictor, ShardPredictorError, type ShardPredictorErrorCode, type ShardPredictorErrorOptions, TskplError, type TskplErrorOptions, createHashRangeIndex, createShardPredictor, isShardPredictorError, isTskplError, lookupHashRange };
