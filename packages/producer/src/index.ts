/**
 * @tskpl/producer — the AWS Kinesis Producer Library in pure TypeScript.
 */
export { Producer } from './producer/producer.js';
export { Outcome } from './record/outcome.js';
export { validatePutRecordInput } from './producer/validate.js';
export type { PutRecordInput } from './producer/validate.js';
export type { RecordWritableOptions, WritableRecord } from './producer/writable.js';
export type { Ordering, ProducerOptions, ProducerConfig } from './config/config.js';
export { ORDERED_AGGREGATION_MAX_SIZE } from './config/config.js';
export type { Logger } from './config/logger.js';
export type { Attempt, RecordResult } from './record/user-record.js';
export { RecordErrorCodes } from './record/error-codes.js';
export type { RecordErrorCode } from './record/error-codes.js';
export { ArgumentError, ConfigError, ProducerClosedError, RecordFailedError, ProducerError, ShardMapError, TimeoutError, ValidationError } from './errors/errors.js';
export type { ProducerErrorCode, ValidationErrorCode } from './errors/errors.js';
export { isTskplError, TskplError } from './errors/tskpl-error.js';
export type { TskplErrorOptions } from './errors/tskpl-error.js';
export type { Clock, Timer } from './clock/clock.js';
export { systemClock } from './clock/clock.js';
export type {
  KinesisTransport,
  ListShardsPage,
  ListShardsRequest,
  PutRecordsOptions,
  PutRecordsResponse,
  PutRecordsResultEntry,
  ShardDescription,
  StreamRef,
  StreamSummary,
} from './transport/transport.js';
export { createSdkTransport } from './transport/sdk-transport.js';
export type { SdkTransportOptions } from './transport/sdk-transport.js';
export { classifyFailure, ERROR_CLASSES } from './errors/classify.js';
export type { FailureClass } from './errors/classify.js';
export type { MetricSnapshot } from './metrics/snapshot.js';
export { DEFAULT_SAMPLES_PER_DATUM, MAX_SAMPLES_PER_DATUM } from './metrics/sink.js';
export type {
  MetricDatum,
  MetricDimension,
  MetricDimensionName,
  MetricName,
  MetricsExport,
  MetricsGranularity,
  MetricsLevel,
  MetricsSink,
  MetricsSinkContext,
  MetricValue,
  MetricUnit,
} from './metrics/sink.js';
