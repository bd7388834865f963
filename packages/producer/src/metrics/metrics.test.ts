import { describe, expect, it, vi } from 'vitest';
import { createFakeClock } from '../clock/fake-clock.js';
import type { Logger } from '../config/logger.js';
import { createMetrics, type MetricsDeps } from './metrics.js';
import { noopRecorder } from './recorder.js';
import type { MetricsExport, MetricsSink } from './sink.js';
import { MAX_SAMPLES_PER_DATUM } from './sink.js';
import { datumsByKey, memorySink, recordResult, snapshotsByKey } from './__tests__/helpers.js';

function setup(overrides: Partial<MetricsDeps> = {}) {
  const clock = createFakeClock({ startMs: 5_000_000 });
  const sink = memorySink();
  const warnings: { message: string; fields: Record<string, unknown> | undefined }[] = [];
  const logger: Logger = { warn: (message, fields) => warnings.push({ message, fields }), error: () => {} };
  const deps: MetricsDeps = {
    level: 'detailed',
    granularity: 'shard',
    uploadDelayMs: 1_000,
    sink,
    logger,
    clock,
    pendingByStream: () => [],
    ...overrides,
  };
  const metrics = createMetrics(deps);
  return { clock, sink, warnings, metrics };
}

/** Lets promise callbacks run (the fake clock fires timers synchronously). */
async function settle(): Promise<void> {
  for (let index = 0; index < 5; index++) await Promise.resolve();
}

describe('createMetrics', () => {
  it('binds the no-op recorder and starts no timer when the level is none', async () => {
    const { clock, sink, metrics } = setup({ level: 'none' });
    expect(metrics.recorder).toBe(noopRecorder);
    expect(clock.pendingTimers).toBe(0);
    metrics.recorder.userRecordReceived('orders');
    expect(metrics.getMetrics()).toEqual([]);
    await metrics.flush();
    await metrics.close();
    expect(sink.exports).toEqual([]);
    expect(sink.shutdowns).toBe(1);
  });

  it('samples UserRecordsPending for every stream every 200 ms', () => {
    let pending = 0;
    const { clock, metrics } = setup({
      pendingByStream: () => [
        ['orders', ++pending],
        ['clicks', 7],
      ],
    });
    clock.advance(999);
    expect(snapshotsByKey(metrics.getMetrics('UserRecordsPending')).get('UserRecordsPending|StreamName=orders')).toMatchObject({
      sampleCount: 4,
      sum: 1 + 2 + 3 + 4,
      min: 1,
      max: 4,
    });
    expect(snapshotsByKey(metrics.getMetrics('UserRecordsPending')).get('UserRecordsPending')).toMatchObject({ sampleCount: 8, sum: 38 });
  });

  it('keeps sampling when the pending callback throws, and logs that once', () => {
    const pendingByStream = vi.fn((): Iterable<readonly [string, number]> => {
      throw new Error('boom');
    });
    const { clock, warnings } = setup({ pendingByStream, sink: undefined });
    clock.advance(2_000);
    expect(pendingByStream).toHaveBeenCalledTimes(10);
    expect(warnings).toHaveLength(1);
  });

  it('exports every uploadDelayMs with the window bounds, and not when nothing was recorded', () => {
    const { clock, sink, metrics } = setup();
    metrics.recorder.userRecordReceived('orders');
    clock.advance(999);
    expect(sink.exports).toHaveLength(0);
    clock.advance(1);
    expect(sink.exports).toHaveLength(1);
    expect(sink.exports[0]).toMatchObject({ startTime: 5_000_000, endTime: 5_001_000 });
    clock.advance(1_000);
    expect(sink.exports).toHaveLength(1);
    metrics.recorder.userRecordReceived('orders');
    clock.advance(1_000);
    expect(sink.exports).toHaveLength(2);
    expect(sink.exports[1]).toMatchObject({ startTime: 5_002_000, endTime: 5_003_000 });
  });

  it('exports at once on flush()', async () => {
    const { sink, metrics } = setup({ uploadDelayMs: 60_000 });
    metrics.recorder.userRecordReceived('orders');
    await metrics.flush();
    expect(sink.exports).toHaveLength(1);
    expect(datumsByKey(sink.exports[0]!.datums).get('UserRecordsReceived')!.sampleCount).toBe(1);
  });

  it('makes a final export on close(), shuts the sink down once, and leaves no timer', async () => {
    const { clock, sink, metrics } = setup({ pendingByStream: () => [['orders', 1]] });
    metrics.recorder.userRecordReceived('orders');
    const first = metrics.close();
    const second = metrics.close();
    expect(second).toBe(first);
    await first;
    expect(sink.exports).toHaveLength(1);
    expect(sink.shutdowns).toBe(1);
    expect(clock.pendingTimers).toBe(0);
    metrics.recorder.userRecordReceived('orders');
    clock.advance(10_000);
    await metrics.flush();
    expect(sink.exports).toHaveLength(1);
  });

  it('counts a sink that throws, logs it once per period with the count, and keeps recording', async () => {
    const exportCalls: MetricsExport[] = [];
    const sink: MetricsSink = {
      export(batch) {
        exportCalls.push(batch);
        throw new Error('sink down');
      },
    };
    const { clock, warnings, metrics } = setup({ sink });
    for (let period = 0; period < 3; period++) {
      for (let index = 0; index < 1_000; index++) metrics.recorder.userRecordReceived('orders');
      clock.advance(1_000);
    }
    metrics.recorder.userRecordReceived('orders');
    await metrics.close();
    expect(exportCalls).toHaveLength(4);
    expect(metrics.exportStats()).toEqual({ exports: 4, failures: 4, timeouts: 0 });
    expect(warnings.map((warning) => warning.fields?.['failures'])).toEqual([1, 1, 2]);
    expect(warnings[0]!.fields?.['lastError']).toBe('Error: sink down');
    expect(snapshotsByKey(metrics.getMetrics('UserRecordsReceived')).get('UserRecordsReceived')!.sampleCount).toBe(3_001);
  });

  it('counts a sink that rejects', async () => {
    const sink: MetricsSink = { export: () => Promise.reject(new Error('throttled')) };
    const { metrics, warnings } = setup({ sink });
    metrics.recorder.userRecordReceived('orders');
    await metrics.flush();
    expect(metrics.exportStats()).toEqual({ exports: 1, failures: 1, timeouts: 0 });
    expect(warnings).toHaveLength(1);
    expect(warnings[0]!.fields).toMatchObject({ failures: 1, lastError: 'Error: throttled' });
  });

  it('never waits on a hanging sink beyond the timeout, and keeps exporting on schedule', async () => {
    const calls: MetricsExport[] = [];
    const sink: MetricsSink = {
      export(batch) {
        calls.push(batch);
        return new Promise<void>(() => {});
      },
      shutdown: () => new Promise<void>(() => {}),
    };
    const { clock, metrics, warnings } = setup({ sink, exportTimeoutMs: 5_000 });
    for (let second = 0; second < 3; second++) {
      metrics.recorder.userRecordReceived('orders');
      clock.advance(1_000);
    }
    expect(calls).toHaveLength(3);

    metrics.recorder.userRecordReceived('orders');
    let flushed = false;
    const flushing = metrics.flush().then(() => (flushed = true));
    await settle();
    expect(flushed).toBe(false);
    expect(calls).toHaveLength(4);
    clock.advance(5_000);
    await flushing;
    expect(metrics.exportStats().timeouts).toBeGreaterThanOrEqual(4);
    expect(warnings.some((warning) => (warning.fields?.['timeouts'] as number) > 0)).toBe(true);

    let closed = false;
    const closing = metrics.close().then(() => (closed = true));
    await settle();
    expect(closed).toBe(false);
    clock.runAll();
    await settle();
    clock.runAll();
    await closing;
    expect(clock.pendingTimers).toBe(0);
  });

  it('reports the last N seconds with windowSeconds, and everything since start without it', () => {
    const { clock, metrics } = setup({ sink: undefined });
    metrics.recorder.request('orders', 100, 1, 1, undefined);
    clock.advance(30_000);
    metrics.recorder.request('orders', 20, 1, 1, undefined);
    metrics.recorder.request('orders', 40, 1, 1, undefined);

    const last10 = snapshotsByKey(metrics.getMetrics('RequestTime', 10)).get('RequestTime|StreamName=orders')!;
    expect(last10).toMatchObject({ sampleCount: 2, sum: 60, mean: 30, min: 20, max: 40, durationSeconds: 10 });
    const last60 = snapshotsByKey(metrics.getMetrics('RequestTime', 60)).get('RequestTime|StreamName=orders')!;
    expect(last60).toMatchObject({ sampleCount: 3, sum: 160, min: 20, max: 100 });
    const cumulative = snapshotsByKey(metrics.getMetrics('RequestTime')).get('RequestTime')!;
    expect(cumulative).toMatchObject({ sampleCount: 3, sum: 160, durationSeconds: 30 });

    clock.advance(61_000);
    expect(metrics.getMetrics('RequestTime', 60)).toEqual([]);
    expect(metrics.getMetrics('RequestTime')).toHaveLength(2);
  });

  it('reuses a second\'s bucket only for that second, a minute later it starts afresh', () => {
    const { clock, metrics } = setup({ sink: undefined });
    metrics.recorder.userRecordReceived('orders');
    clock.advance(60_000);
    metrics.recorder.userRecordReceived('orders');
    expect(snapshotsByKey(metrics.getMetrics('UserRecordsReceived', 1)).get('UserRecordsReceived')!.sampleCount).toBe(1);
  });

  it('rejects an unknown metric name or a window outside 1 … 60 seconds', () => {
    const { metrics } = setup();
    expect(() => metrics.getMetrics('Nope' as never)).toThrow(/Invalid metric name: got "Nope"; expected one of UserRecordsReceived/);
    for (const window of [0, 61, 1.5, Number.NaN]) {
      expect(() => metrics.getMetrics(undefined, window)).toThrow(/Invalid windowSeconds: got .*; expected an integer in 1 … 60/);
    }
  });

  it('caps the samples of one datum while sampleCount and sum describe them all', async () => {
    const { sink, metrics } = setup({ uploadDelayMs: 60_000 });
    const delaysMs = Array.from({ length: MAX_SAMPLES_PER_DATUM + 5 }, () => 2);
    metrics.recorder.userRecordFinished('orders', 'shardId-000000000000', recordResult({ streamName: 'orders', successful: true, delaysMs }), 1);
    await metrics.flush();
    const datum = datumsByKey(sink.exports[0]!.datums).get('BufferingTime')!;
    expect(datum.sampleCount).toBe(MAX_SAMPLES_PER_DATUM + 5);
    expect(datum.sum).toBe(2 * (MAX_SAMPLES_PER_DATUM + 5));
    expect(datum.samples).toHaveLength(MAX_SAMPLES_PER_DATUM);
  });

  it('records a failed entry with no error code as Unknown', async () => {
    const { sink, metrics } = setup({ uploadDelayMs: 60_000 });
    metrics.recorder.kinesisRecord('orders', 'shardId-000000000003', false, 10, 1, undefined);
    await metrics.flush();
    expect(datumsByKey(sink.exports[0]!.datums).get('ErrorsByCode|ErrorCode=Unknown|StreamName=orders|ShardId=shardId-000000000003')).toMatchObject({
      sampleCount: 1,
      sum: 1,
    });
  });

  it('uses the KPL units', async () => {
    const { sink, metrics } = setup({ uploadDelayMs: 60_000 });
    metrics.recorder.request('orders', 10, 1, 1, undefined);
    metrics.recorder.kinesisRecord('orders', 'shardId-000000000000', true, 10, 1, undefined);
    await metrics.flush();
    const datums = datumsByKey(sink.exports[0]!.datums);
    expect(datums.get('RequestTime')!.unit).toBe('Milliseconds');
    expect(datums.get('KinesisRecordsDataPut')!.unit).toBe('Bytes');
    expect(datums.get('KinesisRecordsPut')!.unit).toBe('Count');
  });

  it('exports nothing and keeps no timer without a sink, yet snapshots work', async () => {
    const { clock, metrics } = setup({ sink: undefined });
    expect(clock.pendingTimers).toBe(1); // the UserRecordsPending sampler only
    metrics.recorder.userRecordReceived('orders');
    await metrics.flush();
    expect(metrics.getMetrics('UserRecordsReceived')).toHaveLength(2);
    expect(metrics.exportStats().exports).toBe(0);
    await metrics.close();
    expect(clock.pendingTimers).toBe(0);
  });
});
