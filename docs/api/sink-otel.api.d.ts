// API report of @tskpl/sink-otel: dist/index.d.ts without comments. Regenerate: see test-runtimes/test/api-report.test.ts.
import { Meter, MeterProvider } from "@opentelemetry/api";
import { MetricsSink, MetricsExport, MetricName } from "@tskpl/producer";
interface OpenTelemetrySinkOptions {
    readonly meter?: Meter;
    readonly meterProvider?: MeterProvider;
    readonly meterName?: string;
    readonly namePrefix?: string;
}
declare class OpenTelemetrySink implements MetricsSink {
    #private;
    constructor(options: OpenTelemetrySinkOptions);
    export(batch: MetricsExport): void;
    shutdown(): void;
}
type InstrumentKind = "counter" | "histogram" | "gauge";
interface InstrumentMapping {
    readonly kind: InstrumentKind;
    readonly unit: string;
    readonly description: string;
}
declare const OTEL_MAPPING: Readonly<Record<MetricName, InstrumentMapping>>;
declare const OTEL_ATTRIBUTES: Readonly<{
    readonly StreamName: "aws.kinesis.stream_name";
    readonly ShardId: "aws.kinesis.shard_id";
    readonly ErrorCode: "error.type";
}>;
type OpenTelemetrySinkErrorCode = "ERR_INVALID_SINK_OPTION";
declare class OpenTelemetrySinkError extends Error {
    readonly code: OpenTelemetrySinkErrorCode;
    readonly retriable: boolean;
    constructor(code: OpenTelemetrySinkErrorCode, message: string, options?: {
        retriable?: boolean;
        cause?: unknown;
    });
    static [Symbol.hasInstance](value: unknown): boolean;
}
declare class OpenTelemetrySinkOptionError extends OpenTelemetrySinkError {
    readonly option: string;
    constructor(option: string, value: unknown, allowed: string);
}
export { type InstrumentKind, type InstrumentMapping, OTEL_ATTRIBUTES, OTEL_MAPPING, OpenTelemetrySink, OpenTelemetrySinkError, type OpenTelemetrySinkErrorCode, OpenTelemetrySinkOptionError, type OpenTelemetrySinkOptions };
