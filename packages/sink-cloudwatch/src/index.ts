/**
 * @tskpl/sink-cloudwatch — the KPL metric set of @tskpl/producer as CloudWatch PutMetricData
 * statistic sets.
 */
export { CloudWatchSink, KPL_DEFAULT_NAMESPACE } from './sink.js';
export type { CloudWatchSendClient, CloudWatchSinkOptions } from './sink.js';
export { KPL_MAX_DATUMS_PER_REQUEST, KPL_MAX_REQUEST_BYTES } from './batches.js';
export type { SinkClock } from './clock/clock.js';
export { CloudWatchSinkError, CloudWatchSinkOptionError, CloudWatchSinkSendError } from './errors.js';
export type { CloudWatchSinkErrorCode } from './errors.js';
export { isTskplError, TskplError } from './tskpl-error.js';
export type { TskplErrorOptions } from './tskpl-error.js';
