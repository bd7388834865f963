// The three metrics setups, each against a local stand-in for its backend: an in-memory
// OpenTelemetry exporter, a loopback CloudWatch endpoint, a UDP socket where the Datadog agent
// would listen. Each puts 300 records and checks that the backend counted exactly those.
import { createSocket } from 'node:dgram';
import type { AddressInfo } from 'node:net';
import { AggregationTemporality, InMemoryMetricExporter, PeriodicExportingMetricReader } from '@opentelemetry/sdk-metrics';
import { OUTCOME_ATTRIBUTE, OUTCOME_SUCCESS } from '@tskpl/sink-otel';
import type { FakeKinesis } from '@tskpl/testkit';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { startFakeCloudWatch } from '../../packages/sink-cloudwatch/src/__tests__/fake-cloudwatch.js';
import { connectionFromEnv } from '../src/connection.js';
import { createProducerWithCloudWatch } from '../src/metrics-cloudwatch.js';
import { createProducerWithDatadog } from '../src/metrics-datadog.js';
import { createProducerWithOpenTelemetry } from '../src/metrics-otel.js';
import { putSampleRecords } from '../src/sample-load.js';
import { startStream } from './helpers.js';

const COUNT = 300;
let fake: FakeKinesis | undefined;
beforeEach(async () => {
  const started = await startStream('metrics', 2);
  fake = started.fake;
  for (const name of ['KINESIS_ENDPOINT', 'STREAM_NAME', 'AWS_REGION', 'AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY']) vi.stubEnv(name, started.env[name]!);
});
afterEach(async () => {
  vi.unstubAllEnvs();
  await fake?.close();
});

describe('examples/src/metrics-*.ts', () => {
  it('OpenTelemetry: the reader exports kpl.UserRecordsPut = the records delivered', async () => {
    const exporter = new InMemoryMetricExporter(AggregationTemporality.CUMULATIVE);
    const reader = new PeriodicExportingMetricReader({ exporter, exportIntervalMillis: 60_000 });
    const connection = connectionFromEnv();
    const { producer, meterProvider } = createProducerWithOpenTelemetry(connection, reader, 200);
    expect(await putSampleRecords(producer, connection.streamName, COUNT)).toBe(COUNT);
    await producer.close();
    await reader.forceFlush();
    const metrics = exporter.getMetrics().flatMap((resource) => resource.scopeMetrics.flatMap((scope) => scope.metrics));
    const put = metrics.filter((metric) => metric.descriptor.name === 'kpl.UserRecordsPut').at(-1);
    // metricsGranularity 'stream': one series per stream and outcome, the sink's finest level.
    const successes = put?.dataPoints.filter((point) => point.attributes[OUTCOME_ATTRIBUTE] === OUTCOME_SUCCESS);
    expect(successes?.map((point) => [point.attributes, point.value])).toEqual([[{ 'aws.kinesis.stream_name': 'metrics', [OUTCOME_ATTRIBUTE]: OUTCOME_SUCCESS }, COUNT]]);
    await meterProvider.shutdown();
  });

  it('CloudWatch: PutMetricData statistic sets sum UserRecordsPut to the records delivered', async () => {
    const cloudWatch = await startFakeCloudWatch();
    try {
      const connection = connectionFromEnv();
      const producer = createProducerWithCloudWatch(connection, { namespace: 'Examples', cloudWatchEndpoint: cloudWatch.endpoint, metricsUploadDelayMs: 200 });
      expect(await putSampleRecords(producer, connection.streamName, COUNT)).toBe(COUNT);
      await producer.close();
      const datums = cloudWatch.requests.flatMap((request) => request.datums.map((datum) => ({ ...datum, namespace: request.namespace })));
      expect(cloudWatch.requests.every((request) => request.datums.length <= 20)).toBe(true);
      const global = datums.filter((datum) => datum.MetricName === 'UserRecordsPut' && datum.Dimensions.length === 0);
      expect(global.reduce((sum, datum) => sum + datum.StatisticValues.Sum, 0)).toBe(COUNT);
      expect(datums.every((datum) => datum.namespace === 'Examples')).toBe(true);
    } finally {
      await cloudWatch.close();
    }
  });

  it('Datadog: DogStatsD counters on the UDP socket sum kpl.UserRecordsPut to the records delivered', async () => {
    const socket = createSocket('udp4');
    const lines: string[] = [];
    socket.on('message', (message) => lines.push(...message.toString('utf8').split('\n').filter(Boolean)));
    await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
    try {
      const connection = connectionFromEnv();
      const producer = createProducerWithDatadog(connection, { host: '127.0.0.1', port: (socket.address() as AddressInfo).port, metricsUploadDelayMs: 200 });
      expect(await putSampleRecords(producer, connection.streamName, COUNT)).toBe(COUNT);
      await producer.close();
      // UDP on loopback: give the last datagrams a moment to arrive.
      const sum = () => lines.filter((line) => line.startsWith('kpl.UserRecordsPut:') && line.includes('|c')).reduce((total, line) => total + Number(line.split(':')[1]!.split('|')[0]), 0);
      for (let waited = 0; sum() < COUNT && waited < 2_000; waited += 20) await new Promise((resolve) => setTimeout(resolve, 20));
      expect(lines.find((line) => line.startsWith('kpl.UserRecordsPut:'))).toMatch(/^kpl\.UserRecordsPut:\d+\|c\|#.*service:orders-service.*stream_name:metrics,shard_id:shardId-/);
      expect(sum()).toBe(COUNT);
    } finally {
      socket.close();
    }
  });
});
