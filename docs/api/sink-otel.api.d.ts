// API report of @tskpl/sink-otel: dist/index.d.ts without comments. Regenerate: see test-runtimes/test/api-report.test.ts.
import { Meter, MeterProvider } from "@opentelemetry/api";
import { MetricsSink, MetricsSinkContext, MetricsExport, MetricName } from "@tskpl/producer";
declare const DEFAULT_OTEL_SAMPLES_PER_DATUM = 16;
interface OpenTelemetrySinkOptions {
    readonly meter?: Meter;
    readonly meterProvider?: MeterProvider;
    readonly meterName?: string;
    readonly namePrefix?: string;
    readonly samplesPerDatum?: number;
}
declare class OpenTelemetrySink implements MetricsSink {
    #private;
    readonly samplesPerDatum: number;
    constructor(options: OpenTelemetrySinkOptions);
    attach(context: MetricsSinkContext): void;
    export(batch: MetricsExport): void;
    shutdown(): void;
}
type InstrumentKind = "counter" | "outcome-counter" | "histogram" | "observable-gauge";
interface InstrumentMapping {
    readonly kind: InstrumentKind;
    readonly unit: string;
    readonly description: string;
}
declare const OTEL_MAPPING: Readonly<Record<MetricName, InstrumentMapping>>;
declare const OUTCOME_ATTRIBUTE = "outcome";
declare const OUTCOME_SUCCESS = "success";
declare const OUTCOME_FAILURE = "failure";
declare const COUNT_SUFFIX = ".count";
declare const SUM_SUFFIX = ".sum";
declare const OTEL_ATTRIBUTES: Readonly<{
    readonly StreamName: "aws.kinesis.stream_name";
    readonly ShardId: "aws.kinesis.shard_id";
    readonly ErrorCode: "error.type";
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
type OpenTelemetrySinkErrorCode = "ERR_INVALID_CONFIG";
declare class OpenTelemetrySinkError extends TskplError {
    static readonly scope: string;
    readonly code: OpenTelemetrySinkErrorCode;
    constructor(code: OpenTelemetrySinkErrorCode, message: string, options?: TskplErrorOptions);
}
declare class OpenTelemetrySinkOptionError extends OpenTelemetrySinkError {
    readonly option: string;
    constructor(option: string, value: unknown, allowed: string);
}
export { COUNT_SUFFIX, DEFAULT_OTEL_SAMPLES_PER_DATUM, type InstrumentKind, type InstrumentMapping, OTEL_ATTRIBUTES, OTEL_MAPPING, OUTCOME_ATTRIBUTE, OUTCOME_FAILURE, OUTCOME_SUCCESS, OpenTelemetrySink, OpenTelemetrySinkError, type OpenTelemetrySinkErrorCode, OpenTelemetrySinkOptionError, type OpenTelemetrySinkOptions, SUM_SUFFIX, TskplError, type TskplErrorOptions, isTskplError };
