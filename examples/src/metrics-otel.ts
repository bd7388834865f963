// Producer metrics to OpenTelemetry: the KPL metric set (UserRecordsPut, BufferingTime, …) as
// OpenTelemetry instruments on a MeterProvider, exported by whatever reader you configure
// (here the console; in production an OTLP exporter, or a Prometheus reader).
//
// Run: STREAM_NAME=orders KINESIS_ENDPOINT=http://127.0.0.1:4567 node dist/metrics-otel.js
import { ConsoleMetricExporter, MeterProvider, PeriodicExportingMetricReader, type MetricReader } from '@opentelemetry/sdk-metrics';
import { Producer } from '@tskpl/producer';
import { OpenTelemetrySink } from '@tskpl/sink-otel';
import { connectionFromEnv, isMain, type Connection } from './connection.js';
import { putSampleRecords } from './sample-load.js';

/**
 * A producer whose metrics go to a MeterProvider read by `reader`. Counts arrive as OpenTelemetry
 * counters named `kpl.<KPL name>` (e.g. `kpl.UserRecordsPut`), durations and sizes as histograms,
 * with `stream_name` / `shard_id` attributes at the granularity chosen.
 */
export function createProducerWithOpenTelemetry(connection: Connection, reader: MetricReader, metricsUploadDelayMs = 10_000) {
  const meterProvider = new MeterProvider({ readers: [reader] });
  const producer = new Producer({
    ...connection.producerOptions,
    metricsLevel: 'summary', // UserRecordsPut, KinesisRecordsPut, ErrorsByCode, AllErrors, BufferingTime, …
    metricsGranularity: 'stream', // one series per stream; 'shard' adds one per shard
    metricsUploadDelayMs, // how often the producer hands a window to the sink
    metricsSink: new OpenTelemetrySink({ meterProvider }),
  });
  return { producer, meterProvider };
}

if (isMain(import.meta.url)) {
  const connection = connectionFromEnv();
  const reader = new PeriodicExportingMetricReader({ exporter: new ConsoleMetricExporter(), exportIntervalMillis: 10_000 });
  const { producer, meterProvider } = createProducerWithOpenTelemetry(connection, reader);
  const delivered = await putSampleRecords(producer, connection.streamName, 1_000);
  await producer.close(); // the last window goes to the sink
  await meterProvider.shutdown(); // the reader exports it
  console.log(`delivered ${delivered} records`);
}
