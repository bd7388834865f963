import { describe, expect, it } from 'vitest';
import type { MetricsExport } from '../metrics/sink.js';
import type { Outcome } from '../record/outcome.js';
import { bytes, createHarness, results } from './harness.js';

function sumOf(snapshots: ReturnType<ReturnType<typeof createHarness>['producer']['getMetrics']>, dimensions: Record<string, string>): number {
  return snapshots
    .filter((snapshot) => {
      const actual = Object.entries(snapshot.dimensions).sort();
      const expected = Object.entries(dimensions).sort();
      return JSON.stringify(actual) === JSON.stringify(expected);
    })
    .reduce((total, snapshot) => total + snapshot.sum, 0);
}

describe('Producer metrics', () => {
  it('counts a scripted run exactly at global, stream and shard level, and exports it on close, not on flush', async () => {
    const exports: MetricsExport[] = [];
    const { clock, transport, producer } = createHarness({ orders: 2 }, {
      metricsSink: { export: (batch) => void exports.push(batch) },
      aggregationEnabled: false,
    });
    let throttled = 0;
    transport.entryScript = (entry) => (entry.partitionKey === 'k3' && throttled++ === 0 ? { errorCode: 'ProvisionedThroughputExceededException', errorMessage: 'slow' } : undefined);
    transport.requestScripts.push(undefined);
    const outcomes: Outcome[] = [];
    for (let index = 0; index < 10; index++) outcomes.push(await producer.putRecord({ streamName: 'orders', partitionKey: `k${index}`, data: bytes('12345') }));
    const all = await results(clock, outcomes);
    expect(all.every((result) => result.successful)).toBe(true);
    const shardOfK3 = all[3]!.shardId!;

    const received = producer.getMetrics('UserRecordsReceived');
    expect(sumOf(received, {})).toBe(10);
    expect(sumOf(received, { StreamName: 'orders' })).toBe(10);
    const put = producer.getMetrics('UserRecordsPut');
    expect(sumOf(put, {})).toBe(10);
    expect(sumOf(put, { StreamName: 'orders' })).toBe(10);
    const perShard = put.filter((snapshot) => 'ShardId' in snapshot.dimensions).reduce((total, snapshot) => total + snapshot.sum, 0);
    expect(perShard).toBe(10);
    expect(sumOf(producer.getMetrics('UserRecordsDataPut'), {})).toBe(50);
    expect(sumOf(producer.getMetrics('RetriesPerRecord'), {})).toBe(1);
    const throttles = producer.getMetrics('ErrorsByCode').filter((snapshot) => snapshot.dimensions.ErrorCode === 'ProvisionedThroughputExceededException');
    // Unaggregated records are still predicted (the limiter paces them per shard), so a failed entry counts at shard level too.
    expect(sumOf(throttles, { ErrorCode: 'ProvisionedThroughputExceededException', StreamName: 'orders' })).toBe(1);
    expect(sumOf(throttles, { ErrorCode: 'ProvisionedThroughputExceededException', StreamName: 'orders', ShardId: shardOfK3 })).toBe(1);
    expect(sumOf(producer.getMetrics('KinesisRecordsPut'), {})).toBe(10);

    await producer.flush();
    expect(exports).toEqual([]); // flush() waits for records only, as the KPL's
    await producer.close();
    const exported = exports.flatMap((batch) => batch.datums).filter((datum) => datum.name === 'UserRecordsPut' && datum.dimensions.length === 0);
    expect(exported.reduce((total, datum) => total + datum.sum, 0)).toBe(10);
  });

  it('records nothing and starts no timer when metricsLevel is none', async () => {
    const { clock, producer } = createHarness({ orders: 1 }, { metricsLevel: 'none' });
    const outcome = await producer.putRecord({ streamName: 'orders', partitionKey: 'k', data: bytes('x') });
    await results(clock, [outcome]);
    expect(producer.getMetrics()).toEqual([]);
    await producer.close();
    expect(clock.pendingTimers).toBe(0);
  });
});
