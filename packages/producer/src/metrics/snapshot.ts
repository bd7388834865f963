/**
 * The local metrics API, like the KPL's `getMetrics(name?, windowSeconds?)`: every series of the
 * hierarchy, whatever the level, granularity or sink.
 */
import { ArgumentError } from '../errors/errors.js';
import { BUCKET_SECONDS } from './accumulator.js';
import { METRICS, metricByName } from './catalogue.js';
import { collectSeries } from './rollup.js';
import type { MetricDimensionName, MetricName, MetricUnit } from './sink.js';
import type { MetricsStore } from './store.js';

/**
 * One series' statistics, as the KPL's local `Metric` reports them.
 *
 * Without `windowSeconds` the statistics are cumulative since the producer started; with it they
 * cover the last `windowSeconds` seconds of the clock, the current second included.
 */
export interface MetricSnapshot {
  /** The KPL metric name. */
  readonly name: MetricName;
  /** The CloudWatch unit of the metric's samples. */
  readonly unit: MetricUnit;
  /**
   * The series' dimensions by name: none for the global series, `StreamName` for a stream,
   * `StreamName` + `ShardId` for a shard; ErrorsByCode series also have `ErrorCode`.
   */
  readonly dimensions: Readonly<Partial<Record<MetricDimensionName, string>>>;
  /** Number of samples. */
  readonly sampleCount: number;
  /** Sum of the samples. */
  readonly sum: number;
  /** `sum / sampleCount`. */
  readonly mean: number;
  /** Smallest sample. */
  readonly min: number;
  /** Largest sample. */
  readonly max: number;
  /** The time the statistics cover, in seconds: the window, or the time since start. */
  readonly durationSeconds: number;
}

/**
 * Validates `getMetrics` arguments: a KPL metric name (or undefined) and a window of 1 … 60
 * whole seconds (or undefined for cumulative statistics).
 */
export function checkSnapshotArguments(name: unknown, windowSeconds: unknown): void {
  if (name !== undefined && (typeof name !== 'string' || metricByName(name) === undefined)) {
    throw new ArgumentError('name', `Invalid metric name: got ${JSON.stringify(name)}; expected one of ${METRICS.map((metric) => metric.name).join(', ')}.`);
  }
  if (
    windowSeconds !== undefined &&
    (typeof windowSeconds !== 'number' || !Number.isInteger(windowSeconds) || windowSeconds < 1 || windowSeconds > BUCKET_SECONDS)
  ) {
    throw new ArgumentError('windowSeconds', `Invalid windowSeconds: got ${String(windowSeconds)}; expected an integer in 1 … ${BUCKET_SECONDS}, or undefined for cumulative statistics.`);
  }
}

/** Snapshots of every series with samples, in catalogue order (global, then each stream and its shards). */
export function snapshotMetrics(
  store: MetricsStore,
  options: { name: MetricName | undefined; windowSeconds: number | undefined; nowMs: number; startedAtMs: number },
): MetricSnapshot[] {
  const { windowSeconds } = options;
  const metrics = options.name === undefined ? METRICS : [metricByName(options.name)!];
  const currentSecond = Math.floor(options.nowMs / 1000);
  const nodes =
    windowSeconds === undefined
      ? collectSeries(store, (accumulator, into) => accumulator.readCumulative(into), metrics)
      : collectSeries(store, (accumulator, into) => accumulator.readWindow(into, currentSecond, windowSeconds), metrics);
  const durationSeconds = windowSeconds ?? Math.max(0, (options.nowMs - options.startedAtMs) / 1000);
  const snapshots: MetricSnapshot[] = [];
  for (const node of nodes) {
    const stats = node.stats;
    if (stats.count === 0) continue;
    const dimensions: Partial<Record<MetricDimensionName, string>> = {};
    for (const dimension of node.dimensions) dimensions[dimension.name] = dimension.value;
    snapshots.push({
      name: node.metric.name,
      unit: node.metric.unit,
      dimensions,
      sampleCount: stats.count,
      sum: stats.sum,
      mean: stats.sum / stats.count,
      min: stats.min,
      max: stats.max,
      durationSeconds,
    });
  }
  return snapshots;
}
