import { describe, expect, it } from 'vitest';
import { createFakeClock } from '../clock/fake-clock.js';
import { silentLogger } from '../config/logger.js';
import { METRICS, granularityIncludes, levelIncludes } from './catalogue.js';
import { createMetrics } from './metrics.js';
import type { MetricsRecorder } from './recorder.js';
import type { MetricsGranularity, MetricsLevel } from './sink.js';
import { datumsByKey, memorySink, recordResult, snapshotsByKey, totalOf } from './__tests__/helpers.js';

const S0 = 'shardId-000000000000';
const S1 = 'shardId-000000000001';

/**
 * A scripted run over two streams, as the pipeline would report it: a partially throttled
 * request, a request that fails as a whole, a retry, an expired record, a record failed with no
 * known shard.
 */
function scriptRun(recorder: MetricsRecorder): void {
  for (let index = 0; index < 6; index++) recorder.userRecordReceived('orders');
  recorder.userRecordReceived('clicks');
  recorder.userRecordReceived('clicks');

  // Request 1: entry A (2 user records) ok on shard 0, entry B throttled on shard 1, entry C ok on shard 1.
  recorder.request('orders', 40, 3, 4, undefined);
  recorder.kinesisRecord('orders', S0, true, 300, 2, undefined);
  recorder.kinesisRecord('orders', S1, false, 100, 1, 'ProvisionedThroughputExceededException');
  recorder.kinesisRecord('orders', S1, true, 150, 1, undefined);
  // Request 2 fails as a whole (no entries reported).
  recorder.request('orders', 12, 1, 1, 'ServiceUnavailable');
  // Request 3 carries the throttled record again, now stored.
  recorder.request('orders', 30, 1, 1, undefined);
  recorder.kinesisRecord('orders', S1, true, 100, 1, undefined);
  // Request 4 on the other stream.
  recorder.request('clicks', 20, 1, 2, undefined);
  recorder.kinesisRecord('clicks', S0, true, 80, 2, undefined);

  recorder.userRecordFinished('orders', S0, recordResult({ streamName: 'orders', successful: true, delaysMs: [50] }), 100);
  recorder.userRecordFinished('orders', S0, recordResult({ streamName: 'orders', successful: true, delaysMs: [50] }), 120);
  recorder.userRecordFinished('orders', S1, recordResult({ streamName: 'orders', successful: true, delaysMs: [50, 100] }), 100);
  recorder.userRecordFinished('orders', S1, recordResult({ streamName: 'orders', successful: true, delaysMs: [60] }), 150);
  recorder.userRecordFinished(
    'orders',
    S1,
    recordResult({ streamName: 'orders', successful: false, delaysMs: [70, 30, 20], attemptsDropped: 2, errorCode: 'Expired' }),
    90,
  );
  recorder.userRecordFinished(
    'orders',
    undefined,
    recordResult({ streamName: 'orders', successful: false, delaysMs: [10], errorCode: 'AccessDeniedException' }),
    90,
  );
  recorder.userRecordFinished('clicks', S0, recordResult({ streamName: 'clicks', successful: true, delaysMs: [5] }), 40);
  recorder.userRecordFinished('clicks', S0, recordResult({ streamName: 'clicks', successful: true, delaysMs: [7] }), 40);
}

const o = 'StreamName=orders';
const c = 'StreamName=clicks';
const o0 = `${o}|ShardId=${S0}`;
const o1 = `${o}|ShardId=${S1}`;
const c0 = `${c}|ShardId=${S0}`;

/** Every series of the scripted run: key → [sampleCount, sum], worked out by hand from the script. */
const expected: Record<string, readonly [number, number]> = {
  'UserRecordsReceived': [8, 8], [`UserRecordsReceived|${o}`]: [6, 6], [`UserRecordsReceived|${c}`]: [2, 2],

  'UserRecordsPut': [8, 6], [`UserRecordsPut|${o}`]: [6, 4], [`UserRecordsPut|${o0}`]: [2, 2], [`UserRecordsPut|${o1}`]: [3, 2],
  [`UserRecordsPut|${c}`]: [2, 2], [`UserRecordsPut|${c0}`]: [2, 2],

  'UserRecordsDataPut': [6, 550], [`UserRecordsDataPut|${o}`]: [4, 470], [`UserRecordsDataPut|${o0}`]: [2, 220],
  [`UserRecordsDataPut|${o1}`]: [2, 250], [`UserRecordsDataPut|${c}`]: [2, 80], [`UserRecordsDataPut|${c0}`]: [2, 80],

  'KinesisRecordsPut': [5, 4], [`KinesisRecordsPut|${o}`]: [4, 3], [`KinesisRecordsPut|${o0}`]: [1, 1], [`KinesisRecordsPut|${o1}`]: [3, 2],
  [`KinesisRecordsPut|${c}`]: [1, 1], [`KinesisRecordsPut|${c0}`]: [1, 1],

  'KinesisRecordsDataPut': [4, 630], [`KinesisRecordsDataPut|${o}`]: [3, 550], [`KinesisRecordsDataPut|${o0}`]: [1, 300],
  [`KinesisRecordsDataPut|${o1}`]: [2, 250], [`KinesisRecordsDataPut|${c}`]: [1, 80], [`KinesisRecordsDataPut|${c0}`]: [1, 80],

  'ErrorsByCode': [2, 2],
  'ErrorsByCode|ErrorCode=ProvisionedThroughputExceededException': [1, 1],
  [`ErrorsByCode|ErrorCode=ProvisionedThroughputExceededException|${o}`]: [1, 1],
  [`ErrorsByCode|ErrorCode=ProvisionedThroughputExceededException|${o1}`]: [1, 1],
  'ErrorsByCode|ErrorCode=ServiceUnavailable': [1, 1],
  [`ErrorsByCode|ErrorCode=ServiceUnavailable|${o}`]: [1, 1],

  'AllErrors': [6, 2], [`AllErrors|${o}`]: [5, 2], [`AllErrors|${o0}`]: [1, 0], [`AllErrors|${o1}`]: [3, 1],
  [`AllErrors|${c}`]: [1, 0], [`AllErrors|${c0}`]: [1, 0],

  'RetriesPerRecord': [8, 5], [`RetriesPerRecord|${o}`]: [6, 5], [`RetriesPerRecord|${o0}`]: [2, 0], [`RetriesPerRecord|${o1}`]: [3, 5],
  [`RetriesPerRecord|${c}`]: [2, 0], [`RetriesPerRecord|${c0}`]: [2, 0],

  'UserRecordExpired': [1, 1], [`UserRecordExpired|${o}`]: [1, 1], [`UserRecordExpired|${o1}`]: [1, 1],

  'BufferingTime': [11, 452], [`BufferingTime|${o}`]: [9, 440], [`BufferingTime|${o0}`]: [2, 100], [`BufferingTime|${o1}`]: [6, 330],
  [`BufferingTime|${c}`]: [2, 12], [`BufferingTime|${c0}`]: [2, 12],

  'RequestTime': [4, 102], [`RequestTime|${o}`]: [3, 82], [`RequestTime|${c}`]: [1, 20],

  'UserRecordsPerKinesisRecord': [5, 7], [`UserRecordsPerKinesisRecord|${o}`]: [4, 5], [`UserRecordsPerKinesisRecord|${o0}`]: [1, 2],
  [`UserRecordsPerKinesisRecord|${o1}`]: [3, 3], [`UserRecordsPerKinesisRecord|${c}`]: [1, 2], [`UserRecordsPerKinesisRecord|${c0}`]: [1, 2],

  'KinesisRecordsPerPutRecordsRequest': [4, 6], [`KinesisRecordsPerPutRecordsRequest|${o}`]: [3, 5],
  [`KinesisRecordsPerPutRecordsRequest|${c}`]: [1, 1],

  'UserRecordsPerPutRecordsRequest': [4, 8], [`UserRecordsPerPutRecordsRequest|${o}`]: [3, 6],
  [`UserRecordsPerPutRecordsRequest|${c}`]: [1, 2],
};

function granularityOfKey(key: string): MetricsGranularity {
  if (key.includes('ShardId=')) return 'shard';
  return key.includes('StreamName=') ? 'stream' : 'global';
}

function expectedFor(level: MetricsLevel, granularity: MetricsGranularity): Record<string, readonly [number, number]> {
  return Object.fromEntries(
    Object.entries(expected).filter(([key]) => {
      const metric = METRICS.find((candidate) => candidate.name === key.split('|')[0])!;
      return levelIncludes(level, metric.level) && granularityIncludes(granularity, granularityOfKey(key));
    }),
  );
}

function runAndExport(level: MetricsLevel, granularity: MetricsGranularity) {
  const clock = createFakeClock();
  const sink = memorySink();
  const metrics = createMetrics({ level, granularity, uploadDelayMs: 60_000, sink, logger: silentLogger, clock, pendingByStream: () => [] });
  scriptRun(metrics.recorder);
  clock.advance(60_000);
  expect(sink.exports).toHaveLength(1);
  return { metrics, batch: sink.exports[0]!, clock, sink };
}

describe('metric counts of a scripted run', () => {
  it('covers every KPL metric except UserRecordsPending (sampled separately)', () => {
    const names = new Set(Object.keys(expected).map((key) => key.split('|')[0]));
    expect([...names].sort()).toEqual(METRICS.map((metric) => metric.name).filter((name) => name !== 'UserRecordsPending').sort());
  });

  for (const level of ['summary', 'detailed'] as const) {
    for (const granularity of ['global', 'stream', 'shard'] as const) {
      it(`exports exactly the expected series at level ${level}, granularity ${granularity}`, () => {
        const { batch } = runAndExport(level, granularity);
        const actual = Object.fromEntries([...datumsByKey(batch.datums)].map(([key, datum]) => [key, [datum.sampleCount, datum.sum]]));
        expect(actual).toEqual(expectedFor(level, granularity));
      });

      it(`exports a leaf partition whose totals equal the global series at level ${level}, granularity ${granularity}`, () => {
        const { batch } = runAndExport(level, granularity);
        const exported = new Set(batch.datums.map((datum) => datum.name));
        for (const name of exported) {
          const [count, sum] = expected[name]!;
          expect(totalOf(batch.leafDatums, name), name).toEqual({ sampleCount: count, sum });
        }
        expect(new Set(batch.leafDatums.map((datum) => datum.name))).toEqual(exported);
        for (const datum of batch.leafDatums) {
          expect(granularityIncludes(granularity, granularityOfKey(datum.dimensions.map((d) => `${d.name}=`).join('|')))).toBe(true);
        }
      });
    }
  }

  it('puts a sample with no known shard in its stream\'s leaf series, carrying only such samples', () => {
    const { batch } = runAndExport('detailed', 'shard');
    const leaves = datumsByKey(batch.leafDatums);
    expect(leaves.get(`UserRecordsPut|${o}`)).toMatchObject({ sampleCount: 1, sum: 0 });
    expect(leaves.get(`BufferingTime|${o}`)).toMatchObject({ sampleCount: 1, sum: 10 });
    expect(leaves.get(`AllErrors|${o}`)).toMatchObject({ sampleCount: 1, sum: 1 });
    expect(leaves.get(`ErrorsByCode|ErrorCode=ServiceUnavailable|${o}`)).toMatchObject({ sampleCount: 1, sum: 1 });
    expect(leaves.has(`UserRecordsPut|${c}`)).toBe(false);
    expect(leaves.has('ErrorsByCode')).toBe(false);
  });

  it('orders dimensions as the KPL does: ErrorCode, StreamName, ShardId', () => {
    const { batch } = runAndExport('detailed', 'shard');
    const shardError = batch.datums.find((datum) => datum.name === 'ErrorsByCode' && datum.dimensions.length === 3)!;
    expect(shardError.dimensions).toEqual([
      { name: 'ErrorCode', value: 'ProvisionedThroughputExceededException' },
      { name: 'StreamName', value: 'orders' },
      { name: 'ShardId', value: S1 },
    ]);
  });

  it('keeps min and max per series', () => {
    const { batch } = runAndExport('detailed', 'shard');
    const datums = datumsByKey(batch.datums);
    expect(datums.get(`BufferingTime|${o1}`)).toMatchObject({ minimum: 20, maximum: 100 });
    expect(datums.get('BufferingTime')).toMatchObject({ minimum: 5, maximum: 100 });
    expect(datums.get(`RetriesPerRecord|${o1}`)).toMatchObject({ minimum: 0, maximum: 4 });
  });

  it('carries the individual samples of the histogram metrics, and none of the counts', () => {
    const { batch } = runAndExport('detailed', 'shard');
    const datums = datumsByKey(batch.datums);
    expect(datums.get(`BufferingTime|${o1}`)!.samples).toEqual([50, 100, 60, 70, 30, 20]);
    expect(datums.get('RequestTime')!.samples).toEqual([40, 12, 30, 20]);
    expect(datums.get(`UserRecordsPerKinesisRecord|${o0}`)!.samples).toEqual([2]);
    expect(datums.get('UserRecordsPut')!.samples).toBeUndefined();
  });

  it('shows every series in the local snapshot whatever the level and granularity', () => {
    for (const [level, granularity] of [['summary', 'global'], ['detailed', 'shard']] as const) {
      const clock = createFakeClock();
      const metrics = createMetrics({ level, granularity, uploadDelayMs: 60_000, logger: silentLogger, clock, pendingByStream: () => [] });
      scriptRun(metrics.recorder);
      const actual = Object.fromEntries(
        [...snapshotsByKey(metrics.getMetrics())].map(([key, snapshot]) => [key, [snapshot.sampleCount, snapshot.sum]]),
      );
      expect(actual).toEqual(expected);
    }
  });

  it('starts a new window after each export while snapshots stay cumulative', () => {
    const { metrics, clock, sink } = runAndExport('detailed', 'shard');
    metrics.recorder.userRecordReceived('orders');
    clock.advance(60_000);
    expect(sink.exports).toHaveLength(2);
    const second = datumsByKey(sink.exports[1]!.datums);
    expect([...second.keys()]).toEqual(['UserRecordsReceived', `UserRecordsReceived|${o}`]);
    expect(second.get('UserRecordsReceived')!.sampleCount).toBe(1);
    expect(snapshotsByKey(metrics.getMetrics('UserRecordsReceived')).get('UserRecordsReceived')!.sampleCount).toBe(9);
  });
});
