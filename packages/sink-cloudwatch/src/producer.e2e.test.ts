import { Producer } from '@tskpl/producer';
import { describe, expect, it } from 'vitest';
import { startFakeCloudWatch } from './__tests__/fake-cloudwatch.js';
import { createInstantTransport } from '@tskpl/testkit';
import { CloudWatchSink } from './index.js';

describe('CloudWatchSink end to end', () => {
  it('counts 2000 records through the producer: UserRecordsPut sums to 2000 at every level', async () => {
    const server = await startFakeCloudWatch();
    try {
      const sink = new CloudWatchSink({ namespace: 'E2E', region: 'us-east-1', endpoint: server.endpoint, credentials: { accessKeyId: 'AKIDTEST', secretAccessKey: 'secret' } });
      const producer = new Producer({ transport: createInstantTransport(), metricsSink: sink });
      expect(await putRecords(producer, 2_000)).toBe(2_000);
      await producer.close();
      const datums = server.requests.flatMap((request) => request.datums).filter((datum) => datum.MetricName === 'UserRecordsPut');
      const sumWhere = (dimensionCount: number) =>
        datums.filter((datum) => datum.Dimensions.length === dimensionCount).reduce((total, datum) => total + datum.StatisticValues.Sum, 0);
      expect(sumWhere(0)).toBe(2_000);
      expect(sumWhere(1)).toBe(2_000);
      expect(sumWhere(2)).toBe(2_000);
      expect(server.requests.every((request) => request.namespace === 'E2E' && request.datums.length <= 20)).toBe(true);
    } finally {
      await server.close();
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
