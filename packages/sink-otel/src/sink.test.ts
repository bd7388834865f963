import {
  AggregationTemporality,
  DataPointType,
  InMemoryMetricExporter,
  MeterProvider,
  PeriodicExportingMetricReader,
  type MetricData,
} from '@opentelemetry/sdk-metrics';
import type { MetricDatum, MetricsExport } from '@tskpl/producer';
import { afterEach, describe, expect, it } from 'vitest';
import { OpenTelemetrySink, OpenTelemetrySinkError, OpenTelemetrySinkOptionError } from './index.js';

const S0 = 'shardId-000000000000';
const S1 = 'shardId-000000000001';
const stream = (value: string) => ({ name: 'StreamName', value }) as const;
const shard = (value: string) => ({ name: 'ShardId', value }) as const;
const code = (value: string) => ({ name: 'ErrorCode', value }) as const;

function datum(name: MetricDatum['name'], dimensions: MetricDatum['dimensions'], samples: number[], extra: Partial<MetricDatum> = {}): MetricDatum {
  return {
    name,
    unit: name.endsWith('Time') ? 'Milliseconds' : name.endsWith('DataPut') ? 'Bytes' : 'Count',
    dimensions,
    sampleCount: samples.length,
    sum: samples.reduce((a, b) => a + b, 0),
    minimum: Math.min(...samples),
    maximum: Math.max(...samples),
    ...extra,
  };
}

/** A window as the core exports it at shard granularity: hierarchy datums plus their leaf partition. */
function window(): MetricsExport {
  const leafDatums = [
    datum('UserRecordsPut', [stream('orders'), shard(S0)], [1, 1, 1]),
    datum('UserRecordsPut', [stream('orders'), shard(S1)], [1, 0]),
    datum('UserRecordsPut', [stream('orders')], [0]),
    datum('UserRecordsDataPut', [stream('orders'), shard(S0)], [100, 200, 300]),
    datum('ErrorsByCode', [code('ProvisionedThroughputExceededException'), stream('orders'), shard(S1)], [1, 1]),
    datum('ErrorsByCode', [code('ServiceUnavailable'), stream('orders')], [1]),
    datum('BufferingTime', [stream('orders'), shard(S0)], [5, 50, 500], { samples: [5, 50, 500] }),
    datum('RequestTime', [stream('orders')], [10, 20], { samples: [10, 20] }),
    datum('UserRecordsPending', [stream('orders')], [3, 9, 4], { samples: [3, 9, 4] }),
    datum('UserRecordsPending', [stream('clicks')], [1, 2], { samples: [1, 2] }),
  ];
  // The hierarchy view: the same samples again at stream and global level; the sink must ignore it.
  const datums = [
    ...leafDatums,
    datum('UserRecordsPut', [], [1, 1, 1, 1, 0, 0]),
    datum('UserRecordsPut', [stream('orders')], [1, 1, 1, 1, 0, 0]),
  ];
  return { startTime: 1_000, endTime: 61_000, datums, leafDatums };
}

const providers: MeterProvider[] = [];
afterEach(async () => {
  await Promise.all(providers.splice(0).map((provider) => provider.shutdown()));
});

function setup() {
  const exporter = new InMemoryMetricExporter(AggregationTemporality.CUMULATIVE);
  const reader = new PeriodicExportingMetricReader({ exporter, exportIntervalMillis: 3_600_000 });
  const meterProvider = new MeterProvider({ readers: [reader] });
  providers.push(meterProvider);
  async function collect(): Promise<Map<string, MetricData>> {
    await reader.forceFlush();
    const all = exporter.getMetrics();
    const latest = all[all.length - 1]!;
    return new Map(latest.scopeMetrics.flatMap((scope) => scope.metrics).map((metric) => [metric.descriptor.name, metric]));
  }
  return { meterProvider, collect };
}

function points(metric: MetricData | undefined): { attributes: Record<string, unknown>; value: unknown }[] {
  if (metric === undefined) return [];
  return metric.dataPoints.map((point) => ({ attributes: { ...point.attributes }, value: point.value }));
}

describe('OpenTelemetrySink', () => {
  it('adds counts to monotonic counters whose sums equal the KPL counts across exports', async () => {
    const { meterProvider, collect } = setup();
    const sink = new OpenTelemetrySink({ meter: meterProvider.getMeter('test') });
    sink.export(window());
    sink.export(window());
    const metrics = await collect();
    expect(points(metrics.get('kpl.UserRecordsDataPut'))).toEqual([
      { attributes: { 'aws.kinesis.stream_name': 'orders', 'aws.kinesis.shard_id': S0 }, value: 1_200 },
    ]);
    expect(metrics.get('kpl.UserRecordsDataPut')!.descriptor.unit).toBe('By');
    expect(metrics.get('kpl.UserRecordsDataPut')!.dataPointType).toBe(DataPointType.SUM);
  });

  it('splits UserRecordsPut by outcome, so that a success rate can be computed', async () => {
    const { meterProvider, collect } = setup();
    const sink = new OpenTelemetrySink({ meter: meterProvider.getMeter('test') });
    sink.export(window());
    sink.export(window());
    const put = (await collect()).get('kpl.UserRecordsPut')!;
    expect(put.dataPointType).toBe(DataPointType.SUM);
    expect(put.descriptor.unit).toBe('{record}');
    const orders = { 'aws.kinesis.stream_name': 'orders' };
    expect(points(put)).toEqual(
      expect.arrayContaining([
        { attributes: { ...orders, 'aws.kinesis.shard_id': S0, outcome: 'success' }, value: 6 },
        { attributes: { ...orders, 'aws.kinesis.shard_id': S0, outcome: 'failure' }, value: 0 },
        { attributes: { ...orders, 'aws.kinesis.shard_id': S1, outcome: 'success' }, value: 2 },
        { attributes: { ...orders, 'aws.kinesis.shard_id': S1, outcome: 'failure' }, value: 2 },
        { attributes: { ...orders, outcome: 'success' }, value: 0 },
        { attributes: { ...orders, outcome: 'failure' }, value: 2 },
      ]),
    );
    const total = (outcome: string) => points(put).filter((point) => point.attributes['outcome'] === outcome).reduce((sum, point) => sum + (point.value as number), 0);
    expect(total('success')).toBe(8); // the KPL's Sum of UserRecordsPut
    expect(total('success') + total('failure')).toBe(12); // the KPL's SampleCount: records that finished
  });

  it('counts errors by code with the error.type attribute, at shard or stream level', async () => {
    const { meterProvider, collect } = setup();
    new OpenTelemetrySink({ meter: meterProvider.getMeter('test') }).export(window());
    const errors = points((await collect()).get('kpl.ErrorsByCode'));
    expect(errors).toEqual(
      expect.arrayContaining([
        {
          attributes: { 'error.type': 'ProvisionedThroughputExceededException', 'aws.kinesis.stream_name': 'orders', 'aws.kinesis.shard_id': S1 },
          value: 2,
        },
        { attributes: { 'error.type': 'ServiceUnavailable', 'aws.kinesis.stream_name': 'orders' }, value: 1 },
      ]),
    );
    expect(errors).toHaveLength(2);
  });

  it('feeds histograms with the samples, and the exact count and sum to two counters', async () => {
    const { meterProvider, collect } = setup();
    new OpenTelemetrySink({ meter: meterProvider.getMeter('test') }).export(window());
    const metrics = await collect();
    const buffering = metrics.get('kpl.BufferingTime')!;
    expect(buffering.dataPointType).toBe(DataPointType.HISTOGRAM);
    expect(buffering.descriptor.unit).toBe('ms');
    const value = buffering.dataPoints[0]!.value as { count: number; sum: number; min: number; max: number; buckets: { counts: number[] } };
    expect(value).toMatchObject({ count: 3, sum: 555, min: 5, max: 500 });
    expect(value.buckets.counts.filter((count) => count > 0)).toHaveLength(3);
    const attributes = { 'aws.kinesis.stream_name': 'orders', 'aws.kinesis.shard_id': S0 };
    expect(points(metrics.get('kpl.BufferingTime.count'))).toEqual([{ attributes, value: 3 }]);
    expect(points(metrics.get('kpl.BufferingTime.sum'))).toEqual([{ attributes, value: 555 }]);
    expect(metrics.get('kpl.BufferingTime.sum')!.descriptor.unit).toBe('ms');
  });

  it('records only the representative samples of a large window: cost bounded by series, count/sum/min/max exact', async () => {
    const { meterProvider, collect } = setup();
    // A window of 1 000 000 RequestTime samples, as the producer exports it: 16 representative samples.
    const samples = [3, ...Array.from({ length: 14 }, (_, index) => 10 + index), 6_000];
    const big = datum('RequestTime', [stream('orders')], [1], { sampleCount: 1_000_000, sum: 12_345_678, minimum: 3, maximum: 6_000, samples });
    const sink = new OpenTelemetrySink({ meter: meterProvider.getMeter('test') });
    expect(sink.samplesPerDatum).toBe(16);
    const startedAt = performance.now();
    sink.export({ startTime: 0, endTime: 1, datums: [big], leafDatums: [big] });
    expect(performance.now() - startedAt).toBeLessThan(50);
    const metrics = await collect();
    const value = metrics.get('kpl.RequestTime')!.dataPoints[0]!.value as { count: number; min: number; max: number };
    expect(value).toMatchObject({ count: 16, min: 3, max: 6_000 });
    expect(points(metrics.get('kpl.RequestTime.count'))).toEqual([{ attributes: { 'aws.kinesis.stream_name': 'orders' }, value: 1_000_000 }]);
    expect(points(metrics.get('kpl.RequestTime.sum'))).toEqual([{ attributes: { 'aws.kinesis.stream_name': 'orders' }, value: 12_345_678 }]);
  });

  it('reads UserRecordsPending at collection time from the producer, not from the last export', async () => {
    const { meterProvider, collect } = setup();
    const sink = new OpenTelemetrySink({ meter: meterProvider.getMeter('test') });
    let pending = 50;
    sink.attach({ region: undefined, credentials: undefined, userRecordsPending: () => [{ dimensions: [stream('orders')], value: pending }] });
    sink.export(window());
    const gauge = (await collect()).get('kpl.UserRecordsPending')!;
    expect(gauge.dataPointType).toBe(DataPointType.GAUGE);
    expect(points(gauge)).toEqual([{ attributes: { 'aws.kinesis.stream_name': 'orders' }, value: 50 }]);
    pending = 0; // every record has its outcome; no export since
    expect(points((await collect()).get('kpl.UserRecordsPending'))).toEqual([{ attributes: { 'aws.kinesis.stream_name': 'orders' }, value: 0 }]);
    sink.shutdown();
    pending = 7; // no longer read once the sink is shut down
    expect(points((await collect()).get('kpl.UserRecordsPending')).map((point) => point.value)).not.toContain(7);
  });

  it('without a producer, reports UserRecordsPending as the last export\'s mean per stream', async () => {
    const { meterProvider, collect } = setup();
    new OpenTelemetrySink({ meter: meterProvider.getMeter('test') }).export(window());
    expect(points((await collect()).get('kpl.UserRecordsPending'))).toEqual(
      expect.arrayContaining([
        { attributes: { 'aws.kinesis.stream_name': 'orders' }, value: 16 / 3 },
        { attributes: { 'aws.kinesis.stream_name': 'clicks' }, value: 1.5 },
      ]),
    );
  });

  it('takes its meter from a MeterProvider, with a custom name prefix', async () => {
    const { meterProvider, collect } = setup();
    new OpenTelemetrySink({ meterProvider, meterName: 'orders-service', namePrefix: 'kinesis.producer.' }).export(window());
    const metrics = await collect();
    expect(metrics.has('kinesis.producer.UserRecordsPut')).toBe(true);
    expect(metrics.has('kpl.UserRecordsPut')).toBe(false);
  });

  it('rejects bad options with a typed error naming the option', () => {
    const { meterProvider } = setup();
    const meter = meterProvider.getMeter('test');
    const cases: [unknown, RegExp][] = [
      [{}, /Invalid option meterProvider: got undefined/],
      [{ meter: {} }, /Invalid option meter: got an object/],
      [{ meter, meterProvider }, /Invalid option meterProvider/],
      [{ meter, namePrefix: '1bad' }, /Invalid option namePrefix: got "1bad"/],
      [{ meterProvider, meterName: '' }, /Invalid option meterName: got ""/],
      [{ meter, samplesPerDatum: 0 }, /Invalid option samplesPerDatum: got 0; expected an integer in 1 … 10000/],
      [{ meter, samplesPerDatum: 2.5 }, /Invalid option samplesPerDatum: got 2.5/],
    ];
    for (const [options, message] of cases) {
      let caught: unknown;
      try {
        new OpenTelemetrySink(options as never);
      } catch (error) {
        caught = error;
      }
      expect(caught).toBeInstanceOf(OpenTelemetrySinkOptionError);
      expect(caught).toBeInstanceOf(OpenTelemetrySinkError);
      expect((caught as OpenTelemetrySinkError).code).toBe('ERR_INVALID_CONFIG');
      expect((caught as Error).message).toMatch(message);
    }
  });
});
