// API report of @tskpl/sync-bridge: dist/index.d.ts without comments. Regenerate: see test-runtimes/test/api-report.test.ts.
import { ProducerOptions, RecordResult } from "@tskpl/producer";
interface SyncPutRecordInput {
    readonly streamName?: string;
    readonly streamARN?: string;
    readonly partitionKey: string;
    readonly data: Uint8Array;
    readonly explicitHashKey?: string;
}
interface SyncPutRecordOptions {
    readonly timeoutMs?: number;
}
interface ModuleSpecifier {
    readonly module: string | URL;
    readonly export?: string;
    readonly options?: unknown;
}
declare const MODULE_OPTIONS: readonly [
    "metricsSink",
    "kinesisClient",
    "transport",
    "logger",
    "credentials"
];
type ModuleOptionName = (typeof MODULE_OPTIONS)[number];
interface SyncProducerOptions extends Omit<ProducerOptions, ModuleOptionName | "clock"> {
    metricsSink?: ModuleSpecifier;
    kinesisClient?: ModuleSpecifier;
    transport?: ModuleSpecifier;
    logger?: ModuleSpecifier;
    credentials?: ModuleSpecifier | {
        readonly accessKeyId: string;
        readonly secretAccessKey: string;
        readonly sessionToken?: string;
        readonly expiration?: Date;
    };
    startupTimeoutMs?: number;
    ringSizeBytes?: number;
    exitFlushTimeoutMs?: number;
    putRecordTimeoutMs?: number;
    workerHeartbeatTimeoutMs?: number;
    resolveFrom?: string | URL;
    workerFile?: string | URL;
}
interface OutcomeHost {
    drain(): void;
    block(operation: string, timeoutMs: number, done: () => boolean): void;
}
declare class SyncOutcome {
    #private;
    readonly id: number;
    constructor(host: OutcomeHost, id: number);
    get done(): boolean;
    get result(): RecordResult | undefined;
    wait(timeoutMs?: number): RecordResult;
    resolve(result: RecordResult): void;
    reject(error: Error): void;
}
declare class SyncProducer {
    #private;
    constructor(options?: SyncProducerOptions);
    get outstandingRecords(): number;
    putRecord(input: SyncPutRecordInput, options?: SyncPutRecordOptions): SyncOutcome;
    flush(timeoutMs?: number): void;
    close(timeoutMs?: number): void;
}
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
type SyncBridgeErrorCode = "ERR_SYNC_TIMEOUT" | "ERR_WORKER_EXITED" | "ERR_WORKER_ERROR" | "ERR_INVALID_ARGUMENT" | "ERR_BRIDGE_PROTOCOL";
declare class SyncBridgeError extends TskplError {
    static readonly scope: string;
    readonly code: SyncBridgeErrorCode;
    constructor(code: SyncBridgeErrorCode, message: string, options?: TskplErrorOptions);
}
type TimeoutReason = "deadline" | "unresponsive";
declare class TimeoutError extends SyncBridgeError {
    readonly operation: string;
    readonly timeoutMs: number;
    readonly reason: TimeoutReason;
    constructor(operation: string, timeoutMs: number, reason?: TimeoutReason);
}
declare class ArgumentError extends SyncBridgeError {
    readonly argument: string;
    constructor(argument: string, message: string);
}
declare class WorkerExitedError extends SyncBridgeError {
    readonly exitCode: number | undefined;
    constructor(message: string, options?: {
        exitCode?: number;
        cause?: unknown;
    });
}
declare class WorkerError extends SyncBridgeError {
    readonly remoteName: string;
    readonly remoteCode: string | undefined;
    readonly remoteStack: string | undefined;
    constructor(remoteName: string, message: string, details?: {
        remoteCode?: string;
        remoteStack?: string;
        cause?: unknown;
    });
}
export { ArgumentError, type ModuleSpecifier, SyncBridgeError, type SyncBridgeErrorCode, SyncOutcome, SyncProducer, type SyncProducerOptions, type SyncPutRecordInput, type SyncPutRecordOptions, TimeoutError, type TimeoutReason, TskplError, type TskplErrorOptions, WorkerError, WorkerExitedError, isTskplError };
