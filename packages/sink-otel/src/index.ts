/**
 * @tskpl/sink-otel — the KPL metric set of @tskpl/producer on OpenTelemetry instruments.
 */
export { OpenTelemetrySink } from './sink.js';
export type { OpenTelemetrySinkOptions } from './sink.js';
export { OTEL_ATTRIBUTES, OTEL_MAPPING } from './mapping.js';
export type { InstrumentKind, InstrumentMapping } from './mapping.js';
export { OpenTelemetrySinkError, OpenTelemetrySinkOptionError } from './errors.js';
export type { OpenTelemetrySinkErrorCode } from './errors.js';
