/**
 * @tskpl/sink-otel — the KPL metric set of @tskpl/producer on OpenTelemetry instruments.
 */
export { DEFAULT_OTEL_SAMPLES_PER_DATUM, OpenTelemetrySink } from './sink.js';
export type { OpenTelemetrySinkOptions } from './sink.js';
export { COUNT_SUFFIX, OTEL_ATTRIBUTES, OTEL_MAPPING, OUTCOME_ATTRIBUTE, OUTCOME_FAILURE, OUTCOME_SUCCESS, SUM_SUFFIX } from './mapping.js';
export type { InstrumentKind, InstrumentMapping } from './mapping.js';
export { OpenTelemetrySinkError, OpenTelemetrySinkOptionError } from './errors.js';
export type { OpenTelemetrySinkErrorCode } from './errors.js';
export { isTskplError, TskplError } from './tskpl-error.js';
export type { TskplErrorOptions } from './tskpl-error.js';
