// API report of @tskpl/testkit: dist/index.d.ts without comments. Regenerate: see test-runtimes/test/api-report.test.ts.
type TimerHandle = object;
interface Clock {
    now(): number;
    setTimer(delayMs: number, callback: () => void): TimerHandle;
    clearTimer(handle: TimerHandle): void;
}
declare function createSystemClock(): Clock;
interface ManualClock extends Clock {
    advance(ms: number): void;
    readonly pendingTimers: number;
}
declare function createManualClock(startMs?: number): ManualClock;
type StreamMode = "PROVISIONED" | "ON_DEMAND";
type RecordDistributionStrategy = "USER_PARTITION_KEY" | "AUTO";
interface CreateStreamOptions {
    streamName: string;
    shardCount?: number;
    mode?: StreamMode;
    maxRecordSizeInKiB?: number;
    recordDistributionStrategy?: RecordDistributionStrategy;
    enforceShardLimits?: boolean;
}
interface ShardLimitsOptions {
    recordsPerSecond?: number;
    bytesPerSecond?: number;
    burstSeconds?: number;
}
interface FakeKinesisOptions {
    host?: string;
    port?: number;
    region?: string;
    accountId?: string;
    clock?: Clock;
    seed?: number;
    enforceShardLimits?: boolean;
    shardLimits?: ShardLimitsOptions;
    maxRequestBytes?: number;
    defaultMaxRecordSizeInKiB?: number;
    onDemandShardCount?: number;
    retainRecordData?: boolean;
    retainRecords?: boolean;
    streams?: readonly CreateStreamOptions[];
}
interface FaultFilter {
    operation?: string | readonly string[];
    streamName?: string;
    shardId?: string;
}
interface ErrorFault {
    type: "error";
    errorType: string;
    status?: number;
    message?: string;
}
interface LatencyFault {
    type: "latency";
    ms: number;
    maxMs?: number;
}
interface HangFault {
    type: "hang";
    ms?: number;
    then?: "drop" | "apply";
}
interface ResetFault {
    type: "reset";
}
interface LostResponseFault {
    type: "lostResponse";
    via?: "error" | "reset";
    errorType?: string;
    status?: number;
}
interface EntryErrorFault {
    type: "entryError";
    errorCode: string;
    message?: string;
}
type RequestFault = ErrorFault | LatencyFault | HangFault | ResetFault | LostResponseFault;
type Fault = RequestFault | EntryErrorFault;
interface ScriptedFaultRule extends FaultFilter {
    fault: Fault;
    count?: number;
}
interface RateFaultRule extends FaultFilter {
    fault: Fault;
    probability: number;
}
interface FaultRuleHandle {
    readonly id: number;
    readonly remaining: number;
    readonly hits: number;
    cancel(): void;
}
interface RequestFaultDecision {
    latencyMs: number;
    outcome: Exclude<RequestFault, {
        type: "latency";
    }> | undefined;
}
declare class FaultController {
    private readonly rules;
    private readonly random;
    private nextId;
    private entryRuleCount;
    constructor(seed: number);
    script(rule: ScriptedFaultRule): FaultRuleHandle;
    rate(rule: RateFaultRule): FaultRuleHandle;
    clear(): void;
    reseed(seed: number): void;
    get activeRules(): readonly FaultRuleHandle[];
    get hasEntryRules(): boolean;
    forRequest(operation: string, streamName: string | undefined, shardId: string | undefined): RequestFaultDecision;
    forEntry(operation: string, streamName: string, shardId: string): EntryErrorFault | undefined;
    private add;
    private remove;
    private pick;
    private use;
    private matches;
}
interface LedgerRecord {
    readonly streamName: string;
    readonly shardId: string;
    readonly sequenceNumber: string;
    readonly partitionKey: string;
    readonly explicitHashKey: string | undefined;
    readonly hashKey: string;
    readonly dataSize: number;
    readonly data: Uint8Array | undefined;
    readonly arrivalTimeMs: number;
    readonly responseLost: boolean;
    readonly requestId: string;
}
interface ShardCounts {
    accepted: number;
    acceptedBytes: number;
    throttled: number;
    failed: number;
}
interface StreamCountsSnapshot {
    totals: ShardCounts;
    shards: Record<string, ShardCounts>;
}
interface CountersSnapshot {
    requests: Record<string, Record<string, number>>;
    totals: ShardCounts;
    streams: Record<string, StreamCountsSnapshot>;
}
interface Ledger {
    records(streamName: string, shardId?: string): LedgerRecord[];
    find(shardId: string, sequenceNumber: string): LedgerRecord | undefined;
    count(streamName?: string): number;
}
interface ShardInfo {
    shardId: string;
    parentShardId: string | undefined;
    adjacentParentShardId: string | undefined;
    startingHashKey: string;
    endingHashKey: string;
    open: boolean;
    startingSequenceNumber: string;
    endingSequenceNumber: string | undefined;
}
interface StreamInfo {
    streamName: string;
    streamARN: string;
    mode: StreamMode;
    maxRecordSizeInKiB: number;
    recordDistributionStrategy: RecordDistributionStrategy;
    shardLimitsEnforced: boolean;
    deleted: boolean;
    openShardCount: number;
    shards: ShardInfo[];
}
interface FakeKinesisClientConfig {
    endpoint: string;
    region: string;
    credentials: {
        accessKeyId: string;
        secretAccessKey: string;
    };
}
interface FakeKinesis {
    readonly endpoint: string;
    readonly port: number;
    readonly region: string;
    readonly accountId: string;
    readonly clock: Clock;
    readonly faults: FaultController;
    readonly ledger: Ledger;
    clientConfig(): FakeKinesisClientConfig;
    counters(): CountersSnapshot;
    reset(): void;
    createStream(options: CreateStreamOptions): StreamInfo;
    deleteStream(streamName: string): void;
    stream(streamName: string): StreamInfo | undefined;
    streams(): StreamInfo[];
    splitShard(streamName: string, shardId: string, newStartingHashKey?: string): [
        ShardInfo,
        ShardInfo
    ];
    mergeShards(streamName: string, shardId: string, adjacentShardId: string): ShardInfo;
    updateShardCount(streamName: string, targetShardCount: number): StreamInfo;
    setShardLimitsEnforced(enabled: boolean, streamName?: string): void;
    close(): Promise<void>;
}
declare function startFakeKinesis(options?: FakeKinesisOptions): Promise<FakeKinesis>;
declare class SeededRandom {
    private state;
    constructor(seed: number);
    reseed(seed: number): void;
    next(): number;
}
declare const MAX_HASH_KEY: bigint;
declare function hashKeyOfPartitionKey(partitionKey: string): bigint;
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
type TestkitErrorCode = "ERR_TESTKIT_OPTIONS" | "ERR_TESTKIT_STATE" | "ERR_TESTKIT_NOT_FOUND" | KinesisLocalErrorCode;
type KinesisLocalErrorCode = "ERR_KINESIS_LOCAL_NOT_INSTALLED" | "ERR_KINESIS_LOCAL_START" | "ERR_KINESIS_LOCAL_PORT_IN_USE";
declare class TestkitError extends TskplError {
    static readonly scope: string;
    readonly code: TestkitErrorCode;
    constructor(code: TestkitErrorCode, message: string, options?: {
        cause?: unknown;
        retriable?: boolean;
    });
}
declare class TestkitOptionsError extends TestkitError {
    constructor(message: string);
}
declare class TestkitStateError extends TestkitError {
    constructor(message: string);
}
declare class TestkitNotFoundError extends TestkitError {
    constructor(message: string);
}
interface KinesisLocalErrorOptions {
    cause?: unknown;
    logFile?: string;
}
declare class KinesisLocalError extends TestkitError {
    readonly code: KinesisLocalErrorCode;
    readonly logFile: string | undefined;
    constructor(code: KinesisLocalErrorCode, message: string, options?: KinesisLocalErrorOptions);
}
declare function isKinesisLocalError(value: unknown): value is KinesisLocalError;
declare function isTestkitError(value: unknown): value is TestkitError;
declare class KinesisServiceError extends Error {
    readonly errorType: string;
    readonly status: number;
    constructor(errorType: string, message: string, status?: number);
}
type KinesisLocalLogLevel = "ERROR" | "WARN" | "INFO" | "DEBUG" | "TRACE";
interface KinesisLocalOptions {
    startTimeoutMs?: number;
    stopGraceMs?: number;
    operationDelayMs?: number;
    reshardDelayMs?: number;
    shardLimit?: number;
    onDemandStreamCountLimit?: number;
    logLevel?: KinesisLocalLogLevel;
    logDirectory?: string;
}
interface KinesisLocalConfig {
    readonly startTimeoutMs: number;
    readonly stopGraceMs: number;
    readonly operationDelayMs: number;
    readonly reshardDelayMs: number;
    readonly shardLimit: number;
    readonly onDemandStreamCountLimit: number;
    readonly logLevel: KinesisLocalLogLevel;
    readonly logDirectory: string;
}
declare function resolveKinesisLocalConfig(options?: KinesisLocalOptions): KinesisLocalConfig;
interface KinesisLocal {
    readonly endpoint: string;
    readonly port: number;
    readonly tlsPort: number;
    readonly region: string;
    readonly accountId: string;
    readonly version: string;
    readonly pid: number;
    readonly startupMs: number;
    clientConfig(): FakeKinesisClientConfig;
    stop(): Promise<void>;
    [Symbol.asyncDispose](): Promise<void>;
}
declare function startKinesisLocal(options?: KinesisLocalOptions): Promise<KinesisLocal>;
declare const KINESIS_LOCAL_VERSION = "0.6.2";
declare const KINESIS_LOCAL_REGION = "us-east-1";
declare const KINESIS_LOCAL_ACCOUNT_ID = "000000000000";
declare const KINESIS_LOCAL_HOST = "127.0.0.1";
interface InstantEntry {
    readonly data: Uint8Array;
    readonly partitionKey: string;
    readonly explicitHashKey?: string;
}
interface InstantTransportOptions {
    readonly shardCount?: number;
}
interface InstantTransport {
    putRecords(stream: {
        streamName?: string;
        streamARN?: string;
    }, entries: readonly InstantEntry[]): Promise<{
        records: Array<{
            shardId: string;
            sequenceNumber: string;
        }>;
        failedRecordCount: number;
    }>;
    listShards(request: {
        maxResults: number;
        nextToken?: string;
    }): Promise<{
        shards: Array<{
            shardId: string;
            startingHashKey: string;
            endingHashKey: string;
        }>;
    }>;
    describeStreamSummary(stream: {
        streamName?: string;
        streamARN?: string;
    }): Promise<{
        streamName?: string;
        maxRecordSizeInKiB: number;
        streamStatus: string;
        streamMode: string;
    }>;
    destroy(): void;
    readonly entries: number;
    readonly requests: number;
}
declare function createInstantTransport(options?: InstantTransportOptions): InstantTransport;
export { type Clock, type CountersSnapshot, type CreateStreamOptions, type EntryErrorFault, type ErrorFault, type FakeKinesis, type FakeKinesisClientConfig, type FakeKinesisOptions, type Fault, FaultController, type FaultFilter, type FaultRuleHandle, type HangFault, type InstantEntry, type InstantTransport, type InstantTransportOptions, KINESIS_LOCAL_ACCOUNT_ID, KINESIS_LOCAL_HOST, KINESIS_LOCAL_REGION, KINESIS_LOCAL_VERSION, type KinesisLocal, type KinesisLocalConfig, KinesisLocalError, type KinesisLocalErrorCode, type KinesisLocalErrorOptions, type KinesisLocalLogLevel, type KinesisLocalOptions, KinesisServiceError, type LatencyFault, type Ledger, type LedgerRecord, type LostResponseFault, MAX_HASH_KEY, type ManualClock, type RateFaultRule, type RecordDistributionStrategy, type RequestFault, type RequestFaultDecision, type ResetFault, type ScriptedFaultRule, SeededRandom, type ShardCounts, type ShardInfo, type ShardLimitsOptions, type StreamCountsSnapshot, type StreamInfo, type StreamMode, TestkitError, type TestkitErrorCode, TestkitNotFoundError, TestkitOptionsError, TestkitStateError, type TimerHandle, TskplError, type TskplErrorOptions, createInstantTransport, createManualClock, createSystemClock, hashKeyOfPartitionKey, isKinesisLocalError, isTestkitError, isTskplError, resolveKinesisLocalConfig, startFakeKinesis, startKinesisLocal };
