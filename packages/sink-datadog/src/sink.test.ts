import { createSocket, type Socket } from 'node:dgram';
import type { AddressInfo } from 'node:net';
import type { MetricDatum, MetricsExport } from '@tskpl/producer';
import { StatsD } from 'hot-shots';
import { afterEach, describe, expect, it } from 'vitest';
import { DatadogSink, DatadogSinkError, DatadogSinkOptionError } from './index.js';

const S0 = 'shardId-000000000000';
const S1 = 'shardId-000000000001';
const stream = (value: string) => ({ name: 'StreamName', value }) as const;
const shard = (value: string) => ({ name: 'ShardId', value }) as const;
const code = (value: string) => ({ name: 'ErrorCode', value }) as const;

function datum(name: MetricDatum['name'], dimensions: MetricDatum['dimensions'], values: number[], extra: Partial<MetricDatum> = {}): MetricDatum {
  return {
    name,
    unit: 'Count',
    dimensions,
    sampleCount: values.length,
    sum: values.reduce((a, b) => a + b, 0),
    minimum: Math.min(...values),
    maximum: Math.max(...values),
    ...extra,
  };
}

function window(): MetricsExport {
  const leafDatums = [
    datum('UserRecordsPut', [stream('orders'), shard(S0)], [1, 1, 1]),
    datum('UserRecordsPut', [stream('orders')], [0]),
    datum('KinesisRecordsDataPut', [stream('orders'), shard(S1)], [512, 1024]),
    datum('ErrorsByCode', [code('ProvisionedThroughputExceededException'), stream('orders'), shard(S1)], [1, 1]),
    datum('BufferingTime', [stream('orders'), shard(S0)], [5, 50, 500], { samples: [5, 50, 500] }),
    datum('RequestTime', [stream('orders')], [10, 20, 30], { samples: [10] }),
    datum('UserRecordsPending', [stream('orders')], [3, 9, 4], { samples: [3, 9, 4] }),
  ];
  return { startTime: 0, endTime: 60_000, datums: [...leafDatums, datum('UserRecordsPut', [], [1, 1, 1, 0])], leafDatums };
}

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** A DogStatsD "agent": a UDP socket on loopback that splits packets into lines. */
async function agent(): Promise<{ port: number; lines: string[]; waitForLines(count: number): Promise<string[]> }> {
  const socket: Socket = createSocket('udp4');
  const lines: string[] = [];
  let waiter: { count: number; resolve: () => void } | undefined;
  socket.on('message', (message) => {
    lines.push(...message.toString('utf8').split('\n').filter((line) => line.length > 0));
    if (waiter !== undefined && lines.length >= waiter.count) waiter.resolve();
  });
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
  cleanups.push(() => new Promise<void>((resolve) => socket.close(() => resolve())));
  return {
    port: (socket.address() as AddressInfo).port,
    lines,
    waitForLines: (count) =>
      lines.length >= count
        ? Promise.resolve(lines)
        : new Promise<string[]>((resolve) => {
            waiter = { count, resolve: () => resolve(lines) };
          }),
  };
}

describe('DatadogSink', () => {
  it('sends counts as counters, samples as distributions and pending as a gauge, tagged by stream, shard and error code', async () => {
    const { port, waitForLines, lines } = await agent();
    const sink = new DatadogSink({ host: '127.0.0.1', port, globalTags: { env: 'test' } });
    cleanups.push(() => sink.shutdown());
    await sink.export(window());
    await waitForLines(7);
    const env = 'env:test';
    expect([...lines].sort()).toEqual(
      [
        `kpl.UserRecordsPut:3|c|#${env},stream_name:orders,shard_id:${S0}`,
        `kpl.UserRecordsPut:0|c|#${env},stream_name:orders`,
        `kpl.KinesisRecordsDataPut:1536|c|#${env},stream_name:orders,shard_id:${S1}`,
        `kpl.ErrorsByCode:2|c|#${env},error_code:ProvisionedThroughputExceededException,stream_name:orders,shard_id:${S1}`,
        `kpl.BufferingTime:5:50:500|d|#${env},stream_name:orders,shard_id:${S0}`,
        `kpl.RequestTime:10|d|@${1 / 3}|#${env},stream_name:orders`,
        `kpl.UserRecordsPending:${16 / 3}|g|#${env},stream_name:orders`,
      ].sort(),
    );
  });

  it('sends durations as histograms when asked, with a custom prefix', async () => {
    const { port, waitForLines } = await agent();
    const sink = new DatadogSink({ port, prefix: 'kinesis.producer.', durations: 'histogram' });
    cleanups.push(() => sink.shutdown());
    const buffering = datum('BufferingTime', [stream('orders')], [7, 9], { samples: [7, 9] });
    await sink.export({ startTime: 0, endTime: 1, datums: [buffering], leafDatums: [buffering] });
    expect(await waitForLines(1)).toEqual(['kinesis.producer.BufferingTime:7:9|h|#stream_name:orders']);
  });

  it('uses a hot-shots client given in the options and leaves it open on shutdown', async () => {
    const { port, waitForLines } = await agent();
    const client = new StatsD({ host: '127.0.0.1', port, prefix: 'app.', maxBufferSize: 0, includeDatadogTelemetry: false });
    cleanups.push(() => new Promise<void>((resolve) => client.close(() => resolve())));
    const sink = new DatadogSink({ client });
    const put = datum('UserRecordsPut', [stream('orders')], [1, 1]);
    await sink.export({ startTime: 0, endTime: 1, datums: [put], leafDatums: [put] });
    await sink.shutdown();
    client.increment('still.open', 1);
    const lines = await waitForLines(2);
    expect(lines).toEqual(['app.kpl.UserRecordsPut:2|c|#stream_name:orders', 'app.still.open:1|c']);
  });

  it('sums over all tags equal the totals: the hierarchy view is not sent', async () => {
    const { port, waitForLines } = await agent();
    const sink = new DatadogSink({ port });
    cleanups.push(() => sink.shutdown());
    await sink.export(window());
    const lines = await waitForLines(7);
    const puts = lines.filter((line) => line.startsWith('kpl.UserRecordsPut:'));
    expect(puts.map((line) => Number(line.split(':')[1]!.split('|')[0]))).toEqual(expect.arrayContaining([3, 0]));
    expect(puts).toHaveLength(2);
  });

  it('sends a large window as one packed line per series, with the sample rate that keeps the agent\'s count exact', async () => {
    const { port, waitForLines } = await agent();
    const sink = new DatadogSink({ host: '127.0.0.1', port });
    cleanups.push(() => sink.shutdown());
    expect(sink.samplesPerDatum).toBe(64);
    // 1 000 000 BufferingTime samples as the producer exports them: 64 representative ones, exact min and max among them.
    const samples = [1, ...Array.from({ length: 62 }, (_, index) => 10 + index), 6_000];
    const big = datum('BufferingTime', [stream('orders'), shard(S0)], [1], { sampleCount: 1_000_000, sum: 9_000_000, minimum: 1, maximum: 6_000, samples });
    await sink.export({ startTime: 0, endTime: 1, datums: [big], leafDatums: [big] });
    const [line] = await waitForLines(1);
    const match = /^kpl\.BufferingTime((?::[\d.]+)+)\|d\|@([\d.e-]+)\|#stream_name:orders,shard_id:shardId-000000000000$/.exec(line!);
    expect(match).not.toBeNull();
    const values = match![1]!.slice(1).split(':').map(Number);
    expect(values).toEqual(samples);
    const rate = Number(match![2]);
    expect(values.length / rate).toBeCloseTo(1_000_000, 3); // what the agent counts
    expect(Math.min(...values)).toBe(1);
    expect(Math.max(...values)).toBe(6_000);
  });

  it('sends UserRecordsPending read from the producer at export, not the window\'s samples', async () => {
    const { port, waitForLines } = await agent();
    const sink = new DatadogSink({ host: '127.0.0.1', port });
    cleanups.push(() => sink.shutdown());
    sink.attach({ region: undefined, credentials: undefined, userRecordsPending: () => [{ dimensions: [stream('orders')], value: 0 }] });
    const stale = datum('UserRecordsPending', [stream('orders')], [50, 50, 50]);
    await sink.export({ startTime: 0, endTime: 1, datums: [stale], leafDatums: [stale] });
    expect(await waitForLines(1)).toEqual(['kpl.UserRecordsPending:0|g|#stream_name:orders']);
  });

  it('rejects bad options with a typed error naming the option', () => {
    const cases: [unknown, RegExp][] = [
      [{ port: 0 }, /Invalid option port: got 0; expected an integer in 1 … 65535/],
      [{ port: 70_000 }, /Invalid option port: got 70000/],
      [{ host: '' }, /Invalid option host: got ""/],
      [{ prefix: 'a|b' }, /Invalid option prefix: got "a\|b"/],
      [{ durations: 'timing' }, /Invalid option durations: got "timing"; expected 'distribution' or 'histogram'/],
      [{ client: {} }, /Invalid option client/],
      [{ samplesPerDatum: 0 }, /Invalid option samplesPerDatum: got 0; expected an integer in 1 … 10000/],
    ];
    for (const [options, message] of cases) {
      let caught: unknown;
      try {
        new DatadogSink(options as never);
      } catch (error) {
        caught = error;
      }
      expect(caught).toBeInstanceOf(DatadogSinkOptionError);
      expect(caught).toBeInstanceOf(DatadogSinkError);
      expect((caught as DatadogSinkError).code).toBe('ERR_INVALID_CONFIG');
      expect((caught as Error).message).toMatch(message);
    }
  });
});
