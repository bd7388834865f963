import { AggregationTemporality, InMemoryMetricExporter, MeterProvider, PeriodicExportingMetricReader } from '@opentelemetry/sdk-metrics';
import { Producer } from '@tskpl/producer';
import { describe, expect, it } from 'vitest';
import { createAcceptingTransport, putRecords } from './__tests__/fake-kinesis.js';
import { OpenTelemetrySink } from './index.js';

describe('OpenTelemetrySink end to end', () => {
  it('counts 2000 records through the producer: UserRecordsPut sums to 2000', async () => {
    const exporter = new InMemoryMetricExporter(AggregationTemporality.CUMULATIVE);
    const reader = new PeriodicExportingMetricReader({ exporter, exportIntervalMillis: 3_600_000 });
    const meterProvider = new MeterProvider({ readers: [reader] });
    const transport = createAcceptingTransport();
    const producer = new Producer({ transport, metricsSink: new OpenTelemetrySink({ meterProvider }) });
    expect(await putRecords(producer, 2_000)).toBe(2_000);
    await producer.close();
    await reader.forceFlush();
    const latest = exporter.getMetrics().at(-1)!;
    const metrics = new Map(latest.scopeMetrics.flatMap((scope) => scope.metrics).map((metric) => [metric.descriptor.name, metric]));
    const sumOf = (name: string) => metrics.get(name)!.dataPoints.reduce((total, point) => total + (point.value as number), 0);
    expect(sumOf('kpl.UserRecordsPut')).toBe(2_000);
    expect(sumOf('kpl.UserRecordsReceived')).toBe(2_000);
    expect(sumOf('kpl.KinesisRecordsPut')).toBe(transport.entries);
    expect(metrics.get('kpl.UserRecordsPut')!.dataPoints.map((point) => point.attributes)).toEqual([
      { 'aws.kinesis.stream_name': 'orders', 'aws.kinesis.shard_id': 'shardId-000000000000' },
    ]);
    await meterProvider.shutdown();
  });
});
