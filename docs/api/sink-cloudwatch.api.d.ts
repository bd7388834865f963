// API report of @tskpl/sink-cloudwatch: dist/index.d.ts without comments. Regenerate: see test-runtimes/test/api-report.test.ts.
import { CloudWatchClient, CloudWatchClientConfig } from "@aws-sdk/client-cloudwatch";
import { Clock, MetricsSink, MetricsSinkContext, MetricsExport } from "@tskpl/producer";
type SinkClock = Pick<Clock, "setTimer" | "random">;
type CloudWatchSendClient = Pick<CloudWatchClient, "send" | "destroy">;
declare const KPL_DEFAULT_NAMESPACE = "KinesisProducerLibrary";
interface CloudWatchSinkOptions {
    readonly namespace?: string;
    readonly region?: string;
    readonly endpoint?: string;
    readonly credentials?: CloudWatchClientConfig["credentials"];
    readonly client?: CloudWatchSendClient;
    readonly maxDatumsPerRequest?: number;
    readonly maxRequestBytes?: number;
    readonly maxAttempts?: number;
    readonly backoffBaseMs?: number;
    readonly maxBackoffMs?: number;
    readonly maxPendingRequests?: number;
    readonly requestTimeoutMs?: number;
    readonly storageResolution?: 1 | 60;
    readonly clock?: SinkClock;
}
declare class CloudWatchSink implements MetricsSink {
    #private;
    readonly samplesPerDatum = 0;
    constructor(options?: CloudWatchSinkOptions);
    attach(context: MetricsSinkContext): void;
    export(batch: MetricsExport): Promise<void>;
    shutdown(): Promise<void>;
}
declare const KPL_MAX_DATUMS_PER_REQUEST = 20;
declare const KPL_MAX_REQUEST_BYTES: number;
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
type CloudWatchSinkErrorCode = "ERR_INVALID_CONFIG" | "ERR_SINK_SEND";
declare class CloudWatchSinkError extends TskplError {
    static readonly scope: string;
    readonly code: CloudWatchSinkErrorCode;
    constructor(code: CloudWatchSinkErrorCode, message: string, options?: TskplErrorOptions);
}
declare class CloudWatchSinkOptionError extends CloudWatchSinkError {
    readonly option: string;
    constructor(option: string, value: unknown, allowed: string);
}
declare class CloudWatchSinkSendError extends CloudWatchSinkError {
    readonly failedDatums: number;
    readonly failedRequests: number;
    constructor(message: string, failedRequests: number, failedDatums: number, options?: {
        cause?: unknown;
    });
}
export { type CloudWatchSendClient, CloudWatchSink, CloudWatchSinkError, type CloudWatchSinkErrorCode, CloudWatchSinkOptionError, type CloudWatchSinkOptions, CloudWatchSinkSendError, KPL_DEFAULT_NAMESPACE, KPL_MAX_DATUMS_PER_REQUEST, KPL_MAX_REQUEST_BYTES, type SinkClock, TskplError, type TskplErrorOptions, isTskplError };
