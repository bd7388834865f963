import { describe, expect, it, vi } from 'vitest';
import { createFakeClock } from '../clock/fake-clock.js';
import { ArgumentError } from '../errors/errors.js';
import type { Logger } from '../config/logger.js';
import { createMetrics, type MetricsDeps } from './metrics.js';
import { noopRecorder } from './recorder.js';
import type { MetricsExport, MetricsSink, MetricsSinkContext } from './sink.js';
import { DEFAULT_SAMPLES_PER_DATUM, MAX_SAMPLES_PER_DATUM } from './sink.js';
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
    await metrics.close();
    expect(metrics.exportStats()).toEqual({ exports: 1, failures: 1, timeouts: 0 });
    expect(warnings).toHaveLength(1);
    expect(warnings[0]!.fields).toMatchObject({ failures: 1, lastError: 'Error: throttled' });
  });

  it('never waits on a hanging sink: periodic exports go on, and close() settles within exportTimeoutMs in all', async () => {
    const calls: MetricsExport[] = [];
    let shutdowns = 0;
    const sink: MetricsSink = {
      export(batch) {
        calls.push(batch);
        return new Promise<void>(() => {});
      },
      shutdown: () => {
        shutdowns++;
        return new Promise<void>(() => {});
      },
    };
    const { clock, metrics, warnings } = setup({ sink, exportTimeoutMs: 5_000 });
    for (let second = 0; second < 8; second++) {
      metrics.recorder.userRecordReceived('orders');
      clock.advance(1_000);
    }
    expect(calls).toHaveLength(8);
    expect(metrics.exportStats().timeouts).toBe(3); // the exports of seconds 1, 2 and 3 are 5 s old
    expect(warnings.some((warning) => (warning.fields?.['timeouts'] as number) > 0)).toBe(true);

    metrics.recorder.userRecordReceived('orders');
    const startedAt = clock.now();
    let closedAt: number | undefined;
    const closing = metrics.close().then(() => (closedAt = clock.now()));
    await settle();
    expect(calls).toHaveLength(9);
    for (let step = 0; step < 12 && closedAt === undefined; step++) {
      clock.advance(500);
      await settle();
    }
    await closing;
    expect(shutdowns).toBe(1);
    expect(closedAt! - startedAt).toBeLessThanOrEqual(5_000);
    expect(metrics.exportStats().timeouts).toBe(9); // 8 periodic exports and the final one; the shutdown was called but not awaited
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
    // Typed, so a caller can tell a bad argument from a producer failure.
    const error = (() => {
      try {
        metrics.getMetrics(undefined, 0);
      } catch (caught) {
        return caught;
      }
      return undefined;
    })();
    expect(error).toBeInstanceOf(ArgumentError);
    expect(error).toMatchObject({ code: 'ERR_INVALID_ARGUMENT', argument: 'windowSeconds' });
  });

  it('keeps a reservoir that represents the whole window, with the exact minimum and maximum', async () => {
    const { sink, metrics } = setup({ uploadDelayMs: 60_000 });
    // 100 000 BufferingTime samples on one shard: the first half 1 ms, the second half 100 ms, the last one 6000 ms.
    const delaysMs = Array.from({ length: 100_000 }, (_, index) => (index === 99_999 ? 6_000 : index < 50_000 ? 1 : 100));
    metrics.recorder.userRecordFinished('orders', 'shardId-000000000000', recordResult({ streamName: 'orders', successful: true, delaysMs }), 1);
    await metrics.close();
    for (const key of ['BufferingTime', 'BufferingTime|StreamName=orders', 'BufferingTime|StreamName=orders|ShardId=shardId-000000000000']) {
      const datum = datumsByKey(sink.exports[0]!.datums).get(key)!;
      expect(datum).toMatchObject({ sampleCount: 100_000, sum: 50_000 + 49_999 * 100 + 6_000, minimum: 1, maximum: 6_000 });
      const samples = datum.samples!;
      expect(samples).toHaveLength(DEFAULT_SAMPLES_PER_DATUM);
      expect(Math.min(...samples)).toBe(1);
      expect(Math.max(...samples)).toBe(6_000);
      const late = samples.filter((sample) => sample >= 100).length / samples.length;
      expect(late).toBeGreaterThan(0.35);
      expect(late).toBeLessThan(0.65);
    }
  });

  it('merges reservoirs in proportion to the samples they stand for', async () => {
    const { sink, metrics } = setup({ uploadDelayMs: 60_000, granularity: 'stream' });
    // shard 0: 90 000 samples of 1 ms; shard 1: 10 000 samples of 50 ms.
    metrics.recorder.userRecordFinished('orders', 'shardId-000000000000', recordResult({ streamName: 'orders', successful: true, delaysMs: Array.from({ length: 90_000 }, () => 1) }), 1);
    metrics.recorder.userRecordFinished('orders', 'shardId-000000000001', recordResult({ streamName: 'orders', successful: true, delaysMs: Array.from({ length: 10_000 }, () => 50) }), 1);
    await metrics.close();
    const samples = datumsByKey(sink.exports[0]!.leafDatums).get('BufferingTime|StreamName=orders')!.samples!;
    expect(samples).toHaveLength(DEFAULT_SAMPLES_PER_DATUM);
    const share = samples.filter((sample) => sample === 50).length / samples.length;
    expect(share).toBeGreaterThan(0.05);
    expect(share).toBeLessThan(0.15);
  });

  it('keeps no samples for a sink that reads statistic sets only (samplesPerDatum: 0)', async () => {
    const sink = Object.assign(memorySink(), { samplesPerDatum: 0 });
    const { metrics } = setup({ sink, uploadDelayMs: 60_000 });
    metrics.recorder.request('orders', 10, 1, 1, undefined);
    await metrics.close();
    expect(sink.exports[0]!.datums.filter((datum) => datum.samples !== undefined)).toEqual([]);
    expect(datumsByKey(sink.exports[0]!.datums).get('RequestTime')).toMatchObject({ sampleCount: 1, sum: 10 });
  });

  it('rejects a sink whose samplesPerDatum is not an integer in 0 … MAX_SAMPLES_PER_DATUM', () => {
    for (const samplesPerDatum of [-1, 1.5, MAX_SAMPLES_PER_DATUM + 1, Number.NaN]) {
      expect(() => setup({ sink: Object.assign(memorySink(), { samplesPerDatum }) })).toThrow(/Invalid option metricsSink.samplesPerDatum: got .*; expected an integer in 0 … 10000/);
    }
  });

  it('attaches the sink once with the region, the credentials and a fresh UserRecordsPending', async () => {
    let pending = 50;
    const contexts: MetricsSinkContext[] = [];
    const sink = Object.assign(memorySink(), { attach: (context: MetricsSinkContext) => contexts.push(context) });
    const credentials = { accessKeyId: 'AKID', secretAccessKey: 'secret' };
    const { metrics } = setup({ sink, region: 'eu-west-1', credentials, pendingByStream: () => [['orders', pending]] });
    expect(contexts).toHaveLength(1);
    expect(contexts[0]).toMatchObject({ region: 'eu-west-1', credentials });
    expect(contexts[0]!.userRecordsPending()).toEqual([{ dimensions: [{ name: 'StreamName', value: 'orders' }], value: 50 }]);
    pending = 0; // every record has its outcome: the very next read says so, no export needed
    expect(contexts[0]!.userRecordsPending()).toEqual([{ dimensions: [{ name: 'StreamName', value: 'orders' }], value: 0 }]);
    await metrics.close();
    expect(contexts[0]!.userRecordsPending()).toEqual([]);
  });

  it('reads UserRecordsPending as one global series at global granularity, and not at all at summary level', () => {
    const contextsOf = (overrides: Partial<MetricsDeps>) => {
      const contexts: MetricsSinkContext[] = [];
      setup({ sink: Object.assign(memorySink(), { attach: (context: MetricsSinkContext) => contexts.push(context) }), pendingByStream: () => [['orders', 3], ['clicks', 4]], ...overrides });
      return contexts[0]!.userRecordsPending();
    };
    expect(contextsOf({ granularity: 'global' })).toEqual([{ dimensions: [], value: 7 }]);
    expect(contextsOf({ level: 'summary' })).toEqual([]);
  });

  it('records a failed entry with no error code as Unknown', async () => {
    const { sink, metrics } = setup({ uploadDelayMs: 60_000 });
    metrics.recorder.kinesisRecord('orders', 'shardId-000000000003', false, 10, 1, undefined);
    await metrics.close();
    expect(datumsByKey(sink.exports[0]!.datums).get('ErrorsByCode|ErrorCode=Unknown|StreamName=orders|ShardId=shardId-000000000003')).toMatchObject({
      sampleCount: 1,
      sum: 1,
    });
  });

  it('uses the KPL units', async () => {
    const { sink, metrics } = setup({ uploadDelayMs: 60_000 });
    metrics.recorder.request('orders', 10, 1, 1, undefined);
    metrics.recorder.kinesisRecord('orders', 'shardId-000000000000', true, 10, 1, undefined);
    await metrics.close();
    const datums = datumsByKey(sink.exports[0]!.datums);
    expect(datums.get('RequestTime')!.unit).toBe('Milliseconds');
    expect(datums.get('KinesisRecordsDataPut')!.unit).toBe('Bytes');
    expect(datums.get('KinesisRecordsPut')!.unit).toBe('Count');
  });

  it('exports nothing and keeps no timer without a sink, yet snapshots work', async () => {
    const { clock, metrics } = setup({ sink: undefined });
    expect(clock.pendingTimers).toBe(1); // the UserRecordsPending sampler only
    metrics.recorder.userRecordReceived('orders');
    expect(metrics.getMetrics('UserRecordsReceived')).toHaveLength(2);
    expect(metrics.exportStats().exports).toBe(0);
    await metrics.close();
    expect(clock.pendingTimers).toBe(0);
  });
});
