// API report of @tskpl/producer: dist/index.d.ts without comments. Regenerate: see test-runtimes/test/api-report.test.ts.
import { Writable } from "node:stream";
import { KinesisClientConfig, KinesisClient } from "@aws-sdk/client-kinesis";
import { KinesisRecordEntry } from "@tskpl/agg-codec";
interface Timer {
    cancel(): void;
}
interface Clock {
    now(): number;
    wallTime(): number;
    setTimer(delayMs: number, callback: () => void): Timer;
    random(): number;
    hold?(): Timer;
    immediate?(callback: () => void): void;
}
declare const systemClock: Clock;
type MetricName = "UserRecordsReceived" | "UserRecordsPending" | "UserRecordsPut" | "UserRecordsDataPut" | "KinesisRecordsPut" | "KinesisRecordsDataPut" | "ErrorsByCode" | "AllErrors" | "RetriesPerRecord" | "UserRecordExpired" | "BufferingTime" | "RequestTime" | "UserRecordsPerKinesisRecord" | "KinesisRecordsPerPutRecordsRequest" | "UserRecordsPerPutRecordsRequest";
type MetricUnit = "Count" | "Bytes" | "Milliseconds";
type MetricsLevel = "none" | "summary" | "detailed";
type MetricsGranularity = "global" | "stream" | "shard";
type MetricDimensionName = "ErrorCode" | "StreamName" | "ShardId";
interface MetricDimension {
    readonly name: MetricDimensionName;
    readonly value: string;
}
interface MetricDatum {
    readonly name: MetricName;
    readonly unit: MetricUnit;
    readonly dimensions: readonly MetricDimension[];
    readonly sampleCount: number;
    readonly sum: number;
    readonly minimum: number;
    readonly maximum: number;
    readonly samples?: readonly number[];
}
declare const MAX_SAMPLES_PER_DATUM = 10000;
declare const DEFAULT_SAMPLES_PER_DATUM = 256;
interface MetricsExport {
    readonly startTime: number;
    readonly endTime: number;
    readonly datums: readonly MetricDatum[];
    readonly leafDatums: readonly MetricDatum[];
}
interface MetricValue {
    readonly dimensions: readonly MetricDimension[];
    readonly value: number;
}
interface MetricsSinkContext {
    readonly region: KinesisClientConfig["region"] | undefined;
    readonly credentials: KinesisClientConfig["credentials"] | undefined;
    userRecordsPending(): readonly MetricValue[];
}
interface MetricsSink {
    export(batch: MetricsExport): void | Promise<void>;
    shutdown?(): void | Promise<void>;
    readonly samplesPerDatum?: number;
    attach?(context: MetricsSinkContext): void;
}
interface StreamRef {
    readonly streamName?: string;
    readonly streamARN?: string;
}
interface PutRecordsResultEntry {
    readonly sequenceNumber?: string;
    readonly shardId?: string;
    readonly errorCode?: string;
    readonly errorMessage?: string;
}
interface PutRecordsResponse {
    readonly records: readonly PutRecordsResultEntry[];
    readonly failedRecordCount?: number;
}
interface ShardDescription {
    readonly shardId: string;
    readonly startingHashKey: string;
    readonly endingHashKey: string;
    readonly parentShardId?: string;
    readonly adjacentParentShardId?: string;
}
interface ListShardsPage {
    readonly shards: readonly ShardDescription[];
    readonly nextToken?: string;
}
type ListShardsRequest = {
    readonly stream: StreamRef;
    readonly maxResults: number;
    readonly nextToken?: undefined;
} | {
    readonly stream?: undefined;
    readonly maxResults: number;
    readonly nextToken: string;
};
interface StreamSummary {
    readonly streamName?: string;
    readonly streamARN?: string;
    readonly maxRecordSizeInKiB?: number;
    readonly streamStatus?: string;
    readonly streamMode?: string;
    readonly recordDistributionStrategy?: string;
}
interface PutRecordsOptions {
    readonly signal?: AbortSignal;
    readonly onBodyWritten?: () => void;
}
interface KinesisTransport {
    putRecords(stream: StreamRef, entries: readonly KinesisRecordEntry[], options?: PutRecordsOptions): Promise<PutRecordsResponse>;
    listShards(request: ListShardsRequest): Promise<ListShardsPage>;
    describeStreamSummary(stream: StreamRef): Promise<StreamSummary>;
    destroy(): void;
}
interface Logger {
    debug?(message: string, fields?: Record<string, unknown>): void;
    info?(message: string, fields?: Record<string, unknown>): void;
    warn(message: string, fields?: Record<string, unknown>): void;
    error(message: string, fields?: Record<string, unknown>): void;
}
interface ProducerOptions {
    region?: string;
    endpoint?: string;
    credentials?: KinesisClientConfig["credentials"];
    kinesisClient?: KinesisClient;
    transport?: KinesisTransport;
    aggregationEnabled?: boolean;
    aggregationMaxCount?: number;
    aggregationMaxSize?: number;
    collectionMaxCount?: number;
    collectionMaxSize?: number;
    recordMaxBufferedTimeMs?: number;
    recordTtlMs?: number;
    maxUserRecordSize?: number;
    rateLimit?: number;
    failIfThrottled?: boolean;
    ordering?: Ordering;
    maxConnections?: number;
    requestTimeoutMs?: number;
    connectTimeoutMs?: number;
    maxOutstandingRecords?: number;
    maxOutstandingBytes?: number;
    maxAttemptHistory?: number;
    streamIdleTimeoutMs?: number;
    metricsLevel?: MetricsLevel;
    metricsGranularity?: MetricsGranularity;
    metricsUploadDelayMs?: number;
    metricsSink?: MetricsSink;
    logger?: Logger;
    clock?: Clock;
}
interface ProducerConfig {
    readonly region: string | undefined;
    readonly endpoint: string | undefined;
    readonly credentials: KinesisClientConfig["credentials"] | undefined;
    readonly kinesisClient: KinesisClient | undefined;
    readonly transport: KinesisTransport | undefined;
    readonly aggregationEnabled: boolean;
    readonly aggregationMaxCount: number;
    readonly aggregationMaxSize: number;
    readonly collectionMaxCount: number;
    readonly collectionMaxSize: number;
    readonly recordMaxBufferedTimeMs: number;
    readonly recordTtlMs: number;
    readonly maxUserRecordSize: number;
    readonly rateLimit: number;
    readonly failIfThrottled: boolean;
    readonly ordering: Ordering;
    readonly maxConnections: number;
    readonly requestTimeoutMs: number;
    readonly connectTimeoutMs: number;
    readonly maxOutstandingRecords: number;
    readonly maxOutstandingBytes: number;
    readonly maxAttemptHistory: number;
    readonly streamIdleTimeoutMs: number;
    readonly metricsLevel: MetricsLevel;
    readonly metricsGranularity: MetricsGranularity;
    readonly metricsUploadDelayMs: number;
    readonly metricsSink: MetricsSink | undefined;
    readonly logger: Logger;
    readonly clock: Clock;
}
type Ordering = "none" | "shard";
declare const ORDERED_AGGREGATION_MAX_SIZE = 262144;
interface Attempt {
    readonly startedAt: number;
    readonly endedAt: number;
    readonly delayMs: number;
    readonly durationMs: number;
    readonly successful: boolean;
    readonly errorCode?: string;
    readonly errorMessage?: string;
}
interface RecordResult {
    readonly successful: boolean;
    readonly streamName: string;
    readonly shardId?: string;
    readonly sequenceNumber?: string;
    readonly subSequenceNumber?: number;
    readonly attempts: readonly Attempt[];
    readonly attemptsDropped: number;
    readonly errorCode?: string;
    readonly errorMessage?: string;
}
interface MetricSnapshot {
    readonly name: MetricName;
    readonly unit: MetricUnit;
    readonly dimensions: Readonly<Partial<Record<MetricDimensionName, string>>>;
    readonly sampleCount: number;
    readonly sum: number;
    readonly mean: number;
    readonly min: number;
    readonly max: number;
    readonly durationSeconds: number;
}
declare class Outcome {
    protected constructor();
    get done(): boolean;
    get result(): RecordResult | undefined;
    wait(): Promise<RecordResult>;
    toJSON(): Pick<Outcome, "done" | "result">;
}
interface PutRecordInput {
    readonly streamName?: string;
    readonly streamARN?: string;
    readonly partitionKey: string;
    readonly data: Uint8Array;
    readonly explicitHashKey?: string;
}
declare function validatePutRecordInput(input: PutRecordInput, maxUserRecordSize?: number): void;
type WritableRecord = Omit<PutRecordInput, "streamName" | "streamARN">;
interface RecordWritableOptions {
    readonly streamName?: string;
    readonly streamARN?: string;
    readonly onResult?: (result: RecordResult, record: WritableRecord) => void;
    readonly highWaterMark?: number;
}
declare class Producer {
    #private;
    constructor(options?: ProducerOptions);
    get outstandingRecords(): number;
    putRecord(input: PutRecordInput): Promise<Outcome>;
    flush(): Promise<void>;
    getMetrics(name?: MetricName, windowSeconds?: number): MetricSnapshot[];
    ready(stream: string, options?: {
        timeoutMs?: number;
    }): Promise<void>;
    close(): Promise<void>;
    [Symbol.asyncDispose](): Promise<void>;
    writable(options: RecordWritableOptions): Writable;
}
declare const RecordErrorCodes: Readonly<{
    readonly Expired: "Expired";
    readonly WrongShard: "Wrong Shard";
    readonly RecordCountMismatch: "Record Count Mismatch";
}>;
type RecordErrorCode = (typeof RecordErrorCodes)[keyof typeof RecordErrorCodes];
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
type ValidationErrorCode = "ERR_MISSING_STREAM" | "ERR_INVALID_STREAM" | "ERR_INVALID_PARTITION_KEY" | "ERR_INVALID_EXPLICIT_HASH_KEY" | "ERR_INVALID_DATA" | "ERR_RECORD_TOO_LARGE";
type ProducerErrorCode = ValidationErrorCode | "ERR_INVALID_CONFIG" | "ERR_PRODUCER_CLOSED" | "ERR_SHARD_MAP" | "ERR_TIMEOUT" | "ERR_INVALID_ARGUMENT" | "ERR_RECORD_FAILED" | "ERR_PRODUCER";
declare class ProducerError extends TskplError {
    static readonly scope: string;
    readonly code: ProducerErrorCode;
    constructor(code: ProducerErrorCode, message: string, options?: TskplErrorOptions);
}
declare class ConfigError extends ProducerError {
    readonly option: string;
    readonly allowed: string;
    constructor(option: string, value: unknown, allowed: string, message?: string);
}
declare class ValidationError extends ProducerError {
    readonly field: string;
    readonly code: ValidationErrorCode;
    constructor(code: ValidationErrorCode, field: string, message: string, options?: {
        cause?: unknown;
    });
}
declare class ProducerClosedError extends ProducerError {
    constructor(message?: string);
}
declare class ShardMapError extends ProducerError {
    readonly stream: string;
    readonly errorCode: string;
    constructor(stream: string, errorCode: string, message: string);
}
declare class TimeoutError extends ProducerError {
    readonly timeoutMs: number;
    constructor(message: string, timeoutMs: number);
}
declare class ArgumentError extends ProducerError {
    readonly argument: string;
    constructor(argument: string, message: string);
}
declare class RecordFailedError extends ProducerError {
    readonly result: RecordResult;
    constructor(result: RecordResult);
}
interface SdkTransportOptions {
    readonly region?: string;
    readonly endpoint?: string;
    readonly credentials?: KinesisClientConfig["credentials"];
    readonly kinesisClient?: KinesisClient;
    readonly maxConnections: number;
    readonly requestTimeoutMs: number;
    readonly connectTimeoutMs: number;
    readonly putRecordsSerializer?: "tskpl" | "sdk";
}
declare function createSdkTransport(options: SdkTransportOptions): KinesisTransport;
type FailureClass = "throttled" | "transient" | "terminal" | "content";
declare const ERROR_CLASSES: Readonly<Record<string, FailureClass>>;
declare function classifyFailure(code: string, httpStatus?: number): FailureClass;
export { ArgumentError, type Attempt, type Clock, ConfigError, DEFAULT_SAMPLES_PER_DATUM, ERROR_CLASSES, type FailureClass, type KinesisTransport, type ListShardsPage, type ListShardsRequest, type Logger, MAX_SAMPLES_PER_DATUM, type MetricDatum, type MetricDimension, type MetricDimensionName, type MetricName, type MetricSnapshot, type MetricUnit, type MetricValue, type MetricsExport, type MetricsGranularity, type MetricsLevel, type MetricsSink, type MetricsSinkContext, ORDERED_AGGREGATION_MAX_SIZE, type Ordering, Outcome, Producer, ProducerClosedError, type ProducerConfig, ProducerError, type ProducerErrorCode, type ProducerOptions, type PutRecordInput, type PutRecordsOptions, type PutRecordsResponse, type PutRecordsResultEntry, type RecordErrorCode, RecordErrorCodes, RecordFailedError, type RecordResult, type RecordWritableOptions, type SdkTransportOptions, type ShardDescription, ShardMapError, type StreamRef, type StreamSummary, TimeoutError, type Timer, TskplError, type TskplErrorOptions, ValidationError, type ValidationErrorCode, type WritableRecord, classifyFailure, createSdkTransport, isTskplError, systemClock, validatePutRecordInput };
