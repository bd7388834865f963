import { createSocket } from 'node:dgram';
import type { AddressInfo } from 'node:net';
import { Producer } from '@tskpl/producer';
import { describe, expect, it } from 'vitest';
import { createInstantTransport } from '@tskpl/testkit';
import { DatadogSink } from './index.js';

describe('DatadogSink end to end', () => {
  it('counts 2000 records through the producer: UserRecordsPut sums to 2000 on the wire', async () => {
    const socket = createSocket('udp4');
    const lines: string[] = [];
    let onLine: (() => void) | undefined;
    socket.on('message', (message) => {
      lines.push(...message.toString('utf8').split('\n').filter((line) => line.length > 0));
      onLine?.();
    });
    await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
    const { port } = socket.address() as AddressInfo;
    try {
      const producer = new Producer({ transport: createInstantTransport(), metricsSink: new DatadogSink({ host: '127.0.0.1', port }) });
      expect(await putRecords(producer, 2_000)).toBe(2_000);
      await producer.close();
      const sumOf = (name: string) =>
        lines.filter((line) => line.startsWith(`${name}:`) && line.includes('|c')).reduce((total, line) => total + Number(line.slice(name.length + 1).split('|')[0]), 0);
      await new Promise<void>((resolve) => {
        onLine = () => sumOf('kpl.UserRecordsPut') >= 2_000 && resolve();
        onLine();
      });
      expect(sumOf('kpl.UserRecordsPut')).toBe(2_000);
      expect(sumOf('kpl.UserRecordsReceived')).toBe(2_000);
      expect(lines.some((line) => line.startsWith('kpl.UserRecordsPut:') && line.endsWith('#stream_name:orders,shard_id:shardId-000000000000'))).toBe(true);
    } finally {
      await new Promise<void>((resolve) => socket.close(() => resolve()));
    }
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
