// API report of @tskpl/sink-datadog: dist/index.d.ts without comments. Regenerate: see test-runtimes/test/api-report.test.ts.
import { MetricsSink, MetricsSinkContext, MetricsExport, MetricName } from "@tskpl/producer";
import { StatsD } from "hot-shots";
type DatadogClient = Pick<StatsD, "increment" | "distribution" | "histogram" | "gauge" | "close"> & Partial<Pick<StatsD, "flush">>;
declare const DEFAULT_DATADOG_SAMPLES_PER_DATUM = 64;
interface DatadogSinkOptions {
    readonly host?: string;
    readonly port?: number;
    readonly prefix?: string;
    readonly globalTags?: Readonly<Record<string, string>> | readonly string[];
    readonly durations?: "distribution" | "histogram";
    readonly client?: DatadogClient;
    readonly samplesPerDatum?: number;
}
declare const DEFAULT_MAX_BUFFER_SIZE = 1432;
declare class DatadogSink implements MetricsSink {
    #private;
    readonly samplesPerDatum: number;
    constructor(options?: DatadogSinkOptions);
    attach(context: MetricsSinkContext): void;
    export(batch: MetricsExport): Promise<void>;
    shutdown(): Promise<void>;
}
type DogStatsDKind = "count" | "duration" | "gauge";
declare const DATADOG_MAPPING: Readonly<Record<MetricName, DogStatsDKind>>;
declare const DATADOG_TAGS: Readonly<{
    readonly StreamName: "stream_name";
    readonly ShardId: "shard_id";
    readonly ErrorCode: "error_code";
}>;
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
type DatadogSinkErrorCode = "ERR_INVALID_CONFIG" | "ERR_SINK_SEND";
declare class DatadogSinkError extends TskplError {
    static readonly scope: string;
    readonly code: DatadogSinkErrorCode;
    constructor(code: DatadogSinkErrorCode, message: string, options?: TskplErrorOptions);
}
declare class DatadogSinkOptionError extends DatadogSinkError {
    readonly option: string;
    constructor(option: string, value: unknown, allowed: string);
}
declare class DatadogSinkSendError extends DatadogSinkError {
    constructor(message: string, options?: {
        cause?: unknown;
    });
}
export { DATADOG_MAPPING, DATADOG_TAGS, DEFAULT_DATADOG_SAMPLES_PER_DATUM, DEFAULT_MAX_BUFFER_SIZE, type DatadogClient, DatadogSink, DatadogSinkError, type DatadogSinkErrorCode, DatadogSinkOptionError, type DatadogSinkOptions, DatadogSinkSendError, type DogStatsDKind, TskplError, type TskplErrorOptions, isTskplError };
