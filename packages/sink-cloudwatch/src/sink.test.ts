import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import type { MetricDatum, MetricsExport } from '@tskpl/producer';
import { afterEach, describe, expect, it } from 'vitest';
import { startFakeCloudWatch, type FakeCloudWatch } from './__tests__/fake-cloudwatch.js';
import type { SinkClock } from './clock/clock.js';
import { CloudWatchSink, CloudWatchSinkError, CloudWatchSinkOptionError, CloudWatchSinkSendError, type CloudWatchSinkOptions } from './index.js';

const S0 = 'shardId-000000000000';
const credentials = { accessKeyId: 'AKIDTEST', secretAccessKey: 'secret' };

function datum(name: MetricDatum['name'], dimensions: MetricDatum['dimensions'], values: number[], unit: MetricDatum['unit'] = 'Count'): MetricDatum {
  return {
    name,
    unit,
    dimensions,
    sampleCount: values.length,
    sum: values.reduce((a, b) => a + b, 0),
    minimum: Math.min(...values),
    maximum: Math.max(...values),
  };
}

function exportOf(datums: MetricDatum[], endTime = Date.UTC(2026, 0, 2, 3, 4, 5)): MetricsExport {
  return { startTime: endTime - 60_000, endTime, datums, leafDatums: [] };
}

/**
 * A clock that records each backoff delay and fires it on the next turn of the event loop; the
 * attempts' deadlines (`requestTimeoutMs`) run as real, unref'ed timers.
 */
function recordingClock(requestTimeoutMs = 6_000): SinkClock & { delays: number[] } {
  const delays: number[] = [];
  return {
    delays,
    setTimer(delayMs, callback) {
      if (delayMs === requestTimeoutMs) {
        const timeout = setTimeout(callback, delayMs).unref();
        return { cancel: () => clearTimeout(timeout) };
      }
      delays.push(delayMs);
      const handle = setImmediate(callback);
      return { cancel: () => clearImmediate(handle) };
    },
    random: () => 0.5,
  };
}

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function setup(options: Partial<CloudWatchSinkOptions> = {}) {
  const server: FakeCloudWatch = await startFakeCloudWatch();
  cleanups.push(() => server.close());
  const clock = recordingClock(options.requestTimeoutMs);
  const sink = new CloudWatchSink({ namespace: 'MyApp', region: 'us-east-1', endpoint: server.endpoint, credentials, clock, ...options });
  cleanups.push(() => sink.shutdown());
  return { server, sink, clock };
}

describe('CloudWatchSink against a loopback CloudWatch, with the real SDK', () => {
  it('puts every datum as a statistic set with the KPL unit, its dimensions and the export time', async () => {
    const { server, sink } = await setup();
    const endTime = Date.UTC(2026, 0, 2, 3, 4, 5);
    await sink.export(
      exportOf(
        [
          datum('UserRecordsPut', [], [1, 1, 0]),
          datum('UserRecordsPut', [{ name: 'StreamName', value: 'orders' }], [1, 1, 0]),
          datum('BufferingTime', [{ name: 'StreamName', value: 'orders' }, { name: 'ShardId', value: S0 }], [5, 50, 500], 'Milliseconds'),
          datum('KinesisRecordsDataPut', [{ name: 'StreamName', value: 'orders' }], [2048], 'Bytes'),
          datum('ErrorsByCode', [{ name: 'ErrorCode', value: 'ProvisionedThroughputExceededException' }, { name: 'StreamName', value: 'orders' }], [1, 1]),
        ],
        endTime,
      ),
    );
    expect(server.requests).toHaveLength(1);
    const [request] = server.requests;
    expect(request).toMatchObject({ operation: 'PutMetricData', namespace: 'MyApp' });
    expect(request!.authorization).toMatch(/^AWS4-HMAC-SHA256 Credential=AKIDTEST\//);
    expect(request!.datums).toEqual([
      { MetricName: 'UserRecordsPut', Dimensions: [], StatisticValues: { SampleCount: 3, Sum: 2, Minimum: 0, Maximum: 1 }, Unit: 'Count', Timestamp: endTime },
      {
        MetricName: 'UserRecordsPut',
        Dimensions: [{ Name: 'StreamName', Value: 'orders' }],
        StatisticValues: { SampleCount: 3, Sum: 2, Minimum: 0, Maximum: 1 },
        Unit: 'Count',
        Timestamp: endTime,
      },
      {
        MetricName: 'BufferingTime',
        Dimensions: [{ Name: 'StreamName', Value: 'orders' }, { Name: 'ShardId', Value: S0 }],
        StatisticValues: { SampleCount: 3, Sum: 555, Minimum: 5, Maximum: 500 },
        Unit: 'Milliseconds',
        Timestamp: endTime,
      },
      {
        MetricName: 'KinesisRecordsDataPut',
        Dimensions: [{ Name: 'StreamName', Value: 'orders' }],
        StatisticValues: { SampleCount: 1, Sum: 2048, Minimum: 2048, Maximum: 2048 },
        Unit: 'Bytes',
        Timestamp: endTime,
      },
      {
        MetricName: 'ErrorsByCode',
        Dimensions: [{ Name: 'ErrorCode', Value: 'ProvisionedThroughputExceededException' }, { Name: 'StreamName', Value: 'orders' }],
        StatisticValues: { SampleCount: 2, Sum: 2, Minimum: 1, Maximum: 1 },
        Unit: 'Count',
        Timestamp: endTime,
      },
    ]);
  });

  it('omits dimensions with blank values', async () => {
    const { server, sink } = await setup();
    await sink.export(exportOf([datum('UserRecordsPut', [{ name: 'StreamName', value: 'orders' }, { name: 'ShardId', value: '' }], [1])]));
    expect(server.requests[0]!.datums[0]!.Dimensions).toEqual([{ Name: 'StreamName', Value: 'orders' }]);
  });

  it('sends at most 20 datums per request, every datum exactly once', async () => {
    const { server, sink } = await setup();
    const datums = Array.from({ length: 45 }, (_, index) => datum('UserRecordsPut', [{ name: 'StreamName', value: `stream-${index}` }], [index]));
    await sink.export(exportOf(datums));
    expect(server.requests.map((request) => request.datums.length).sort((a, b) => b - a)).toEqual([20, 20, 5]);
    const received = server.requests.flatMap((request) => request.datums.map((received) => received.Dimensions[0]!.Value)).sort();
    expect(received).toEqual(datums.map((sent) => sent.dimensions[0]!.value).sort());
  });

  it('honours a larger maxDatumsPerRequest, with the SDK compressing the large body', async () => {
    const { server, sink } = await setup({ maxDatumsPerRequest: 200, maxRequestBytes: 1_048_576 });
    const datums = Array.from({ length: 150 }, (_, index) => datum('UserRecordsPut', [{ name: 'StreamName', value: `stream-${index}` }], [index]));
    await sink.export(exportOf(datums));
    expect(server.requests).toHaveLength(1);
    expect(server.requests[0]!.gzip).toBe(true);
    expect(server.requests[0]!.datums.map((received) => received.StatisticValues.Sum)).toEqual(datums.map((sent) => sent.sum));
  });

  it('keeps each request under the payload limit', async () => {
    const { server, sink } = await setup({ maxRequestBytes: 2_048 });
    const longName = 'x'.repeat(400);
    const datums = Array.from({ length: 10 }, (_, index) => datum('UserRecordsPut', [{ name: 'StreamName', value: `${longName}-${index}` }], [1]));
    await sink.export(exportOf(datums));
    expect(server.requests.length).toBeGreaterThan(1);
    expect(server.requests.reduce((total, request) => total + request.datums.length, 0)).toBe(10);
    for (const request of server.requests) expect(request.datums.length).toBeLessThanOrEqual(3);
  });

  it('retries throttling with jittered exponential backoff on its clock', async () => {
    const { server, sink, clock } = await setup({ backoffBaseMs: 100 });
    server.script.push('throttle', 'throttle');
    await sink.export(exportOf([datum('UserRecordsPut', [], [1])]));
    expect(server.requests).toHaveLength(3);
    expect(server.requests[2]!.datums).toHaveLength(1);
    expect(clock.delays).toEqual([50, 100]);
  });

  it('retries a 5xx failure, and gives up after maxAttempts with a typed error', async () => {
    const { server, sink } = await setup({ maxAttempts: 2 });
    server.script.push({ error: 'InternalServiceFault', status: 500 }, { error: 'InternalServiceFault', status: 500 });
    const failure = await sink.export(exportOf([datum('UserRecordsPut', [], [1]), datum('AllErrors', [], [0])])).catch((error: unknown) => error);
    expect(server.requests).toHaveLength(2);
    expect(failure).toBeInstanceOf(CloudWatchSinkSendError);
    expect(failure).toMatchObject({ code: 'ERR_SINK_SEND', failedRequests: 1, failedDatums: 2 });
  });

  it('does not retry a terminal error', async () => {
    const { server, sink } = await setup();
    server.script.push({ error: 'InvalidParameterValue', status: 400 });
    const failure = await sink.export(exportOf([datum('UserRecordsPut', [], [1])])).catch((error: unknown) => error);
    expect(server.requests).toHaveLength(1);
    expect(failure).toBeInstanceOf(CloudWatchSinkSendError);
    expect((failure as Error).message).toMatch(/InvalidParameterValue/);
  });

  it('never piles up requests behind a hung endpoint: beyond maxPendingRequests, batches are dropped and reported', async () => {
    const { server, sink } = await setup({ maxPendingRequests: 1 });
    server.script.push('hang');
    const first = sink.export(exportOf([datum('UserRecordsPut', [], [1])]));
    await waitFor(() => server.requests.length === 1);
    const second = await sink.export(exportOf([datum('UserRecordsPut', [], [1, 1])])).catch((error: unknown) => error);
    expect(second).toMatchObject({ code: 'ERR_SINK_SEND', failedRequests: 1, failedDatums: 1 });
    expect((second as Error).message).toMatch(/1 requests already pending/);
    server.releaseHanging();
    await first;
    await sink.export(exportOf([datum('UserRecordsPut', [], [1, 1, 1])]));
    expect(server.requests.map((request) => request.datums[0]!.StatisticValues.SampleCount)).toEqual([1, 3]);
  });

  it('aborts an attempt past requestTimeoutMs, retries it, and frees its slot for later exports', async () => {
    const { server, sink } = await setup({ maxPendingRequests: 1, requestTimeoutMs: 200, maxAttempts: 2 });
    server.script.push('hang', 'hang');
    const startedAt = performance.now();
    const failure = await sink.export(exportOf([datum('UserRecordsPut', [], [1])])).catch((error: unknown) => error);
    expect(performance.now() - startedAt).toBeLessThan(2_000);
    expect(failure).toMatchObject({ code: 'ERR_SINK_SEND', failedRequests: 1, failedDatums: 1 });
    expect((failure as Error).message).toMatch(/did not answer within requestTimeoutMs \(200 ms\)/);
    expect(server.requests).toHaveLength(2); // the first attempt timed out and was retried once
    await sink.export(exportOf([datum('UserRecordsPut', [], [1, 1, 1])])); // the slot is free again
    expect(server.requests.map((request) => request.datums[0]!.StatisticValues.SampleCount)).toEqual([1, 1, 3]);
  });

  it('shutdown gives up on hung requests at once, destroys its client, and drops later exports', async () => {
    const { server, sink } = await setup({ requestTimeoutMs: 60_000 });
    server.script.push('hang');
    const hung = sink.export(exportOf([datum('UserRecordsPut', [], [1])])).catch((error: unknown) => error);
    await waitFor(() => server.requests.length === 1);
    const startedAt = performance.now();
    await sink.shutdown();
    expect(await hung).toMatchObject({ code: 'ERR_SINK_SEND', failedRequests: 1 });
    expect(performance.now() - startedAt).toBeLessThan(1_000);
    const later = await sink.export(exportOf([datum('UserRecordsPut', [], [1])])).catch((error: unknown) => error);
    expect((later as Error).message).toMatch(/the sink is shut down/);
    expect(server.requests).toHaveLength(1);
  });

  it('defaults to the namespace KinesisProducerLibrary and to the region and credentials the producer attaches', async () => {
    const server = await startFakeCloudWatch();
    cleanups.push(() => server.close());
    const sink = new CloudWatchSink({ endpoint: server.endpoint });
    cleanups.push(() => sink.shutdown());
    expect(sink.samplesPerDatum).toBe(0);
    sink.attach({ region: 'eu-west-3', credentials: { accessKeyId: 'AKIDPRODUCER', secretAccessKey: 'secret' }, userRecordsPending: () => [] });
    await sink.export(exportOf([datum('UserRecordsPut', [], [1])]));
    expect(server.requests[0]).toMatchObject({ namespace: 'KinesisProducerLibrary' });
    expect(server.requests[0]!.authorization).toMatch(/^AWS4-HMAC-SHA256 Credential=AKIDPRODUCER\/\d{8}\/eu-west-3\/monitoring\/aws4_request/);
  });

  it('prefers its own region and credentials over the producer\'s', async () => {
    const { server, sink } = await setup({ region: 'us-west-2' });
    sink.attach({ region: 'eu-west-3', credentials: { accessKeyId: 'AKIDPRODUCER', secretAccessKey: 'secret' }, userRecordsPending: () => [] });
    await sink.export(exportOf([datum('UserRecordsPut', [], [1])]));
    expect(server.requests[0]!.authorization).toMatch(/^AWS4-HMAC-SHA256 Credential=AKIDTEST\/\d{8}\/us-west-2\//);
  });

  it('uses a client given in the options and leaves it usable after shutdown', async () => {
    const server = await startFakeCloudWatch();
    cleanups.push(() => server.close());
    const client = new CloudWatchClient({ region: 'eu-west-1', endpoint: server.endpoint, credentials });
    cleanups.push(() => client.destroy());
    const sink = new CloudWatchSink({ namespace: 'Shared', client });
    await sink.export(exportOf([datum('UserRecordsPut', [], [1])]));
    await sink.shutdown();
    await new CloudWatchSink({ namespace: 'Shared', client }).export(exportOf([datum('UserRecordsPut', [], [1])]));
    expect(server.requests.map((request) => request.namespace)).toEqual(['Shared', 'Shared']);
  });

  it('rejects bad options with a typed error naming the option', () => {
    const cases: [unknown, RegExp][] = [
      [{ namespace: '' }, /Invalid option namespace: got ""; expected a string of 1 … 255/],
      [{ requestTimeoutMs: 50 }, /Invalid option requestTimeoutMs: got 50; expected an integer in 100 … 600000/],
      [{ namespace: 'AWS/Kinesis' }, /Invalid option namespace: got "AWS\/Kinesis"/],
      [{ namespace: 'A', maxDatumsPerRequest: 1001 }, /Invalid option maxDatumsPerRequest: got 1001; expected an integer in 1 … 1000/],
      [{ namespace: 'A', maxAttempts: 0 }, /Invalid option maxAttempts: got 0/],
      [{ namespace: 'A', storageResolution: 5 }, /Invalid option storageResolution: got 5; expected 1 or 60/],
      [{ namespace: 'A', region: '' }, /Invalid option region: got ""/],
      [{ namespace: 'A', client: {} }, /Invalid option client/],
    ];
    for (const [options, message] of cases) {
      let caught: unknown;
      try {
        new CloudWatchSink(options as never);
      } catch (error) {
        caught = error;
      }
      expect(caught).toBeInstanceOf(CloudWatchSinkOptionError);
      expect(caught).toBeInstanceOf(CloudWatchSinkError);
      expect((caught as Error).message).toMatch(message);
    }
  });
});

async function waitFor(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((resolve) => setImmediate(resolve));
}
