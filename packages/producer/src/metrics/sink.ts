/**
 * The whole contract a vendor metrics sink implements. The producer knows no vendor: it
 * accumulates the KPL's metric set and hands a window of statistics to the sink.
 */

/** The KPL's metric names, exactly. */
export type MetricName =
  | 'UserRecordsReceived'
  | 'UserRecordsPending'
  | 'UserRecordsPut'
  | 'UserRecordsDataPut'
  | 'KinesisRecordsPut'
  | 'KinesisRecordsDataPut'
  | 'ErrorsByCode'
  | 'AllErrors'
  | 'RetriesPerRecord'
  | 'UserRecordExpired'
  | 'BufferingTime'
  | 'RequestTime'
  | 'UserRecordsPerKinesisRecord'
  | 'KinesisRecordsPerPutRecordsRequest'
  | 'UserRecordsPerPutRecordsRequest';

/** The KPL's units (CloudWatch unit names). */
export type MetricUnit = 'Count' | 'Bytes' | 'Milliseconds';

/** `none` records nothing; `summary` the KPL's summary metrics; `detailed` all of them. */
export type MetricsLevel = 'none' | 'summary' | 'detailed';

/** The finest dimension exported: `global` (none), `stream` (StreamName), `shard` (StreamName + ShardId). */
export type MetricsGranularity = 'global' | 'stream' | 'shard';

/** The dimension names the KPL uses, in its order. */
export type MetricDimensionName = 'ErrorCode' | 'StreamName' | 'ShardId';

/** One dimension, in the KPL's order: ErrorCode, StreamName, ShardId. */
export interface MetricDimension {
  readonly name: MetricDimensionName;
  readonly value: string;
}

/** Statistics of one metric series over one window (count, sum, min, max: a CloudWatch statistic set). */
export interface MetricDatum {
  readonly name: MetricName;
  readonly unit: MetricUnit;
  /** Ordered dimensions; empty for the global series. Blank values are never present. */
  readonly dimensions: readonly MetricDimension[];
  readonly sampleCount: number;
  readonly sum: number;
  readonly minimum: number;
  readonly maximum: number;
  /**
   * The individual samples, in arrival order, of the metrics a histogram or gauge needs:
   * BufferingTime, RequestTime, UserRecordsPending, UserRecordsPerKinesisRecord,
   * KinesisRecordsPerPutRecordsRequest, UserRecordsPerPutRecordsRequest. Capped at
   * {@link MAX_SAMPLES_PER_DATUM} per datum; when capped, `sampleCount` and `sum` still
   * describe every sample. Absent for the other metrics.
   */
  readonly samples?: readonly number[];
}

/** The most samples a {@link MetricDatum} carries (the first ones of the window are kept). */
export const MAX_SAMPLES_PER_DATUM = 10_000;

/**
 * One export: the statistics of `[startTime, endTime)` (epoch milliseconds), in two views of the
 * same samples. Every datum has `sampleCount > 0` and passes the level filter.
 */
export interface MetricsExport {
  readonly startTime: number;
  readonly endTime: number;
  /**
   * The KPL's hierarchy, as it uploads to CloudWatch: a sample recorded for a shard appears in
   * the shard's series, its stream's series and the global series (ErrorsByCode: under
   * ErrorCode + stream + shard, ErrorCode + stream, ErrorCode, and no dimension). Only series
   * whose granularity is within `metricsGranularity` are present. Summing across these
   * datums counts samples several times; use `leafDatums` for that.
   */
  readonly datums: readonly MetricDatum[];
  /**
   * A partition of the same samples: each sample counted exactly once, in the finest series
   * `metricsGranularity` allows (a sample whose shard is unknown stays in its stream's series,
   * carrying only such samples). Sinks whose backend aggregates across labels (OpenTelemetry,
   * StatsD) use this view, so that sums over all labels equal the KPL's totals.
   */
  readonly leafDatums: readonly MetricDatum[];
}

/**
 * A destination for metrics. `export` is called every `metricsUploadDelayMs` and on
 * `flush()`/`close()`; the producer never waits on it longer than it must, and a sink that throws
 * or hangs never breaks the pipeline (errors are counted and logged once with a count).
 */
export interface MetricsSink {
  export(batch: MetricsExport): void | Promise<void>;
  /** Called once by `close()` after the last export. */
  shutdown?(): void | Promise<void>;
}
