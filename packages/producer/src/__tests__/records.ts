/** Test doubles of the record model: a stream context and user records built by the one factory. */
import { createUserRecord } from '../record/pipeline-record.js';
import type { StreamContext, UserRecordState } from '../record/user-record.js';

/** A stream context that records what the stages ask of it. */
export function testStream(overrides: Partial<StreamContext> = {}): StreamContext & { throttles: Array<[number, number]>; accepted: UserRecordState[] } {
  const throttles: Array<[number, number]> = [];
  const accepted: UserRecordState[] = [];
  return {
    stream: 's',
    streamName: 's',
    ref: { streamName: 's' },
    outstanding: 0,
    lastUsedAt: 0,
    shardMap: undefined,
    throttled: (shardNumber, seenAt) => throttles.push([shardNumber, seenAt]),
    accept: (record) => accepted.push(record),
    throttles,
    accepted,
    ...overrides,
  };
}

/** An admitted user record (times set as on admission at clock 1 000 000). */
export function testRecord(options: { partitionKey?: string; explicitHashKey?: string; data?: Uint8Array; deadline?: number; expiresAt?: number; predictedShard?: number; owner?: StreamContext } = {}): UserRecordState {
  const partitionKey = options.partitionKey ?? 'k';
  const record = createUserRecord('s', 's', partitionKey, options.explicitHashKey, options.data ?? new Uint8Array(1), Buffer.byteLength(partitionKey));
  record.deadline = options.deadline ?? 1_000_100;
  record.expiresAt = options.expiresAt ?? 1_030_000;
  record.predictedShard = options.predictedShard ?? 0;
  record.epoch = { unfinished: 1 };
  record.owner = options.owner ?? testStream();
  record.owner.outstanding++;
  return record;
}
