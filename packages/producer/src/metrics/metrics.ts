/**
 * The metrics core of one producer: the recorder the stages call, the UserRecordsPending
 * sampler, periodic export to the sink, and the local `getMetrics` snapshot. A sink that throws,
 * rejects or hangs never stalls the pipeline: periodic exports are never awaited, `close()`
 * waits for its final export and the sink's shutdown within one bound, an export that does not
 * settle within that bound is counted as timed out and forgotten, and failures are logged once
 * per export period with their count.
 */
import type { Clock, Timer } from '../clock/clock.js';
import type { Logger } from '../config/logger.js';
import { ConfigError } from '../errors/errors.js';
import { levelIncludes } from './catalogue.js';
import { noopRecorder, type MetricsRecorder } from './recorder.js';
import { takeExport } from './rollup.js';
import {
  DEFAULT_SAMPLES_PER_DATUM,
  MAX_SAMPLES_PER_DATUM,
  type MetricName,
  type MetricsExport,
  type MetricsGranularity,
  type MetricsLevel,
  type MetricsSink,
  type MetricsSinkContext,
  type MetricValue,
} from './sink.js';
import { checkSnapshotArguments, snapshotMetrics, type MetricSnapshot } from './snapshot.js';
import { MetricsStore } from './store.js';

/** How often UserRecordsPending is sampled, in milliseconds (the KPL's period). */
export const PENDING_SAMPLE_INTERVAL_MS = 200;

/**
 * The longest `close()` waits for its final export and the sink's shutdown together, in
 * milliseconds; also how long an export may stay unsettled before it is counted as timed out.
 */
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
  /** The producer's Kinesis region, handed to the sink ({@link MetricsSinkContext}). */
  readonly region?: MetricsSinkContext['region'];
  /** The producer's Kinesis credentials, handed to the sink ({@link MetricsSinkContext}). */
  readonly credentials?: MetricsSinkContext['credentials'];
  /**
   * The longest `close()` waits for the final export and the sink's shutdown together, and the
   * longest an export may stay unsettled before it is counted as timed out, in milliseconds.
   * @defaultValue 10000
   */
  readonly exportTimeoutMs?: number;
}

/** Counters of the exports made to the sink (for tests and diagnostics; not part of the producer's API). */
export interface MetricsExportStats {
  /** Exports handed to the sink. */
  readonly exports: number;
  /** Exports (or the shutdown) that threw or rejected. */
  readonly failures: number;
  /** Exports not settled within `exportTimeoutMs`, and a final export or shutdown cut short by `close()`'s bound. */
  readonly timeouts: number;
}

/** The metrics core of one producer. */
export interface Metrics {
  /** What the pipeline stages call; the no-op recorder when the level is `none`. */
  readonly recorder: MetricsRecorder;
  /**
   * Local statistics of every series (every level and granularity, whatever the sink), like the
   * KPL's `getMetrics`: cumulative since start, or over the last `windowSeconds` (1 … 60) seconds.
   * Empty when the level is `none`. Throws an `ArgumentError` for an unknown name or a bad window.
   */
  getMetrics(name?: MetricName, windowSeconds?: number): MetricSnapshot[];
  /**
   * Stops the timers, makes one final export, then shuts the sink down, waiting for both at most
   * `exportTimeoutMs` in all; never rejects. Idempotent.
   */
  close(): Promise<void>;
  /** Counters of the exports so far. */
  exportStats(): MetricsExportStats;
}

/** Creates the metrics core; timers start at once (unless the level is `none`). Throws a ConfigError for a bad `samplesPerDatum`. */
export function createMetrics(deps: MetricsDeps): Metrics {
  const { clock, logger, sink, level, granularity, uploadDelayMs } = deps;
  const exportTimeoutMs = deps.exportTimeoutMs ?? DEFAULT_EXPORT_TIMEOUT_MS;
  const enabled = level !== 'none';
  const startedAtMs = clock.now();
  const store = new MetricsStore(startedAtMs, enabled && sink !== undefined ? samplesPerDatumOf(sink) : 0, () => clock.random());
  const inFlight = new Set<Promise<void>>();
  let lastExportWallTime = clock.wallTime();
  let exports = 0;
  let failures = 0;
  let timeouts = 0;
  let unreportedFailures = 0;
  let unreportedTimeouts = 0;
  let lastError: unknown;
  let pendingFailures = 0;
  let closing = false;
  let closed: Promise<void> | undefined;
  let exportTimer: Timer | undefined;
  let pendingTimer: Timer | undefined;

  function samplePending(): void {
    pendingTimer = clock.setTimer(PENDING_SAMPLE_INTERVAL_MS, samplePending);
    store.setTime(clock.now());
    try {
      for (const [streamName, pending] of deps.pendingByStream()) store.userRecordsPending(streamName, pending);
    } catch (error) {
      notePendingFailure(error);
    }
  }

  function notePendingFailure(error: unknown): void {
    if (pendingFailures++ === 0) logger.warn('Reading UserRecordsPending failed; later failures are not logged', { error: messageOf(error) });
  }

  /** UserRecordsPending now, as the sink's leaf view would carry it. */
  function userRecordsPending(): MetricValue[] {
    if (closing || !levelIncludes(level, 'detailed')) return [];
    const values: MetricValue[] = [];
    let total = 0;
    try {
      for (const [streamName, pending] of deps.pendingByStream()) {
        total += pending;
        values.push({ dimensions: [{ name: 'StreamName', value: streamName }], value: pending });
      }
    } catch (error) {
      notePendingFailure(error);
      return [];
    }
    if (granularity !== 'global') return values;
    return values.length === 0 ? [] : [{ dimensions: [], value: total }];
  }

  function onExportTimer(): void {
    exportTimer = clock.setTimer(uploadDelayMs, onExportTimer);
    reportFailures();
    exportNow();
  }

  function recordFailure(error: unknown): void {
    failures++;
    unreportedFailures++;
    lastError = error;
  }

  function recordTimeout(): void {
    timeouts++;
    unreportedTimeouts++;
  }

  /** Takes the window and hands it to the sink; a promise it returns is tracked until it settles or times out. */
  function exportNow(): void {
    const endTime = clock.wallTime();
    store.setTime(clock.now());
    const batch: MetricsExport = takeExport(store, level, granularity, lastExportWallTime, endTime);
    lastExportWallTime = endTime;
    if (sink === undefined || (batch.datums.length === 0 && batch.leafDatums.length === 0)) return;
    exports++;
    track(() => sink.export(batch));
  }

  /** Runs a sink call; a promise it returns stays in `inFlight` until it settles, or `exportTimeoutMs` passes (a timeout). */
  function track(call: () => void | Promise<void>): void {
    let result: void | Promise<void>;
    try {
      result = call();
    } catch (error) {
      recordFailure(error);
      return;
    }
    if (!isPromiseLike(result)) return;
    let timer: Timer | undefined;
    const tracked = new Promise<void>((resolve) => {
      const settle = () => {
        timer?.cancel();
        inFlight.delete(tracked);
        resolve();
      };
      timer = clock.setTimer(exportTimeoutMs, () => {
        if (!inFlight.has(tracked)) return;
        recordTimeout();
        settle();
      });
      Promise.resolve(result).then(settle, (error: unknown) => {
        if (inFlight.has(tracked)) recordFailure(error);
        settle();
      });
    });
    inFlight.add(tracked);
  }

  /** Resolves when every tracked call has settled, or at `deadline` (clock ms), whichever is first; counts what was cut short. */
  function settledBy(deadline: number): Promise<void> {
    if (inFlight.size === 0) return Promise.resolve();
    return new Promise<void>((resolve) => {
      let done = false;
      const timer = clock.setTimer(deadline - clock.now(), () => {
        if (done) return;
        done = true;
        for (let index = 0; index < inFlight.size; index++) recordTimeout();
        inFlight.clear();
        resolve();
      });
      void Promise.all([...inFlight]).then(() => {
        if (done) return;
        done = true;
        timer.cancel();
        resolve();
      });
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

  if (enabled) {
    pendingTimer = clock.setTimer(PENDING_SAMPLE_INTERVAL_MS, samplePending);
    if (sink !== undefined) exportTimer = clock.setTimer(uploadDelayMs, onExportTimer);
  }
  if (sink?.attach !== undefined) {
    const context: MetricsSinkContext = { region: deps.region, credentials: deps.credentials, userRecordsPending };
    try {
      sink.attach(context);
    } catch (error) {
      recordFailure(error);
    }
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
    close(): Promise<void> {
      closed ??= (async () => {
        exportTimer?.cancel();
        pendingTimer?.cancel();
        exportTimer = undefined;
        pendingTimer = undefined;
        const deadline = clock.now() + exportTimeoutMs;
        if (enabled && sink !== undefined) exportNow();
        await settledBy(deadline);
        closing = true;
        const shutdown = sink?.shutdown;
        if (shutdown !== undefined) {
          // Always called, so that the sink releases its resources; awaited only within what is left of the bound.
          track(() => shutdown.call(sink));
          if (clock.now() < deadline) await settledBy(deadline);
        }
        reportFailures();
      })();
      return closed;
    },
    exportStats: () => ({ exports, failures, timeouts }),
  };
}

/** The reservoir size a sink asks for; throws a ConfigError for anything but an integer in 0 … MAX_SAMPLES_PER_DATUM. */
function samplesPerDatumOf(sink: MetricsSink): number {
  const requested = sink.samplesPerDatum as unknown;
  if (requested === undefined) return DEFAULT_SAMPLES_PER_DATUM;
  if (typeof requested !== 'number' || !Number.isInteger(requested) || requested < 0 || requested > MAX_SAMPLES_PER_DATUM) {
    throw new ConfigError('metricsSink.samplesPerDatum', requested, `an integer in 0 … ${MAX_SAMPLES_PER_DATUM}`);
  }
  return requested;
}

function isPromiseLike(value: unknown): value is Promise<void> {
  return typeof value === 'object' && value !== null && typeof (value as { then?: unknown }).then === 'function';
}

function messageOf(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}
