/**
 * The record model: the user record as it travels through the pipeline, the Kinesis record
 * (one user record sent raw, or an aggregate) and the PutRecords batch, the public result
 * shapes. The one factory that builds a user record is in ./pipeline-record.ts; the record's
 * transitions (an attempt recorded, succeeded, failed, expired) are in ./attempts.ts and
 * ./settlement.ts; no other module writes a record's outcome fields.
 */
import { binaryHashKeyToDecimal, explicitHashKeyBinary, partitionKeyHashBinary } from '@tskpl/agg-codec';
import type { StreamRef } from '../transport/transport.js';

/** One try to deliver a record: a PutRecords call, or a synthetic failure such as expiry. */
export interface Attempt {
  /** When the attempt started (the request was sent), epoch milliseconds. */
  readonly startedAt: number;
  /** When the attempt ended, epoch milliseconds. */
  readonly endedAt: number;
  /** Time since the record arrived (first attempt) or since the previous attempt ended, ms. */
  readonly delayMs: number;
  /** Duration of the request that carried the record, ms (0 for synthetic failures). */
  readonly durationMs: number;
  /** Whether this attempt stored the record. */
  readonly successful: boolean;
  /** The AWS error code, or one of the producer's own `RecordErrorCodes` (`Expired`, `Wrong Shard`, `Record Count Mismatch`). */
  readonly errorCode?: string;
  /** The error's message, when the attempt failed. */
  readonly errorMessage?: string;
}

/** The final outcome of one record. */
export interface RecordResult {
  /** Whether the record was stored; false when it failed (its last error in `errorCode`). */
  readonly successful: boolean;
  /** Stream name (or ARN) the record was put to. */
  readonly streamName: string;
  /** Shard that stored the record, or the shard it was predicted to when it failed (when known). */
  readonly shardId?: string;
  /** Sequence number of the Kinesis record holding this record (when successful). */
  readonly sequenceNumber?: string;
  /** Index of this record inside its aggregate; 0 when it was sent alone (when successful). */
  readonly subSequenceNumber?: number;
  /** Attempts, capped at `maxAttemptHistory` (the first and last halves kept). */
  readonly attempts: readonly Attempt[];
  /** Attempts not kept in `attempts` because of the cap. */
  readonly attemptsDropped: number;
  /** The last attempt's error code when the record failed. */
  readonly errorCode?: string;
  /** The last attempt's error message when the record failed. */
  readonly errorMessage?: string;
}

/** Times of one PutRecords request: monotonic (for durations) and wall-clock (for attempts shown to users). */
export interface RequestTiming {
  readonly startedAt: number;
  readonly endedAt: number;
  readonly startedAtWall: number;
  readonly endedAtWall: number;
}

/** Where a Kinesis record was stored, and the request that stored it: shared by its members. */
export interface Delivery {
  readonly shardId: string;
  readonly sequenceNumber: string;
  readonly timing: RequestTiming;
}

/** A shard's hash-key range, both ends inclusive, as 16-character binary keys (compare with `<`). */
export interface HashRange {
  readonly start: string;
  readonly end: string;
}

/** The part of a stream's shard map that judges where records were stored (implemented by shard-map/shard-map.ts). */
export interface ShardMapHandle {
  readonly state: 'INVALID' | 'UPDATING' | 'READY';
  /** Changes whenever the map's ranges may have (each completed update, and `forget`). */
  readonly generation: number;
  /** Range of an open or recently closed shard; undefined when unknown. */
  rangeOf(shardNumber: number): HashRange | undefined;
  /** A result showed the map is stale (storm-guarded). */
  invalidate(seenAt: number, predictedShard: number): void;
  /** Calls `listener` on every transition to READY; returns the unsubscribe function. */
  onReady(listener: () => void): () => void;
  /** The stream was reported missing: drop what is known and fetch anew. */
  forget(): void;
}

/**
 * Ordered delivery (`ordering: 'shard'`): the lane of one predicted shard that has a record in
 * flight (implemented by sequencer/sequencer.ts). The settlement and the retrier tell it what
 * became of each member of its one unresolved Kinesis record, so that nothing later for the shard
 * leaves before that record has its final answer (docs/architecture.md, "Ordered delivery").
 */
export interface OrderedLane {
  /** The record has its final outcome (the settlement calls this once, after clearing `record.lane`). */
  settled(record: UserRecordState): void;
  /**
   * The record is to be sent again, not before `dueAt`: it goes back to the head of its lane.
   * `uncertain` when the attempt's fate is unknown (a request that failed as a whole with a
   * transient error may have been stored): the re-send then carries only the records of that attempt.
   */
  retry(record: UserRecordState, dueAt: number, uncertain: boolean): void;
  /** The service rejected the Kinesis record holding `members` for its content: find the offending member by sending halves, one after the other. */
  bisect(members: readonly UserRecordState[]): void;
}

/**
 * The stream a record belongs to, as every stage sees it: implemented by its pipeline
 * (pipeline/stream-pipeline.ts). Records and batches carry it, so no stage looks a stream up by name.
 */
export interface StreamContext {
  /** The stream key: the ARN when one was given, else the name. */
  readonly stream: string;
  /** The stream's name, for results and metrics. */
  readonly streamName: string;
  /** How Kinesis is told which stream. */
  readonly ref: StreamRef;
  /** Records of this stream admitted but not settled (kept by the settlement). */
  outstanding: number;
  /** Clock time of the last record admitted, for idle release. */
  lastUsedAt: number;
  /** The shard map, when records are predicted. */
  readonly shardMap: ShardMapHandle | undefined;
  /** An entry for `shardNumber` was throttled by a request that started at `seenAt`: lower the shard's rate. */
  throttled(shardNumber: number, seenAt: number, bytes: number): void;
  /** Routes a new or retried record. */
  accept(record: UserRecordState): void;
}

/** A user record inside the pipeline. One object per record, mutated in place. */
export interface UserRecordState {
  /** The stream key: the ARN when one was given, else the name. */
  readonly stream: string;
  /** The stream's name, as shown in results and metrics. */
  readonly streamName: string;
  readonly partitionKey: string;
  readonly explicitHashKey: string | undefined;
  /**
   * The array holding the user's bytes at `dataOffset` (`dataLength` of them): a slab shared by
   * many small records (producer/byte-slab.ts), so that a record costs no view object of its own
   * while it waits. Released (emptied) once the record is settled so results do not pin payloads.
   */
  data: Uint8Array;
  /** Where the record's bytes start in `data`. */
  dataOffset: number;
  /** How many bytes the record has. */
  dataLength: number;
  /** UTF-8 bytes of the partition key. */
  readonly partitionKeyBytes: number;
  /** Clock time by which the record should be sent; clamped to `expiresAt`. */
  deadline: number;
  /** Clock time after which the record fails with `Expired`. */
  expiresAt: number;
  /** Shard number predicted for it, or -1. */
  predictedShard: number;
  /** The shard map's generation when the prediction was made (see {@link ShardMapHandle.generation}). */
  mapGeneration: number;
  /** Failed attempts so far (capped); a final success is kept in `delivery` and built on demand. */
  attempts: Attempt[] | undefined;
  attemptCount: number;
  /** Clock time the previous failed attempt ended, or the record was admitted (a success does not move it: see attempts.ts `successDelayOf`). */
  lastAttemptEndedAt: number;
  /** Consecutive throttled attempts, for backoff. */
  throttledCount: number;
  /** Flush epoch the record belongs to (for `flush()`). */
  epoch: { unfinished: number };
  /** The stream (its pipeline) the record was admitted to. */
  owner: StreamContext;
  /** True once the record has its final outcome. */
  settled: boolean;
  /**
   * Where and by which request the record was stored; undefined until it is (so also for a
   * failed record). Shared by every member of the Kinesis record: one object per aggregate.
   */
  delivery: Delivery | undefined;
  /** Whether the record was stored: `delivery` is set (derived, not stored). */
  readonly successful: boolean;
  /** Index of the record inside the Kinesis record that stored it (0 when sent alone). */
  subSequenceNumber: number;
  /** The delay before the successful attempt (0 before a success), derived rather than stored: attempts.ts `successDelayOf`. */
  readonly successDelayMs: number;
  /** The final result, built once when first asked for. */
  cachedResult: RecordResult | undefined;
  /** The promise `Outcome.wait()` returned, if it was called before the record settled. */
  waiting: Promise<RecordResult> | undefined;
  /** Resolves `waiting`: called once, with the result, when the record settles. */
  notify: ((result: RecordResult) => void) | undefined;
  /** Ordered delivery: the lane whose unresolved Kinesis record holds this record; undefined otherwise (always, with `ordering: 'none'`). */
  lane: OrderedLane | undefined;
}

/** A Kinesis record: one user record sent raw, or an aggregate of several. */
export interface KinesisRecordState {
  readonly owner: StreamContext;
  readonly records: UserRecordState[];
  /** Predicted shard of every member, or -1 for unpredicted records. */
  readonly predictedShard: number;
  /** The oldest shard-map generation any member was predicted with. */
  readonly mapGeneration: number;
  readonly partitionKey: string;
  readonly explicitHashKey: string;
  /**
   * The bytes sent: the aggregate, or the one member's bytes. Emptied once the transport has
   * written its request body (`PutRecordsOptions.onBodyWritten` in transport/transport.ts): a re-send re-aggregates
   * the members, so nothing reads them after that.
   */
  data: Uint8Array;
  /** `data`'s length, kept when `data` is released. */
  readonly dataLength: number;
  /** Min of the members' deadlines. */
  deadline: number;
  /** Min of the members' expirations. */
  readonly expiresAt: number;
}

/** A PutRecords request in the making (collector/collector.ts packs them). */
export interface PutRecordsBatch {
  readonly owner: StreamContext;
  readonly records: KinesisRecordState[];
  /** Σ partition key UTF-8 bytes + data bytes, as the service counts a request. */
  readonly bytes: number;
}

/** Bytes a user record counts (towards the stream's record size, `maxOutstandingBytes` and a request): data + partition key UTF-8. */
export function userRecordBytesOf(record: UserRecordState): number {
  return record.dataLength + record.partitionKeyBytes;
}

/** Bytes a Kinesis record counts towards a PutRecords request: its partition key ("a" for an aggregate) and data. */
export function requestBytesOf(record: KinesisRecordState): number {
  // A single record goes with its own key; an aggregate with the one-byte key "a".
  return record.records.length === 1 ? userRecordBytesOf(record.records[0]!) : 1 + record.dataLength;
}

/** A batch of `records` with its request size. */
export function batchOf(owner: StreamContext, records: KinesisRecordState[]): PutRecordsBatch {
  let bytes = 0;
  for (const record of records) bytes += requestBytesOf(record);
  return { owner, records, bytes };
}

/** A Kinesis record holding one user record, sent raw with its own keys. */
export function singleKinesisRecord(record: UserRecordState): KinesisRecordState {
  return {
    owner: record.owner,
    records: [record],
    predictedShard: record.predictedShard,
    mapGeneration: record.mapGeneration,
    partitionKey: record.partitionKey,
    explicitHashKey: record.explicitHashKey ?? binaryHashKeyToDecimal(partitionKeyHashBinary(record.partitionKey)),
    data: bytesOf(record),
    dataLength: record.dataLength,
    deadline: record.deadline,
    expiresAt: record.expiresAt,
  };
}

/**
 * The hash key that routes a record (its explicit hash key, else the MD5 of its partition key) as
 * a 16-character binary string that compares with `<` like the 128-bit integer. Computed where
 * it is needed (once when the record is routed, again only on a retry or a wrong-shard check)
 * rather than kept: a kept string costs each waiting record ~40 bytes.
 */
export function routingKeyOf(record: UserRecordState): string {
  const explicitHashKey = record.explicitHashKey;
  return explicitHashKey === undefined ? partitionKeyHashBinary(record.partitionKey) : explicitHashKeyBinary(explicitHashKey);
}

/** A user record's bytes as one array (a view of its slab's range; the array itself when it is all of it). */
export function bytesOf(record: UserRecordState): Uint8Array {
  const { data, dataOffset, dataLength } = record;
  return dataOffset === 0 && dataLength === data.length ? data : data.subarray(dataOffset, dataOffset + dataLength);
}

/** Formats a shard number as Kinesis does: `shardId-000000000007`. */
export function shardIdOf(shardNumber: number): string {
  return `shardId-${String(shardNumber).padStart(12, '0')}`;
}

/** Parses `shardId-000000000007` → 7 (the integer after the first dash); -1 when malformed. */
export function shardNumberOf(shardId: string): number {
  const dash = shardId.indexOf('-');
  if (dash < 0) return -1;
  const value = Number.parseInt(shardId.slice(dash + 1), 10);
  return Number.isFinite(value) ? value : -1;
}
