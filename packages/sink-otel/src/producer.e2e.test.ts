import { AggregationTemporality, InMemoryMetricExporter, MeterProvider, PeriodicExportingMetricReader } from '@opentelemetry/sdk-metrics';
import { Producer } from '@tskpl/producer';
import { describe, expect, it } from 'vitest';
import { createInstantTransport } from '@tskpl/testkit';
import { OpenTelemetrySink } from './index.js';

/** An SDK MeterProvider whose reader exports only when flushed, into memory (cumulative). */
function sdkPipeline() {
  const exporter = new InMemoryMetricExporter(AggregationTemporality.CUMULATIVE);
  const reader = new PeriodicExportingMetricReader({ exporter, exportIntervalMillis: 3_600_000 });
  return { exporter, reader, meterProvider: new MeterProvider({ readers: [reader] }) };
}

describe('OpenTelemetrySink end to end', () => {
  it('counts 2000 records through the producer: UserRecordsPut sums to 2000', async () => {
    const { exporter, reader, meterProvider } = sdkPipeline();
    const transport = createInstantTransport();
    const producer = new Producer({ transport, metricsSink: new OpenTelemetrySink({ meterProvider }) });
    expect(await putRecords(producer, 2_000)).toBe(2_000);
    await producer.close();
    await reader.forceFlush();
    const latest = exporter.getMetrics().at(-1)!;
    const metrics = new Map(latest.scopeMetrics.flatMap((scope) => scope.metrics).map((metric) => [metric.descriptor.name, metric]));
    const sumOf = (name: string, outcome?: string) =>
      metrics.get(name)!.dataPoints.filter((point) => outcome === undefined || point.attributes['outcome'] === outcome).reduce((total, point) => total + (point.value as number), 0);
    expect(sumOf('kpl.UserRecordsPut', 'success')).toBe(2_000);
    expect(sumOf('kpl.UserRecordsPut', 'failure')).toBe(0);
    expect(sumOf('kpl.UserRecordsReceived')).toBe(2_000);
    expect(sumOf('kpl.KinesisRecordsPut', 'success')).toBe(transport.entries);
    expect(sumOf('kpl.BufferingTime.count')).toBe(2_000);
    expect(metrics.get('kpl.UserRecordsPut')!.dataPoints.map((point) => point.attributes)).toEqual([
      { 'aws.kinesis.stream_name': 'orders', 'aws.kinesis.shard_id': 'shardId-000000000000', outcome: 'success' },
      { 'aws.kinesis.stream_name': 'orders', 'aws.kinesis.shard_id': 'shardId-000000000000', outcome: 'failure' },
    ]);
    await meterProvider.shutdown();
  });
});

describe('UserRecordsPending through the producer', () => {
  it('reads 0 at the next collection once every record has its outcome, with no export in between', async () => {
    const { exporter, reader, meterProvider } = sdkPipeline();
    const instant = createInstantTransport();
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const transport = { ...instant, putRecords: (...args: Parameters<typeof instant.putRecords>) => gate.then(() => instant.putRecords(...args)) };
    const producer = new Producer({ transport, metricsUploadDelayMs: 60_000, metricsSink: new OpenTelemetrySink({ meterProvider }) });
    const outcomes = [];
    for (let index = 0; index < 50; index++) outcomes.push(await producer.putRecord({ streamName: 'orders', partitionKey: `key-${index}`, data: new Uint8Array(8) }));
    const pending = async () => {
      await reader.forceFlush();
      const metric = exporter.getMetrics().at(-1)!.scopeMetrics.flatMap((scope) => scope.metrics).find((candidate) => candidate.descriptor.name === 'kpl.UserRecordsPending');
      return metric?.dataPoints.map((point) => point.value);
    };
    expect(await pending()).toEqual([50]);
    release();
    await Promise.all(outcomes.map((outcome) => outcome.wait()));
    expect(await pending()).toEqual([0]);
    await producer.close();
    await meterProvider.shutdown();
  });
});

/** Puts `count` records to `orders` and waits for every outcome; returns how many succeeded. */
async function putRecords(producer: Producer, count: number): Promise<number> {
  const outcomes = [];
  for (let index = 0; index < count; index++) {
    outcomes.push(await producer.putRecord({ streamName: 'orders', partitionKey: `key-${index}`, data: new TextEncoder().encode(`record ${index}`) }));
  }
  const results = await Promise.all(outcomes.map((outcome) => outcome.wait()));
  return results.filter((result) => result.successful).length;
}
