/**
 * How each KPL metric becomes a DogStatsD metric. The README's mapping table is this table in
 * prose.
 */
import type { MetricName } from '@tskpl/producer';

/** The DogStatsD type a KPL metric is sent as; `duration` is a distribution or a histogram (option `durations`). */
export type DogStatsDKind = 'count' | 'duration' | 'gauge';

/** The mapping of every KPL metric (metric name = prefix + KPL name). */
export const DATADOG_MAPPING: Readonly<Record<MetricName, DogStatsDKind>> = Object.freeze({
  UserRecordsReceived: 'count',
  UserRecordsPending: 'gauge',
  UserRecordsPut: 'count',
  UserRecordsDataPut: 'count',
  KinesisRecordsPut: 'count',
  KinesisRecordsDataPut: 'count',
  ErrorsByCode: 'count',
  AllErrors: 'count',
  RetriesPerRecord: 'count',
  UserRecordExpired: 'count',
  BufferingTime: 'duration',
  RequestTime: 'duration',
  UserRecordsPerKinesisRecord: 'duration',
  KinesisRecordsPerPutRecordsRequest: 'duration',
  UserRecordsPerPutRecordsRequest: 'duration',
});

/** Tag names for the KPL dimensions. */
export const DATADOG_TAGS = Object.freeze({
  /** Tag for the StreamName dimension. */
  StreamName: 'stream_name',
  /** Tag for the ShardId dimension. */
  ShardId: 'shard_id',
  /** Tag for the ErrorCode dimension (ErrorsByCode). */
  ErrorCode: 'error_code',
} as const);
