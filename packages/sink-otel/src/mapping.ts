/**
 * How each KPL metric becomes an OpenTelemetry instrument. The README's mapping table is this
 * table in prose.
 */
import type { MetricName } from '@tskpl/producer';

/** The instrument kind a KPL metric is recorded on. */
export type InstrumentKind = 'counter' | 'outcome-counter' | 'histogram' | 'observable-gauge';

/** One row of the mapping. */
export interface InstrumentMapping {
  /** The instrument the metric is recorded on: a counter, a counter split by {@link OUTCOME_ATTRIBUTE}, a histogram or an observable gauge. */
  readonly kind: InstrumentKind;
  /** UCUM unit of the instrument. */
  readonly unit: string;
  /** The instrument's description, as exporters show it. */
  readonly description: string;
}

/** The mapping of every KPL metric (instrument name = prefix + KPL name). */
export const OTEL_MAPPING: Readonly<Record<MetricName, InstrumentMapping>> = Object.freeze({
  UserRecordsReceived: { kind: 'counter', unit: '{record}', description: 'User records received by the producer.' },
  UserRecordsPending: { kind: 'observable-gauge', unit: '{record}', description: 'User records put but without an outcome yet, read at collection time.' },
  UserRecordsPut: { kind: 'outcome-counter', unit: '{record}', description: 'User records that finished, by outcome (success: stored; failure: failed or expired).' },
  UserRecordsDataPut: { kind: 'counter', unit: 'By', description: 'Data bytes of the user records stored successfully.' },
  KinesisRecordsPut: { kind: 'outcome-counter', unit: '{record}', description: 'Kinesis records (aggregates or single records) sent, by outcome (success: stored; failure: failed entry).' },
  KinesisRecordsDataPut: { kind: 'counter', unit: 'By', description: 'Bytes of the Kinesis records stored successfully.' },
  ErrorsByCode: { kind: 'counter', unit: '{error}', description: 'Errors, by error code: failed PutRecords entries and failed requests.' },
  AllErrors: { kind: 'counter', unit: '{error}', description: 'Errors of every code: failed PutRecords entries and failed requests.' },
  RetriesPerRecord: { kind: 'counter', unit: '{retry}', description: 'Retries of the user records that finished (sum of attempts − 1).' },
  UserRecordExpired: { kind: 'counter', unit: '{record}', description: 'User records that failed because they expired (recordTtlMs).' },
  BufferingTime: { kind: 'histogram', unit: 'ms', description: 'Time a user record waited before each attempt.' },
  RequestTime: { kind: 'histogram', unit: 'ms', description: 'Duration of PutRecords requests.' },
  UserRecordsPerKinesisRecord: { kind: 'histogram', unit: '{record}', description: 'User records in each Kinesis record sent.' },
  KinesisRecordsPerPutRecordsRequest: { kind: 'histogram', unit: '{record}', description: 'Kinesis records in each PutRecords request.' },
  UserRecordsPerPutRecordsRequest: { kind: 'histogram', unit: '{record}', description: 'User records in each PutRecords request.' },
});

/** The attribute that splits UserRecordsPut and KinesisRecordsPut by outcome, and its values. */
export const OUTCOME_ATTRIBUTE = 'outcome';
/** {@link OUTCOME_ATTRIBUTE} value of records that were stored. */
export const OUTCOME_SUCCESS = 'success';
/** {@link OUTCOME_ATTRIBUTE} value of records that failed (user records: failed or expired). */
export const OUTCOME_FAILURE = 'failure';

/** Suffix of the counter that carries a distribution's exact count. */
export const COUNT_SUFFIX = '.count';
/** Suffix of the counter that carries a distribution's exact sum. */
export const SUM_SUFFIX = '.sum';

/** Attribute names for the KPL dimensions. */
export const OTEL_ATTRIBUTES = Object.freeze({
  /** Attribute for the StreamName dimension. */
  StreamName: 'aws.kinesis.stream_name',
  /** Attribute for the ShardId dimension. */
  ShardId: 'aws.kinesis.shard_id',
  /** Attribute for the ErrorCode dimension (ErrorsByCode), OpenTelemetry's `error.type`. */
  ErrorCode: 'error.type',
} as const);
