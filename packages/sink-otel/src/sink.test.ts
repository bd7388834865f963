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
    const put = metrics.get('kpl.UserRecordsPut')!;
    expect(put.dataPointType).toBe(DataPointType.SUM);
    expect(put.descriptor.unit).toBe('{record}');
    expect(points(put)).toEqual(
      expect.arrayContaining([
        { attributes: { 'aws.kinesis.stream_name': 'orders', 'aws.kinesis.shard_id': S0 }, value: 6 },
        { attributes: { 'aws.kinesis.stream_name': 'orders', 'aws.kinesis.shard_id': S1 }, value: 2 },
        { attributes: { 'aws.kinesis.stream_name': 'orders' }, value: 0 },
      ]),
    );
    expect(points(put).reduce((total, point) => total + (point.value as number), 0)).toBe(8);
    expect(points(metrics.get('kpl.UserRecordsDataPut'))).toEqual([
      { attributes: { 'aws.kinesis.stream_name': 'orders', 'aws.kinesis.shard_id': S0 }, value: 1_200 },
    ]);
    expect(metrics.get('kpl.UserRecordsDataPut')!.descriptor.unit).toBe('By');
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

  it('feeds histograms with the individual samples', async () => {
    const { meterProvider, collect } = setup();
    new OpenTelemetrySink({ meter: meterProvider.getMeter('test') }).export(window());
    const buffering = (await collect()).get('kpl.BufferingTime')!;
    expect(buffering.dataPointType).toBe(DataPointType.HISTOGRAM);
    expect(buffering.descriptor.unit).toBe('ms');
    const value = buffering.dataPoints[0]!.value as { count: number; sum: number; min: number; max: number; buckets: { counts: number[] } };
    expect(value).toMatchObject({ count: 3, sum: 555, min: 5, max: 500 });
    expect(value.buckets.counts.filter((count) => count > 0)).toHaveLength(3);
  });

  it('keeps a histogram\'s count and sum exact when the samples were capped', async () => {
    const { meterProvider, collect } = setup();
    const capped = datum('RequestTime', [stream('orders')], [10, 20, 30, 40, 50], { samples: [10, 20] });
    new OpenTelemetrySink({ meter: meterProvider.getMeter('test') }).export({ startTime: 0, endTime: 1, datums: [capped], leafDatums: [capped] });
    const value = (await collect()).get('kpl.RequestTime')!.dataPoints[0]!.value as { count: number; sum: number };
    expect(value).toMatchObject({ count: 5, sum: 150 });
  });

  it('reports UserRecordsPending as a gauge holding each stream\'s last sample', async () => {
    const { meterProvider, collect } = setup();
    new OpenTelemetrySink({ meter: meterProvider.getMeter('test') }).export(window());
    const pending = (await collect()).get('kpl.UserRecordsPending')!;
    expect(pending.dataPointType).toBe(DataPointType.GAUGE);
    expect(points(pending)).toEqual(
      expect.arrayContaining([
        { attributes: { 'aws.kinesis.stream_name': 'orders' }, value: 4 },
        { attributes: { 'aws.kinesis.stream_name': 'clicks' }, value: 2 },
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
      expect((caught as OpenTelemetrySinkError).code).toBe('ERR_INVALID_SINK_OPTION');
      expect((caught as Error).message).toMatch(message);
    }
  });
});
