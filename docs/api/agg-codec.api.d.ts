// API report of @tskpl/agg-codec: dist/index.d.ts without comments. Regenerate: see test-runtimes/test/api-report.test.ts.
declare const AGGREGATE_MAGIC: Uint8Array;
declare const AGGREGATE_OVERHEAD = 20;
declare const AGGREGATE_PARTITION_KEY = "a";
declare const MAX_HASH_KEY = "340282366920938463463374607431768211455";
declare const MAX_PARTITION_KEY_LENGTH = 256;
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
type CodecErrorCode = "ERR_INVALID_PARTITION_KEY" | "ERR_INVALID_EXPLICIT_HASH_KEY" | "ERR_INVALID_DATA" | "ERR_EMPTY_RECORDS" | "ERR_INVALID_RECORD" | "ERR_INVALID_CONFIG" | "ERR_NOT_AGGREGATE" | "ERR_HASH_KEY_OUT_OF_RANGE" | "ERR_CORRUPT_AGGREGATE";
interface CodecErrorOptions {
    cause?: unknown;
}
declare class CodecError extends TskplError {
    static readonly scope: string;
    readonly code: CodecErrorCode;
    readonly retriable: false;
    constructor(code: CodecErrorCode, message: string, options?: CodecErrorOptions);
}
declare function isCodecError(value: unknown): value is CodecError;
declare function isCanonicalExplicitHashKey(value: string): boolean;
declare function parseExplicitHashKey(decimal: string): Uint8Array;
declare function partitionKeyHash(partitionKey: string): Uint8Array;
declare function hashKeyBytes(partitionKey: string, explicitHashKey?: string): Uint8Array;
declare function hashKeyToDecimal(hashKey: Uint8Array): string;
declare function compareHashKeys(a: Uint8Array, b: Uint8Array): number;
declare function hashKeyOf(partitionKey: string, explicitHashKey?: string): string;
declare function partitionKeyHashBinary(partitionKey: string): string;
declare function explicitHashKeyBinary(decimal: string): string;
declare function bytesToBinary(bytes: Uint8Array): string;
declare function binaryToBytes(key: string): Uint8Array;
declare function binaryHashKeyToDecimal(key: string): string;
declare function codePointLength(value: string): number;
declare function validatePartitionKey(partitionKey: unknown): asserts partitionKey is string;
interface UserRecord {
    partitionKey: string;
    explicitHashKey?: string;
    data: Uint8Array;
}
interface KinesisRecordEntry {
    partitionKey: string;
    explicitHashKey: string;
    data: Uint8Array;
}
interface BuilderRecord {
    partitionKey: string;
    explicitHashKey?: string;
    data: Uint8Array;
    dataOffset?: number;
    dataLength?: number;
    hashKey?: Uint8Array;
}
declare class AggregateBuilder {
    private readonly records;
    private recordCount;
    private readonly partitionKeyIndices;
    private readonly explicitHashKeyIndices;
    private readonly recordSizes;
    private readonly recordEstimates;
    private readonly partitionKeys;
    private readonly explicitHashKeys;
    private recordsSize;
    private estimate;
    private measuredRecord;
    private measuredSourceKey;
    private measuredExplicitHashKey;
    private measuredData;
    private measuredDataOffset;
    private measuredDataLength;
    private measuredPartitionKey;
    private measuredPartitionKeyIndex;
    private measuredByteLength;
    get count(): number;
    get size(): number;
    get estimatedSize(): number;
    sizeWith(record: BuilderRecord): number;
    add(record: BuilderRecord): void;
    removeLast(): BuilderRecord | undefined;
    build(): KinesisRecordEntry;
    reset(): void;
    private protobufSize;
    private writeAggregate;
}
declare function encodeAggregate(records: readonly UserRecord[]): KinesisRecordEntry;
interface RawKinesisRecord {
    data: Uint8Array;
    partitionKey: string;
    explicitHashKey?: string;
    sequenceNumber?: string;
}
interface SdkKinesisRecord {
    Data: Uint8Array;
    PartitionKey: string;
    SequenceNumber?: string;
    ExplicitHashKey?: string;
}
interface LambdaKinesisRecord {
    kinesis: {
        data: string;
        partitionKey: string;
        sequenceNumber?: string;
    };
}
interface KinesisPreprocessingRecord {
    data: string;
    kinesisStreamRecordMetadata?: {
        partitionKey: string;
        sequenceNumber?: string;
    };
    kinesisRecordMetadata?: {
        partitionKey: string;
        sequenceNumber?: string;
    };
}
type DeaggregateInput = RawKinesisRecord | SdkKinesisRecord | LambdaKinesisRecord | KinesisPreprocessingRecord;
interface ShardHashRange {
    start: string;
    end: string;
}
interface DeaggregateOptions {
    strict?: boolean;
    shardHashRange?: ShardHashRange;
}
interface DeaggregatedRecord {
    partitionKey: string;
    explicitHashKey?: string;
    data: Uint8Array;
    aggregated: boolean;
    subSequenceNumber: number;
    sequenceNumber?: string;
}
declare function deaggregate(record: DeaggregateInput, options?: DeaggregateOptions): DeaggregatedRecord[];
export { AGGREGATE_MAGIC, AGGREGATE_OVERHEAD, AGGREGATE_PARTITION_KEY, AggregateBuilder, type BuilderRecord, CodecError, type CodecErrorCode, type CodecErrorOptions, type DeaggregateInput, type DeaggregateOptions, type DeaggregatedRecord, type KinesisPreprocessingRecord, type KinesisRecordEntry, type LambdaKinesisRecord, MAX_HASH_KEY, MAX_PARTITION_KEY_LENGTH, type RawKinesisRecord, type SdkKinesisRecord, type ShardHashRange, TskplError, type TskplErrorOptions, type UserRecord, binaryHashKeyToDecimal, binaryToBytes, bytesToBinary, codePointLength, compareHashKeys, deaggregate, encodeAggregate, explicitHashKeyBinary, hashKeyBytes, hashKeyOf, hashKeyToDecimal, isCanonicalExplicitHashKey, isCodecError, isTskplError, parseExplicitHashKey, partitionKeyHash, partitionKeyHashBinary, validatePartitionKey };
