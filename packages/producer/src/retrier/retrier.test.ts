import { explicitHashKeyBinary } from '@tskpl/agg-codec';
import { describe, expect, it } from 'vitest';
import { testRecord, testStream } from '../__tests__/records.js';
import { createFakeClock } from '../clock/fake-clock.js';
import { createIncidentLog } from '../config/incident-log.js';
import { silentLogger } from '../config/logger.js';
import { noopRecorder } from '../metrics/recorder.js';
import { Settlement } from '../record/settlement.js';
import type { HashRange, KinesisRecordState, PutRecordsBatch, UserRecordState } from '../record/user-record.js';
import type { ShardMap, ShardRange } from '../shard-map/shard-map.js';
import { createRetrier } from './retrier.js';

const HALF = 1n << 127n;

function setup(ranges: Record<number, ShardRange>, refreshes = true) {
  const clock = createFakeClock();
  const invalidations: Array<[number, number]> = [];
  const listeners: Array<() => void> = [];
  const map: ShardMap & { state: ShardMap['state'] } = {
    state: 'READY', openShardCount: 2, updatedAt: 0, failures: 0, lastFailure: undefined, generation: 1,
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
  const stream = testStream({ shardMap: map });
  const incidents = createIncidentLog(clock, silentLogger);
  const settlement = new Settlement({
    clock, recorder: noopRecorder, incidents, maxOutstandingRecords: 1_000_000, maxOutstandingBytes: 1e12, maxAttemptHistory: 32,
    recordTtlMs: 30_000, recordMaxBufferedTimeMs: 100, onBusyChanged() {},
  });
  const succeeded: Array<[string, number]> = [];
  const succeed = settlement.succeed.bind(settlement);
  settlement.succeed = (record, delivery, sub) => {
    succeeded.push([delivery.shardId, sub]);
    succeed(record, delivery, sub);
  };
  const sent: PutRecordsBatch[] = [];
  const retrier = createRetrier({
    clock, logger: silentLogger, recorder: noopRecorder, failIfThrottled: false, retryBufferedTimeMs: 50,
    settlement, sender: { send: (batch) => sent.push(batch) }, incidents,
  });
  const member = (explicitHashKey: bigint): UserRecordState => testRecord({ explicitHashKey: explicitHashKey.toString(), owner: stream });
  const aggregate = (members: UserRecordState[]): KinesisRecordState => ({
    owner: stream, records: members, predictedShard: 0, mapGeneration: 0, partitionKey: 'a', explicitHashKey: members[0]!.explicitHashKey!, data: new Uint8Array(10), dataLength: 10, deadline: 1_000_100, expiresAt: 1_030_000,
  });
  const batch = (records: KinesisRecordState[]): PutRecordsBatch => ({ owner: stream, records, bytes: 10 });
  /** Records the retrier put back to wait out a backoff (they re-enter their stream once it elapses). */
  const retried = (): number => retrier.waiting;
  const timing = { startedAt: 500, endedAt: 510, startedAtWall: 500, endedAtWall: 510 };
  const becomeReady = (known: Record<number, ShardRange>): void => {
    Object.assign(ranges, known);
    map.state = 'READY';
    for (const listener of [...listeners]) listener();
  };
  return { retrier, invalidations, succeeded, retried, timing, clock, becomeReady, member, aggregate, batch, stream };
}

const range = (start: bigint, end: bigint): HashRange => ({ start: explicitHashKeyBinary(start.toString()), end: explicitHashKeyBinary(end.toString()) });

describe('wrong-shard handling', () => {
  it('re-sends an aggregate stored where predicted when the map now gives that shard a narrower range (a recreated stream)', () => {
    const { retrier, invalidations, succeeded, retried, timing, member, aggregate, batch } = setup({ 0: range(0n, HALF / 2n - 1n) });
    const members = [member(1n), member(HALF / 2n + 1n)];
    retrier.onResponse(batch([aggregate(members)]), { records: [{ shardId: 'shardId-000000000000', sequenceNumber: '9' }] }, timing);
    expect(succeeded).toHaveLength(0);
    expect(retried()).toBe(members.length);
    expect(members.every((record) => !record.settled)).toBe(true);
    expect(invalidations).toEqual([[500, 0]]);
  });

  it('judges aggregates stored where predicted on the refreshed map when another entry of the response shows the map is stale', () => {
    const { retrier, succeeded, retried, timing, becomeReady, member, aggregate, batch } = setup({ 0: range(0n, HALF - 1n) });
    const stale = [member(1n), member(HALF / 2n + 1n)];
    const elsewhere = [member(HALF + 1n), member(HALF + 2n)];
    retrier.onResponse(
      batch([aggregate(stale), { ...aggregate(elsewhere), predictedShard: 1 }]),
      { records: [{ shardId: 'shardId-000000000000', sequenceNumber: '9' }, { shardId: 'shardId-000000000003', sequenceNumber: '10' }] },
      timing,
    );
    expect(succeeded).toHaveLength(0);
    // The stream was recreated with four shards: shard 0 now holds only the first quarter.
    becomeReady({ 0: range(0n, HALF / 2n - 1n), 3: range(HALF + HALF / 2n, 2n * HALF - 1n) });
    expect(retried()).toBe(stale.length + elsewhere.length);
  });

  it('accepts an aggregate stored on a known child shard that owns all its members, and refreshes the map', () => {
    const { retrier, invalidations, succeeded, retried, timing, becomeReady, member, aggregate, batch } = setup({ 2: range(0n, HALF - 1n) });
    const members = [member(1n), member(2n), member(3n)];
    retrier.onResponse(batch([aggregate(members)]), { records: [{ shardId: 'shardId-000000000002', sequenceNumber: '9' }] }, timing);
    // A wrong shard refreshes the map first; the aggregate is judged on the refreshed map.
    expect(succeeded).toHaveLength(0);
    becomeReady({});
    expect(succeeded).toEqual([['shardId-000000000002', 0], ['shardId-000000000002', 1], ['shardId-000000000002', 2]]);
    expect(retried()).toBe(0);
    expect(invalidations).toEqual([[500, 0]]);
  });

  it('re-sends every member of an aggregate stored on a known shard that does not own all of them', () => {
    const { retrier, invalidations, succeeded, retried, timing, becomeReady, member, aggregate, batch } = setup({ 2: range(0n, HALF - 1n) });
    const members = [member(1n), member(HALF + 5n)];
    retrier.onResponse(batch([aggregate(members)]), { records: [{ shardId: 'shardId-000000000002', sequenceNumber: '9' }] }, timing);
    becomeReady({});
    expect(succeeded).toHaveLength(0);
    expect(retried()).toBe(members.length);
    expect(members.every((record) => !record.settled)).toBe(true);
    expect(members.every((record) => record.attempts![0]!.errorCode === 'Wrong Shard' && record.predictedShard === -1)).toBe(true);
    expect(invalidations).toEqual([[500, 0]]);
  });

  it('re-sends every member when the storing shard is unknown and the map refuses to refresh (storm guard)', () => {
    const { retrier, succeeded, retried, timing, member, aggregate, batch } = setup({}, false);
    const members = [member(1n), member(2n)];
    retrier.onResponse(batch([aggregate(members)]), { records: [{ shardId: 'shardId-000000000007', sequenceNumber: '9' }] }, timing);
    expect(succeeded).toHaveLength(0);
    expect(retried()).toBe(2);
  });

  it('judges an aggregate stored on a shard the map does not know yet once the refreshed map is ready (no needless re-send)', () => {
    const { retrier, succeeded, retried, timing, becomeReady, member, aggregate, batch } = setup({});
    const members = [member(1n), member(2n)];
    retrier.onResponse(batch([aggregate(members)]), { records: [{ shardId: 'shardId-000000000004', sequenceNumber: '9' }] }, timing);
    expect(succeeded).toHaveLength(0);
    expect(retried()).toBe(0);
    becomeReady({ 4: range(0n, HALF - 1n) });
    expect(succeeded).toEqual([['shardId-000000000004', 0], ['shardId-000000000004', 1]]);
    expect(retried()).toBe(0);
  });

  it('re-sends a deferred aggregate when the refreshed map shows a member outside the shard, or at its expiry', () => {
    const outside = setup({});
    const members = [outside.member(1n), outside.member(HALF + 1n)];
    outside.retrier.onResponse(outside.batch([outside.aggregate(members)]), { records: [{ shardId: 'shardId-000000000004', sequenceNumber: '9' }] }, outside.timing);
    outside.becomeReady({ 4: range(0n, HALF - 1n) });
    expect(outside.retried()).toBe(members.length);

    const never = setup({});
    never.retrier.onResponse(never.batch([never.aggregate([never.member(1n), never.member(2n)])]), { records: [{ shardId: 'shardId-000000000004', sequenceNumber: '9' }] }, never.timing);
    never.clock.advance(30_000);
    expect(never.retried()).toBe(2);
    expect(never.succeeded).toHaveLength(0);
  });

  it('accepts a single record on an unexpected shard (consumers see it where it is) and refreshes the map', () => {
    const { retrier, succeeded, invalidations, timing, member, aggregate, batch } = setup({});
    const lone = member(1n);
    retrier.onResponse(batch([{ ...aggregate([lone]), partitionKey: 'k' }]), { records: [{ shardId: 'shardId-000000000003', sequenceNumber: '1' }] }, timing);
    expect(succeeded).toEqual([['shardId-000000000003', 0]]);
    expect(invalidations).toHaveLength(1);
  });

  it('checks nothing for records without a prediction', () => {
    const { retrier, succeeded, invalidations, timing, member, aggregate, batch } = setup({});
    const lone = member(5n);
    retrier.onResponse(batch([{ ...aggregate([lone]), predictedShard: -1 }]), { records: [{ shardId: 'shardId-000000000003', sequenceNumber: '1' }] }, timing);
    expect(succeeded).toHaveLength(1);
    expect(invalidations).toHaveLength(0);
  });
});
