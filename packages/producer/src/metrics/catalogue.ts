/**
 * The KPL's metric catalogue: every metric's name, unit, level and finest dimension, as the KPL
 * defines them (docs/kpl-compatibility.md, "Metrics"). The index of a metric in {@link METRICS} is its id on the hot path.
 */
import type { MetricName, MetricUnit, MetricsGranularity, MetricsLevel } from './sink.js';

/** How one KPL metric is recorded and exported. */
export interface MetricDefinition {
  /** Index in {@link METRICS}; accumulators are looked up by it. */
  readonly id: number;
  readonly name: MetricName;
  readonly unit: MetricUnit;
  /** The lowest `metricsLevel` that exports it. */
  readonly level: Exclude<MetricsLevel, 'none'>;
  /** Its finest dimension: `shard` metrics are recorded per shard (when known), `stream` ones per stream. */
  readonly finest: Exclude<MetricsGranularity, 'global'>;
  /** Whether exports carry representative samples of it (the distributions). */
  readonly keepsSamples: boolean;
}

/** Metric ids, named for the hot path (no string lookups). */
export const MetricId = Object.freeze({
  UserRecordsReceived: 0,
  UserRecordsPending: 1,
  UserRecordsPut: 2,
  UserRecordsDataPut: 3,
  KinesisRecordsPut: 4,
  KinesisRecordsDataPut: 5,
  ErrorsByCode: 6,
  AllErrors: 7,
  RetriesPerRecord: 8,
  UserRecordExpired: 9,
  BufferingTime: 10,
  RequestTime: 11,
  UserRecordsPerKinesisRecord: 12,
  KinesisRecordsPerPutRecordsRequest: 13,
  UserRecordsPerPutRecordsRequest: 14,
} as const);

/** A metric id: the index of a metric in {@link METRICS}. */
export type MetricId = (typeof MetricId)[keyof typeof MetricId];

function define(
  id: MetricId,
  name: MetricName,
  unit: MetricUnit,
  level: MetricDefinition['level'],
  finest: MetricDefinition['finest'],
  keepsSamples = false,
): MetricDefinition {
  return Object.freeze({ id, name, unit, level, finest, keepsSamples });
}

/** Every KPL metric, in catalogue order (the order of exports and snapshots). */
export const METRICS: readonly MetricDefinition[] = Object.freeze([
  define(MetricId.UserRecordsReceived, 'UserRecordsReceived', 'Count', 'detailed', 'stream'),
  define(MetricId.UserRecordsPending, 'UserRecordsPending', 'Count', 'detailed', 'stream'),
  define(MetricId.UserRecordsPut, 'UserRecordsPut', 'Count', 'summary', 'shard'),
  define(MetricId.UserRecordsDataPut, 'UserRecordsDataPut', 'Bytes', 'detailed', 'shard'),
  define(MetricId.KinesisRecordsPut, 'KinesisRecordsPut', 'Count', 'summary', 'shard'),
  define(MetricId.KinesisRecordsDataPut, 'KinesisRecordsDataPut', 'Bytes', 'detailed', 'shard'),
  define(MetricId.ErrorsByCode, 'ErrorsByCode', 'Count', 'summary', 'shard'),
  define(MetricId.AllErrors, 'AllErrors', 'Count', 'summary', 'shard'),
  define(MetricId.RetriesPerRecord, 'RetriesPerRecord', 'Count', 'detailed', 'shard'),
  define(MetricId.UserRecordExpired, 'UserRecordExpired', 'Count', 'summary', 'shard'),
  define(MetricId.BufferingTime, 'BufferingTime', 'Milliseconds', 'summary', 'shard', true),
  define(MetricId.RequestTime, 'RequestTime', 'Milliseconds', 'detailed', 'stream', true),
  define(MetricId.UserRecordsPerKinesisRecord, 'UserRecordsPerKinesisRecord', 'Count', 'detailed', 'shard', true),
  define(MetricId.KinesisRecordsPerPutRecordsRequest, 'KinesisRecordsPerPutRecordsRequest', 'Count', 'detailed', 'stream', true),
  define(MetricId.UserRecordsPerPutRecordsRequest, 'UserRecordsPerPutRecordsRequest', 'Count', 'detailed', 'stream', true),
]);

/** The number of KPL metrics. */
export const METRIC_COUNT = METRICS.length;

const byName = new Map<string, MetricDefinition>(METRICS.map((metric) => [metric.name, metric]));

/** The definition of a metric by its KPL name, or undefined for an unknown name. */
export function metricByName(name: string): MetricDefinition | undefined {
  return byName.get(name);
}

const levelRank: Readonly<Record<MetricsLevel, number>> = { none: 0, summary: 100, detailed: 200 };
const granularityRank: Readonly<Record<MetricsGranularity, number>> = { global: 0, stream: 100, shard: 200 };

/** Whether a metric of `metricLevel` is exported at the configured level (KPL: level ≤ configured). */
export function levelIncludes(configured: MetricsLevel, metricLevel: MetricDefinition['level']): boolean {
  return configured !== 'none' && levelRank[metricLevel] <= levelRank[configured];
}

/** Whether a series of `seriesGranularity` is exported at the configured granularity. */
export function granularityIncludes(configured: MetricsGranularity, seriesGranularity: MetricsGranularity): boolean {
  return granularityRank[seriesGranularity] <= granularityRank[configured];
}
