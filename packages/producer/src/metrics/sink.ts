/**
 * The whole contract a vendor metrics sink implements. The producer knows no vendor: it
 * accumulates the KPL's metric set and hands a window of statistics to the sink.
 */
import type { KinesisClientConfig } from '@aws-sdk/client-kinesis';

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
  /** The dimension's name. */
  readonly name: MetricDimensionName;
  /** The stream name, shard ID or error code; never empty. */
  readonly value: string;
}

/** Statistics of one metric series over one window (count, sum, min, max: a CloudWatch statistic set). */
export interface MetricDatum {
  /** The metric's KPL name. */
  readonly name: MetricName;
  /** The CloudWatch unit of the samples. */
  readonly unit: MetricUnit;
  /** Ordered dimensions; empty for the global series. Blank values are never present. */
  readonly dimensions: readonly MetricDimension[];
  /** Samples in the window; always > 0. */
  readonly sampleCount: number;
  /** Sum of the window's samples, in `unit`. */
  readonly sum: number;
  /** Smallest sample of the window, in `unit`. */
  readonly minimum: number;
  /** Largest sample of the window, in `unit`. */
  readonly maximum: number;
  /**
   * Representative samples of the distributions (BufferingTime, RequestTime,
   * UserRecordsPerKinesisRecord, KinesisRecordsPerPutRecordsRequest,
   * UserRecordsPerPutRecordsRequest), in no particular order: every sample of the window when
   * there are at most {@link MetricsSink.samplesPerDatum} of them, otherwise a uniform random
   * sample of the whole window (reservoir sampling) of that size, whose smallest and largest
   * values are the window's exact `minimum` and `maximum`. `sampleCount`, `sum`, `minimum` and
   * `maximum` always describe every sample. Absent for the other metrics, and when the sink
   * asks for no samples.
   */
  readonly samples?: readonly number[];
}

/** The most samples a {@link MetricDatum} carries, whatever the sink asks for. */
export const MAX_SAMPLES_PER_DATUM = 10_000;

/** The samples per datum kept for a sink that does not say ({@link MetricsSink.samplesPerDatum}). */
export const DEFAULT_SAMPLES_PER_DATUM = 256;

/**
 * One export: the statistics of `[startTime, endTime)` (epoch milliseconds), in two views of the
 * same samples. Every datum has `sampleCount > 0` and passes the level filter.
 */
export interface MetricsExport {
  /** Start of the window (inclusive), epoch milliseconds. */
  readonly startTime: number;
  /** End of the window (exclusive), epoch milliseconds. */
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

/** One series' current value, e.g. UserRecordsPending read now. */
export interface MetricValue {
  /** Ordered dimensions, as in {@link MetricDatum}; empty for the global series. */
  readonly dimensions: readonly MetricDimension[];
  /** The current value (for UserRecordsPending, a count of records). */
  readonly value: number;
}

/**
 * What the producer tells its sink once, before the first export ({@link MetricsSink.attach}).
 * The region and credentials are the producer's Kinesis client's, so that a CloudWatch sink can
 * default to them as the KPL does.
 */
export interface MetricsSinkContext {
  /** The region of the producer's Kinesis client (a string or the client's region provider); undefined when the producer has none of its own. */
  readonly region: KinesisClientConfig['region'] | undefined;
  /** The credentials (or credential provider) of the producer's Kinesis client; undefined for the SDK's default chain. */
  readonly credentials: KinesisClientConfig['credentials'] | undefined;
  /**
   * UserRecordsPending now (records put without an outcome yet), one value per series the
   * sink's leaf view would carry (stream series, or one global series at `metricsGranularity:
   * 'global'`). Empty when the level excludes the metric and after `close()`. Cheap: call it at
   * collection or export time.
   */
  userRecordsPending(): readonly MetricValue[];
}

/**
 * A destination for metrics. `export` is called every `metricsUploadDelayMs` and once by
 * `close()`; never by `flush()`. The producer never waits on an export longer than it must: the
 * periodic export is not awaited, `close()` waits for its final export and `shutdown` within one
 * bound, and a sink that throws, rejects or hangs never stalls or breaks the pipeline (failures
 * are counted and logged once per period with a count). Sinks' own timers must be `unref()`ed.
 */
export interface MetricsSink {
  /**
   * Receives one window's statistics. A returned promise is awaited only by `close()`; a rejection
   * or a throw is counted and logged, never propagated.
   */
  export(batch: MetricsExport): void | Promise<void>;
  /** Called once by `close()` after the last export. It should release everything (sockets, clients) promptly. */
  shutdown?(): void | Promise<void>;
  /**
   * How many representative samples per distribution datum the sink reads, 0 …
   * {@link MAX_SAMPLES_PER_DATUM}; 0 when it reads statistic sets only (the producer then keeps
   * no samples at all). Read once, when the producer is created.
   * @defaultValue {@link DEFAULT_SAMPLES_PER_DATUM}
   */
  readonly samplesPerDatum?: number;
  /** Called once when the producer is created, before any export. */
  attach?(context: MetricsSinkContext): void;
}
