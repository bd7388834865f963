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

describe('CloudWatchSink with the producer\'s region and credentials', () => {
  it('uploads with no region anywhere but the producer\'s (no AWS_REGION), to the KPL\'s default namespace', async () => {
    const saved = { AWS_REGION: process.env['AWS_REGION'], AWS_DEFAULT_REGION: process.env['AWS_DEFAULT_REGION'], AWS_CONFIG_FILE: process.env['AWS_CONFIG_FILE'] };
    delete process.env['AWS_REGION'];
    delete process.env['AWS_DEFAULT_REGION'];
    process.env['AWS_CONFIG_FILE'] = '/nonexistent/aws-config';
    const server = await startFakeCloudWatch();
    try {
      const warnings: string[] = [];
      const producer = new Producer({
        region: 'eu-central-1',
        credentials: { accessKeyId: 'AKIDPRODUCER', secretAccessKey: 'secret' },
        transport: createInstantTransport(),
        metricsSink: new CloudWatchSink({ endpoint: server.endpoint }),
        logger: { warn: (message) => void warnings.push(message), error: (message) => void warnings.push(message) },
      });
      expect(await putRecords(producer, 10)).toBe(10);
      await producer.close();
      expect(warnings).toEqual([]);
      expect(server.requests.length).toBeGreaterThan(0);
      for (const request of server.requests) {
        expect(request.namespace).toBe('KinesisProducerLibrary');
        expect(request.authorization).toMatch(/^AWS4-HMAC-SHA256 Credential=AKIDPRODUCER\/\d{8}\/eu-central-1\/monitoring\//);
      }
    } finally {
      await server.close();
      for (const [key, value] of Object.entries(saved)) {
        if (value === undefined) delete process.env[key];
        else process.env[key] = value;
      }
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
