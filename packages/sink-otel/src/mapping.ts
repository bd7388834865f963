/**
 * How each KPL metric becomes an OpenTelemetry instrument. The README's mapping table is this
 * table in prose.
 */
import type { MetricName } from '@tskpl/producer';

/** The instrument kind a KPL metric is recorded on. */
export type InstrumentKind = 'counter' | 'outcome-counter' | 'histogram' | 'observable-gauge';

/** One row of the mapping. */
export interface InstrumentMapping {
  readonly kind: InstrumentKind;
  /** UCUM unit of the instrument. */
  readonly unit: string;
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
export const OUTCOME_SUCCESS = 'success';
export const OUTCOME_FAILURE = 'failure';

/** Suffixes of the two counters that carry a distribution's exact count and sum. */
export const COUNT_SUFFIX = '.count';
export const SUM_SUFFIX = '.sum';

/** Attribute names for the KPL dimensions. */
export const OTEL_ATTRIBUTES = Object.freeze({
  StreamName: 'aws.kinesis.stream_name',
  ShardId: 'aws.kinesis.shard_id',
  ErrorCode: 'error.type',
} as const);
