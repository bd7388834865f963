import { explicitHashKeyBinary } from '@tskpl/agg-codec';
import { describe, expect, it } from 'vitest';
import { createFakeClock } from '../clock/fake-clock.js';
import { silentLogger } from '../config/logger.js';
import { noopRecorder } from '../metrics/recorder.js';
import type { KinesisRecordState, UserRecordState } from '../pipeline/types.js';
import type { ShardMap, ShardRange } from '../shard-map/shard-map.js';
import { createRetrier } from './retrier.js';

const HALF = 1n << 127n;

function member(explicitHashKey: bigint): UserRecordState {
  const key = explicitHashKey.toString();
  return {
    stream: 's', partitionKey: 'k', explicitHashKey: key, routingKey: explicitHashKeyBinary(key), data: new Uint8Array(1), partitionKeyBytes: 1,
    arrivedAt: 0, deadline: 1_000_100, expiresAt: 1_030_000, predictedShard: 0, attempts: undefined, attemptCount: 0, lastAttemptEndedAt: 0,
    throttledCount: 0, epoch: { unfinished: 1 }, owner: { outstanding: 1 }, streamName: 's',
    settled: false, successful: false, shardId: undefined, sequenceNumber: undefined, subSequenceNumber: 0, successTiming: undefined, successDelayMs: 0, notify: undefined,
  };
}

function aggregate(members: UserRecordState[]): KinesisRecordState {
  return { stream: 's', records: members, predictedShard: 0, partitionKey: 'a', explicitHashKey: members[0]!.explicitHashKey!, data: new Uint8Array(10), deadline: 1_000_100, expiresAt: 1_030_000 };
}

function setup(ranges: Record<number, ShardRange>, refreshes = true) {
  const clock = createFakeClock();
  const invalidations: Array<[number, number]> = [];
  const listeners: Array<() => void> = [];
  const map: ShardMap & { state: ShardMap['state'] } = {
    state: 'READY', openShardCount: 2, updatedAt: 0, failures: 0, lastFailure: undefined,
    predict: () => 0,
    refresh() {},
    forget() {},
    rangeOf: (shard) => ranges[shard],
    invalidate: (seenAt, predicted) => {
      invalidations.push([seenAt, predicted]);
      if (refreshes) map.state = 'UPDATING';
    },
    onReady: (listener) => {
      listeners.push(listener);
      return () => listeners.splice(listeners.indexOf(listener), 1);
    },
    close() {},
  };
  const succeeded: Array<[string, number]> = [];
  const retried: UserRecordState[] = [];
  const failed: string[] = [];
  const retrier = createRetrier({
    clock, logger: silentLogger, recorder: noopRecorder, failIfThrottled: false,
    shardMapOf: () => map,
    onThrottled() {},
    addAttempt: (record, _timing, successful, errorCode) => {
      record.attemptCount++;
      (record.attempts ??= []).push({ startedAt: 0, endedAt: 0, delayMs: 0, durationMs: 0, successful, errorCode });
    },
    succeed: (_record, _timing, shardId, _sequence, sub) => succeeded.push([shardId, sub]),
    fail: (_record, code) => failed.push(code),
    expire: () => failed.push('Expired'),
    retry: (record) => retried.push(record),
    resend() {},
    splitAggregate: (record) => [record],
    noteIncident() {},
  });
  const timing = { startedAt: 500, endedAt: 510, startedAtWall: 500, endedAtWall: 510 };
  const becomeReady = (known: Record<number, ShardRange>): void => {
    Object.assign(ranges, known);
    map.state = 'READY';
    for (const listener of [...listeners]) listener();
  };
  return { retrier, invalidations, succeeded, retried, failed, timing, clock, becomeReady };
}

const range = (start: bigint, end: bigint): ShardRange => ({ start: explicitHashKeyBinary(start.toString()), end: explicitHashKeyBinary(end.toString()) });

describe('wrong-shard handling', () => {
  it('re-sends an aggregate stored where predicted when the map now gives that shard a narrower range (a recreated stream)', () => {
    const { retrier, invalidations, succeeded, retried, timing } = setup({ 0: range(0n, HALF / 2n - 1n) });
    const members = [member(1n), member(HALF / 2n + 1n)];
    retrier.onResponse({ stream: 's', records: [aggregate(members)], bytes: 10 }, { records: [{ shardId: 'shardId-000000000000', sequenceNumber: '9' }] }, timing);
    expect(succeeded).toHaveLength(0);
    expect(retried).toEqual(members);
    expect(invalidations).toEqual([[500, 0]]);
  });

  it('judges aggregates stored where predicted on the refreshed map when another entry of the response shows the map is stale', () => {
    const { retrier, succeeded, retried, timing, becomeReady } = setup({ 0: range(0n, HALF - 1n) });
    const stale = [member(1n), member(HALF / 2n + 1n)];
    const elsewhere = [member(HALF + 1n), member(HALF + 2n)];
    retrier.onResponse(
      { stream: 's', records: [aggregate(stale), { ...aggregate(elsewhere), predictedShard: 1 }], bytes: 20 },
      { records: [{ shardId: 'shardId-000000000000', sequenceNumber: '9' }, { shardId: 'shardId-000000000003', sequenceNumber: '10' }] },
      timing,
    );
    expect(succeeded).toHaveLength(0);
    // The stream was recreated with four shards: shard 0 now holds only the first quarter.
    becomeReady({ 0: range(0n, HALF / 2n - 1n), 3: range(HALF + HALF / 2n, 2n * HALF - 1n) });
    expect(retried).toEqual([...stale, ...elsewhere]);
  });

  it('accepts an aggregate stored on a known child shard that owns all its members, and refreshes the map', () => {
    const { retrier, invalidations, succeeded, retried, timing, becomeReady } = setup({ 2: range(0n, HALF - 1n) });
    const members = [member(1n), member(2n), member(3n)];
    retrier.onResponse({ stream: 's', records: [aggregate(members)], bytes: 10 }, { records: [{ shardId: 'shardId-000000000002', sequenceNumber: '9' }] }, timing);
    // A wrong shard refreshes the map first; the aggregate is judged on the refreshed map.
    expect(succeeded).toHaveLength(0);
    becomeReady({});
    expect(succeeded).toEqual([['shardId-000000000002', 0], ['shardId-000000000002', 1], ['shardId-000000000002', 2]]);
    expect(retried).toHaveLength(0);
    expect(invalidations).toEqual([[500, 0]]);
  });

  it('re-sends every member of an aggregate stored on a known shard that does not own all of them', () => {
    const { retrier, invalidations, succeeded, retried, timing, becomeReady } = setup({ 2: range(0n, HALF - 1n) });
    const members = [member(1n), member(HALF + 5n)];
    retrier.onResponse({ stream: 's', records: [aggregate(members)], bytes: 10 }, { records: [{ shardId: 'shardId-000000000002', sequenceNumber: '9' }] }, timing);
    becomeReady({});
    expect(succeeded).toHaveLength(0);
    expect(retried).toEqual(members);
    expect(members.every((record) => record.attempts![0]!.errorCode === 'Wrong Shard' && record.predictedShard === -1)).toBe(true);
    expect(invalidations).toEqual([[500, 0]]);
  });

  it('re-sends every member when the storing shard is unknown and the map refuses to refresh (storm guard)', () => {
    const { retrier, succeeded, retried, timing } = setup({}, false);
    const members = [member(1n), member(2n)];
    retrier.onResponse({ stream: 's', records: [aggregate(members)], bytes: 10 }, { records: [{ shardId: 'shardId-000000000007', sequenceNumber: '9' }] }, timing);
    expect(succeeded).toHaveLength(0);
    expect(retried).toHaveLength(2);
  });

  it('judges an aggregate stored on a shard the map does not know yet once the refreshed map is ready (no needless re-send)', () => {
    const { retrier, succeeded, retried, timing, becomeReady } = setup({});
    const members = [member(1n), member(2n)];
    retrier.onResponse({ stream: 's', records: [aggregate(members)], bytes: 10 }, { records: [{ shardId: 'shardId-000000000004', sequenceNumber: '9' }] }, timing);
    expect(succeeded).toHaveLength(0);
    expect(retried).toHaveLength(0);
    becomeReady({ 4: range(0n, HALF - 1n) });
    expect(succeeded).toEqual([['shardId-000000000004', 0], ['shardId-000000000004', 1]]);
    expect(retried).toHaveLength(0);
  });

  it('re-sends a deferred aggregate when the refreshed map shows a member outside the shard, or at its expiry', () => {
    const outside = setup({});
    const members = [member(1n), member(HALF + 1n)];
    outside.retrier.onResponse({ stream: 's', records: [aggregate(members)], bytes: 10 }, { records: [{ shardId: 'shardId-000000000004', sequenceNumber: '9' }] }, outside.timing);
    outside.becomeReady({ 4: range(0n, HALF - 1n) });
    expect(outside.retried).toEqual(members);

    const never = setup({});
    never.retrier.onResponse({ stream: 's', records: [aggregate([member(1n), member(2n)])], bytes: 10 }, { records: [{ shardId: 'shardId-000000000004', sequenceNumber: '9' }] }, never.timing);
    never.clock.advance(30_001);
    expect(never.retried).toHaveLength(2);
    expect(never.succeeded).toHaveLength(0);
  });

  it('accepts a single record on an unexpected shard (consumers see it where it is) and refreshes the map', () => {
    const { retrier, succeeded, invalidations, timing } = setup({});
    const lone = member(1n);
    retrier.onResponse({ stream: 's', records: [{ ...aggregate([lone]), partitionKey: 'k' }] , bytes: 2 }, { records: [{ shardId: 'shardId-000000000003', sequenceNumber: '1' }] }, timing);
    expect(succeeded).toEqual([['shardId-000000000003', 0]]);
    expect(invalidations).toHaveLength(1);
  });

  it('checks nothing for records without a prediction', () => {
    const { retrier, succeeded, invalidations, timing } = setup({});
    const lone = member(5n);
    retrier.onResponse({ stream: 's', records: [{ ...aggregate([lone]), predictedShard: -1 }], bytes: 2 }, { records: [{ shardId: 'shardId-000000000003', sequenceNumber: '1' }] }, timing);
    expect(succeeded).toHaveLength(1);
    expect(invalidations).toHaveLength(0);
  });
});
