/**
 * @tskpl/sink-datadog — the KPL metric set of @tskpl/producer as DogStatsD, over hot-shots.
 */
export { DatadogSink, DEFAULT_DATADOG_SAMPLES_PER_DATUM, DEFAULT_MAX_BUFFER_SIZE } from './sink.js';
export type { DatadogClient, DatadogSinkOptions } from './sink.js';
export { DATADOG_MAPPING, DATADOG_TAGS } from './mapping.js';
export type { DogStatsDKind } from './mapping.js';
export { DatadogSinkError, DatadogSinkOptionError, DatadogSinkSendError } from './errors.js';
export type { DatadogSinkErrorCode } from './errors.js';
export { isTskplError, TskplError } from './tskpl-error.js';
export type { TskplErrorOptions } from './tskpl-error.js';
