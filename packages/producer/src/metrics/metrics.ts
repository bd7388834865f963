/**
 * The metrics core of one producer: the recorder the stages call, the UserRecordsPending
 * sampler, periodic export to the sink, and the local `getMetrics` snapshot. A sink that throws,
 * rejects or hangs never stalls the pipeline: exports are never awaited by the timer, waits in
 * `flush()`/`close()` are bounded, and failures are counted and logged once per export period
 * with their count.
 */
import type { Clock, Timer } from '../clock/clock.js';
import type { Logger } from '../config/logger.js';
import { noopRecorder, type MetricsRecorder } from './recorder.js';
import { takeExport } from './rollup.js';
import type { MetricName, MetricsExport, MetricsGranularity, MetricsLevel, MetricsSink } from './sink.js';
import { checkSnapshotArguments, snapshotMetrics, type MetricSnapshot } from './snapshot.js';
import { MetricsStore } from './store.js';

/** How often UserRecordsPending is sampled, in milliseconds (the KPL's period). */
export const PENDING_SAMPLE_INTERVAL_MS = 200;

/** How long `flush()`/`close()` wait for a sink's export or shutdown by default, in milliseconds. */
export const DEFAULT_EXPORT_TIMEOUT_MS = 10_000;

/** What {@link createMetrics} needs. */
export interface MetricsDeps {
  /** `none` binds the no-op recorder and starts no timer. */
  readonly level: MetricsLevel;
  /** The finest series exported to the sink (local snapshots see every series). */
  readonly granularity: MetricsGranularity;
  /** Period between exports to the sink, in milliseconds. */
  readonly uploadDelayMs: number;
  readonly sink?: MetricsSink | undefined;
  readonly logger: Logger;
  readonly clock: Clock;
  /** The producer's outstanding records per stream, sampled every 200 ms as UserRecordsPending. */
  readonly pendingByStream: () => Iterable<readonly [string, number]>;
  /**
   * The longest `flush()`/`close()` wait for one export or for the sink's shutdown, in
   * milliseconds; past it the export is counted as timed out and left to finish on its own.
   * @defaultValue 10000
   */
  readonly exportTimeoutMs?: number;
}

/** Counters of the exports made to the sink (for operators and tests). */
export interface MetricsExportStats {
  /** Exports handed to the sink. */
  readonly exports: number;
  /** Exports that threw or rejected. */
  readonly failures: number;
  /** Exports (or the shutdown) not settled within `exportTimeoutMs` when awaited. */
  readonly timeouts: number;
}

/** The metrics core of one producer. */
export interface Metrics {
  /** What the pipeline stages call; the no-op recorder when the level is `none`. */
  readonly recorder: MetricsRecorder;
  /**
   * Local statistics of every series (every level and granularity, whatever the sink), like the
   * KPL's `getMetrics`: cumulative since start, or over the last `windowSeconds` (1 … 60) seconds.
   * Empty when the level is `none`. Throws a `RangeError` for an unknown name or a bad window.
   */
  getMetrics(name?: MetricName, windowSeconds?: number): MetricSnapshot[];
  /** Exports what was recorded since the last export now, and waits (bounded) for the sink. */
  flush(): Promise<void>;
  /** Stops the timers, makes the final export, then shuts the sink down (bounded waits). Idempotent. */
  close(): Promise<void>;
  /** Counters of the exports so far. */
  exportStats(): MetricsExportStats;
}

/** Creates the metrics core; timers start at once (unless the level is `none`). */
export function createMetrics(deps: MetricsDeps): Metrics {
  const { clock, logger, sink, level, granularity, uploadDelayMs } = deps;
  const exportTimeoutMs = deps.exportTimeoutMs ?? DEFAULT_EXPORT_TIMEOUT_MS;
  const enabled = level !== 'none';
  const startedAtMs = clock.now();
  const store = new MetricsStore(startedAtMs, enabled && sink !== undefined);
  const inFlight = new Set<Promise<void>>();
  let lastExportWallTime = clock.wallTime();
  let exports = 0;
  let failures = 0;
  let timeouts = 0;
  let unreportedFailures = 0;
  let unreportedTimeouts = 0;
  let lastError: unknown;
  let pendingFailures = 0;
  let closed: Promise<void> | undefined;
  let exportTimer: Timer | undefined;
  let pendingTimer: Timer | undefined;

  function samplePending(): void {
    pendingTimer = clock.setTimer(PENDING_SAMPLE_INTERVAL_MS, samplePending);
    store.setTime(clock.now());
    try {
      for (const [streamName, pending] of deps.pendingByStream()) store.userRecordsPending(streamName, pending);
    } catch (error) {
      if (pendingFailures++ === 0) logger.warn('Sampling UserRecordsPending failed; later failures are not logged', { error: messageOf(error) });
    }
  }

  function onExportTimer(): void {
    exportTimer = clock.setTimer(uploadDelayMs, onExportTimer);
    reportFailures();
    void exportNow();
  }

  function recordFailure(error: unknown): void {
    failures++;
    unreportedFailures++;
    lastError = error;
  }

  /** Takes the window and hands it to the sink; the promise settles when the sink does, or after the timeout. */
  function exportNow(): Promise<void> {
    const endTime = clock.wallTime();
    store.setTime(clock.now());
    const batch: MetricsExport = takeExport(store, level, granularity, lastExportWallTime, endTime);
    lastExportWallTime = endTime;
    if (sink === undefined || (batch.datums.length === 0 && batch.leafDatums.length === 0)) return Promise.resolve();
    exports++;
    let result: void | Promise<void>;
    try {
      result = sink.export(batch);
    } catch (error) {
      recordFailure(error);
      return Promise.resolve();
    }
    if (!isPromiseLike(result)) return Promise.resolve();
    const tracked = bounded(Promise.resolve(result), recordFailure);
    inFlight.add(tracked);
    void tracked.then(() => inFlight.delete(tracked));
    return tracked;
  }

  /** Settles when `work` settles or `exportTimeoutMs` passes, whichever is first; never rejects. */
  function bounded(work: Promise<unknown>, onError: (error: unknown) => void): Promise<void> {
    return new Promise<void>((resolve) => {
      let done = false;
      const timer = clock.setTimer(exportTimeoutMs, () => {
        if (done) return;
        done = true;
        timeouts++;
        unreportedTimeouts++;
        resolve();
      });
      work.then(
        () => {
          if (done) return;
          done = true;
          timer.cancel();
          resolve();
        },
        (error: unknown) => {
          if (done) return;
          done = true;
          timer.cancel();
          onError(error);
          resolve();
        },
      );
    });
  }

  function reportFailures(): void {
    if (unreportedFailures === 0 && unreportedTimeouts === 0) return;
    logger.warn(`Metrics sink: ${unreportedFailures} export(s) failed and ${unreportedTimeouts} timed out since the last report`, {
      failures: unreportedFailures,
      timeouts: unreportedTimeouts,
      totalFailures: failures,
      totalTimeouts: timeouts,
      lastError: lastError === undefined ? undefined : messageOf(lastError),
    });
    unreportedFailures = 0;
    unreportedTimeouts = 0;
  }

  async function flush(): Promise<void> {
    if (!enabled || sink === undefined) return;
    const current = exportNow();
    await Promise.all([current, ...inFlight]);
    reportFailures();
  }

  async function shutdownSink(): Promise<void> {
    if (sink?.shutdown === undefined) return;
    let result: void | Promise<void>;
    try {
      result = sink.shutdown();
    } catch (error) {
      recordFailure(error);
      return;
    }
    if (isPromiseLike(result)) await bounded(Promise.resolve(result), recordFailure);
  }

  if (enabled) {
    pendingTimer = clock.setTimer(PENDING_SAMPLE_INTERVAL_MS, samplePending);
    if (sink !== undefined) exportTimer = clock.setTimer(uploadDelayMs, onExportTimer);
  }

  return {
    recorder: enabled ? store : noopRecorder,
    getMetrics(name?: MetricName, windowSeconds?: number): MetricSnapshot[] {
      checkSnapshotArguments(name, windowSeconds);
      if (!enabled) return [];
      const nowMs = clock.now();
      store.setTime(nowMs);
      return snapshotMetrics(store, { name, windowSeconds, nowMs, startedAtMs });
    },
    flush: () => (closed === undefined ? flush() : closed),
    close(): Promise<void> {
      closed ??= (async () => {
        exportTimer?.cancel();
        pendingTimer?.cancel();
        exportTimer = undefined;
        pendingTimer = undefined;
        await flush();
        await shutdownSink();
        reportFailures();
      })();
      return closed;
    },
    exportStats: () => ({ exports, failures, timeouts }),
  };
}

function isPromiseLike(value: unknown): value is Promise<void> {
  return typeof value === 'object' && value !== null && typeof (value as { then?: unknown }).then === 'function';
}

function messageOf(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}
