import { invalidArgument, KinesisServiceError, resourceNotFound } from '../errors.js';
import { parseSequenceNumber } from '../model/sequence-number.js';
import type { Shard } from '../model/shard.js';
import type { Stream } from '../model/stream.js';
import { optionalInteger, optionalString, optionalTimestampMs, requiredString } from '../protocol/input.js';
import type { OperationContext, OperationHandler } from './context.js';

/** Shard iterators expire after 5 minutes, as the service's do. */
export const SHARD_ITERATOR_TTL_MS = 300_000;
/** Most bytes one GetRecords answer carries. */
const MAX_GET_RECORDS_BYTES = 10 * 1024 * 1024;

interface IteratorState {
  streamId: number;
  shardNumber: number;
  /** The next record to read is the first with a counter ≥ this. */
  fromCounter: number;
  issuedAtMs: number;
}

function encodeIterator(state: IteratorState): string {
  return Buffer.from(`${state.streamId}/${state.shardNumber}/${state.fromCounter}/${state.issuedAtMs}`).toString('base64');
}

/** Decodes a shard iterator; undefined when it is not one of ours. */
export function decodeIterator(text: string): IteratorState | undefined {
  const parts = Buffer.from(text, 'base64').toString('latin1').split('/');
  if (parts.length !== 4 || !parts.every((part) => /^\d+$/.test(part))) return undefined;
  const [streamId, shardNumber, fromCounter, issuedAtMs] = parts.map(Number) as [number, number, number, number];
  return { streamId, shardNumber, fromCounter, issuedAtMs };
}

function sequenceCounter(stream: Stream, shard: Shard, sequenceNumber: string | undefined, type: string): number {
  if (sequenceNumber === undefined) throw invalidArgument(`StartingSequenceNumber is required for ShardIteratorType ${type}.`);
  const parts = parseSequenceNumber(sequenceNumber);
  if (parts === undefined || parts.streamId !== stream.id || parts.shardNumber !== shard.shardNumber) {
    throw invalidArgument(`Invalid StartingSequenceNumber. It encodes a shard other than ${shard.shardId} in stream ${stream.name}, or is not a sequence number: ${sequenceNumber}.`);
  }
  return parts.counter;
}

/** GetShardIterator: TRIM_HORIZON, LATEST, AT_SEQUENCE_NUMBER, AFTER_SEQUENCE_NUMBER, AT_TIMESTAMP. */
export const getShardIterator: OperationHandler = (input, context) => {
  const stream = context.registry.resolve(input.StreamName, input.StreamARN);
  const shardId = requiredString(input, 'ShardId', 1, 128);
  const shard = stream.shardById(shardId);
  if (shard === undefined) throw resourceNotFound(`Shard ${shardId} in stream ${stream.name} under account ${context.config.accountId} does not exist.`);
  const type = requiredString(input, 'ShardIteratorType');
  const startingSequenceNumber = optionalString(input, 'StartingSequenceNumber');
  let fromCounter: number;
  switch (type) {
    case 'TRIM_HORIZON':
      fromCounter = 0;
      break;
    case 'LATEST':
      fromCounter = shard.endingCounter === undefined ? stream.nextCounter : shard.endingCounter + 1;
      break;
    case 'AT_SEQUENCE_NUMBER':
      fromCounter = sequenceCounter(stream, shard, startingSequenceNumber, type);
      break;
    case 'AFTER_SEQUENCE_NUMBER':
      fromCounter = sequenceCounter(stream, shard, startingSequenceNumber, type) + 1;
      break;
    case 'AT_TIMESTAMP': {
      const timestampMs = optionalTimestampMs(input, 'Timestamp');
      if (timestampMs === undefined) throw invalidArgument('Timestamp is required for ShardIteratorType AT_TIMESTAMP.');
      const first = shard.records.find((record) => record.arrivalTimeMs >= timestampMs);
      fromCounter = first?.counter ?? stream.nextCounter;
      break;
    }
    default:
      throw new KinesisServiceError('ValidationException', `ShardIteratorType must be one of AT_SEQUENCE_NUMBER, AFTER_SEQUENCE_NUMBER, TRIM_HORIZON, LATEST, AT_TIMESTAMP, received ${JSON.stringify(type)}.`);
  }
  return { ShardIterator: encodeIterator({ streamId: stream.id, shardNumber: shard.shardNumber, fromCounter, issuedAtMs: context.config.clock.now() }) };
};

function childShards(stream: Stream, shard: Shard): Array<Record<string, unknown>> {
  return stream.shards
    .filter((child) => child.parentShardId === shard.shardId || child.adjacentParentShardId === shard.shardId)
    .map((child) => ({
      ShardId: child.shardId,
      ParentShards: [child.parentShardId, child.adjacentParentShardId].filter((id) => id !== undefined),
      HashKeyRange: { StartingHashKey: child.startingHashKey.toString(), EndingHashKey: child.endingHashKey.toString() },
    }));
}

/** Resolves a shard iterator to its stream and shard (the stream must still exist). */
export function resolveIterator(text: string, context: OperationContext): { stream: Stream; shard: Shard; state: IteratorState } {
  const state = decodeIterator(text);
  if (state === undefined) throw invalidArgument('ShardIterator is not valid.');
  if (context.config.clock.now() - state.issuedAtMs > SHARD_ITERATOR_TTL_MS) {
    throw new KinesisServiceError('ExpiredIteratorException', `Iterator expired. The iterator was created more than ${SHARD_ITERATOR_TTL_MS / 60000} minutes ago.`);
  }
  const stream = context.registry.byStreamId(state.streamId);
  const shard = stream?.shards[state.shardNumber];
  if (stream === undefined || stream.deleted || shard === undefined) throw resourceNotFound('The stream or shard of this ShardIterator no longer exists.');
  return { stream, shard, state };
}

/**
 * GetRecords: Limit (default 10000), at most 10 MiB; NextShardIterator is absent once a closed shard
 * is read to its end (ChildShards are given then). Read throughput limits are not enforced.
 */
export const getRecords: OperationHandler = (input, context) => {
  const { stream, shard, state } = resolveIterator(requiredString(input, 'ShardIterator', 1, 512), context);
  const limit = optionalInteger(input, 'Limit', 1, 10000) ?? 10000;
  const nowMs = context.config.clock.now();
  const records: Array<Record<string, unknown>> = [];
  let index = shard.indexAtOrAfter(state.fromCounter);
  let bytes = 0;
  let nextCounter = state.fromCounter;
  while (index < shard.records.length && records.length < limit) {
    const record = shard.records[index]!;
    if (record.dataBase64 === undefined) {
      throw invalidArgument('GetRecords is not available: the fake runs with retainRecordData: false, so record data was not kept.');
    }
    if (records.length > 0 && bytes + record.dataSize > MAX_GET_RECORDS_BYTES) break;
    bytes += record.dataSize;
    records.push({
      SequenceNumber: record.sequenceNumber,
      ApproximateArrivalTimestamp: record.arrivalTimeMs / 1000,
      Data: record.dataBase64.toString('latin1'),
      PartitionKey: record.partitionKey,
      EncryptionType: 'NONE',
    });
    nextCounter = record.counter + 1;
    index++;
  }
  const caughtUp = index >= shard.records.length;
  const output: Record<string, unknown> = {
    Records: records,
    MillisBehindLatest: caughtUp ? 0 : Math.max(0, nowMs - shard.records[index]!.arrivalTimeMs),
  };
  if (!shard.isOpen && caughtUp) {
    output.ChildShards = childShards(stream, shard);
  } else {
    output.NextShardIterator = encodeIterator({ streamId: stream.id, shardNumber: shard.shardNumber, fromCounter: nextCounter, issuedAtMs: nowMs });
  }
  return output;
};
