/**
 * Helpers for the metrics tests (not exported from the package): record results, a sink that
 * keeps what it receives, and lookups into exports and snapshots.
 */
import type { Attempt } from '../../record/user-record.js';
import type { FinishedRecord } from '../recorder.js';
import type { MetricDatum, MetricName, MetricsExport, MetricsSink } from '../sink.js';
import type { MetricSnapshot } from '../snapshot.js';

/** A finished record with one attempt per delay; failed attempts carry `errorCode`, the last one succeeds if `successful`. */
export function recordResult(options: {
  streamName: string;
  successful: boolean;
  delaysMs: readonly number[];
  attemptsDropped?: number;
  errorCode?: string;
}): FinishedRecord {
  const failedDelays = options.successful ? options.delaysMs.slice(0, -1) : options.delaysMs;
  const attempts: Attempt[] = failedDelays.map((delayMs, index) => ({
    startedAt: 0,
    endedAt: 0,
    delayMs,
    durationMs: 5,
    successful: false,
    errorCode: !options.successful && index === failedDelays.length - 1 ? (options.errorCode ?? 'InternalFailure') : 'ProvisionedThroughputExceededException',
  }));
  return {
    successful: options.successful,
    attemptCount: options.delaysMs.length + (options.attemptsDropped ?? 0),
    attempts: attempts.length > 0 ? attempts : undefined,
    successDelayMs: options.successful ? options.delaysMs[options.delaysMs.length - 1]! : 0,
  };
}

/** A sink that keeps every export and counts shutdowns. */
export function memorySink(): MetricsSink & { readonly exports: MetricsExport[]; shutdowns: number } {
  const exports: MetricsExport[] = [];
  return {
    exports,
    shutdowns: 0,
    export(batch) {
      exports.push(batch);
    },
    shutdown() {
      this.shutdowns++;
    },
  };
}

/** `name|Dim=value|…` → datum, for exact assertions on the series present. */
export function datumsByKey(datums: readonly MetricDatum[]): Map<string, MetricDatum> {
  const map = new Map<string, MetricDatum>();
  for (const datum of datums) {
    const key = [datum.name, ...datum.dimensions.map((dimension) => `${dimension.name}=${dimension.value}`)].join('|');
    if (map.has(key)) throw new Error(`duplicate series ${key}`);
    map.set(key, datum);
  }
  return map;
}

/** `name|Dim=value|…` → snapshot. */
export function snapshotsByKey(snapshots: readonly MetricSnapshot[]): Map<string, MetricSnapshot> {
  const map = new Map<string, MetricSnapshot>();
  for (const snapshot of snapshots) {
    const dimensions = (['ErrorCode', 'StreamName', 'ShardId'] as const)
      .filter((name) => snapshot.dimensions[name] !== undefined)
      .map((name) => `${name}=${snapshot.dimensions[name]}`);
    const key = [snapshot.name, ...dimensions].join('|');
    if (map.has(key)) throw new Error(`duplicate series ${key}`);
    map.set(key, snapshot);
  }
  return map;
}

/** Sum of `sum` over datums of one metric. */
export function totalOf(datums: readonly MetricDatum[], name: MetricName): { sampleCount: number; sum: number } {
  let sampleCount = 0;
  let sum = 0;
  for (const datum of datums) {
    if (datum.name !== name) continue;
    sampleCount += datum.sampleCount;
    sum += datum.sum;
  }
  return { sampleCount, sum };
}
