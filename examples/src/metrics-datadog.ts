// Producer metrics to Datadog through the agent's DogStatsD port (UDP 8125): counts as counters,
// durations as distributions, tagged stream_name / shard_id.
//
// Run: STREAM_NAME=orders KINESIS_ENDPOINT=http://127.0.0.1:4567 DD_AGENT_HOST=127.0.0.1 node dist/metrics-datadog.js
import { Producer } from '@tskpl/producer';
import { DatadogSink } from '@tskpl/sink-datadog';
import { connectionFromEnv, isMain, type Connection } from './connection.js';
import { putSampleRecords } from './sample-load.js';

/** A producer whose metrics go as DogStatsD datagrams to `host:port`. */
export function createProducerWithDatadog(connection: Connection, options: { host: string; port: number; metricsUploadDelayMs?: number }): Producer {
  return new Producer({
    ...connection.producerOptions,
    metricsLevel: 'summary',
    metricsGranularity: 'shard',
    metricsUploadDelayMs: options.metricsUploadDelayMs ?? 10_000, // Datadog's agent flushes every 10 s
    metricsSink: new DatadogSink({ host: options.host, port: options.port, prefix: 'kpl.', globalTags: { service: 'orders-service' } }),
  });
}

if (isMain(import.meta.url)) {
  const connection = connectionFromEnv();
  const producer = createProducerWithDatadog(connection, { host: process.env.DD_AGENT_HOST ?? '127.0.0.1', port: Number(process.env.DD_DOGSTATSD_PORT ?? 8125) });
  const delivered = await putSampleRecords(producer, connection.streamName, 1_000);
  await producer.close(); // the last window is sent and the UDP socket closed
  console.log(`delivered ${delivered} records`);
}
