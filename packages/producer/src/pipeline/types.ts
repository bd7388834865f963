/**
 * The records that travel through the pipeline, and the public result shapes.
 */

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
  readonly successful: boolean;
  /** The AWS error code, or `Expired`, `Wrong Shard`, `Record Count Mismatch`. */
  readonly errorCode?: string;
  readonly errorMessage?: string;
}

/** The final outcome of one record. */
export interface RecordResult {
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

/** A user record inside the pipeline. One object per record, mutated in place. */
export interface UserRecordState {
  /** The stream key: the ARN when one was given, else the name. */
  readonly stream: string;
  /** The stream's name, as shown in results and metrics. */
  readonly streamName: string;
  readonly partitionKey: string;
  readonly explicitHashKey: string | undefined;
  /**
   * The hash key that routes the record (the explicit hash key, or MD5 of the partition key) as a
   * 16-character binary string: compares with `<` like the 128-bit integer and costs ~32 bytes of
   * heap, against ~216 for a `Uint8Array(16)`.
   */
  readonly routingKey: string;
  /** The user's bytes; released (emptied) once the record is settled so results do not pin payloads. */
  data: Uint8Array;
  /** UTF-8 bytes of the partition key. */
  readonly partitionKeyBytes: number;
  /** Clock time (ms) the record was admitted. */
  arrivedAt: number;
  /** Clock time by which the record should be sent; clamped to `expiresAt`. */
  deadline: number;
  /** Clock time after which the record fails with `Expired`. */
  expiresAt: number;
  /** Shard number predicted for it, or -1. */
  predictedShard: number;
  /** Failed attempts so far (capped); a final success is kept in `successTiming` and built on demand. */
  attempts: Attempt[] | undefined;
  attemptCount: number;
  /** Clock time the previous attempt ended, or `arrivedAt`. */
  lastAttemptEndedAt: number;
  /** Consecutive throttled attempts, for backoff. */
  throttledCount: number;
  /** Flush epoch the record belongs to (for `flush()`). */
  epoch: { unfinished: number };
  /** The per-stream counter of records without an outcome (the stream's pipeline). */
  owner: { outstanding: number };
  /** True once the record has its final outcome. */
  settled: boolean;
  successful: boolean;
  shardId: string | undefined;
  sequenceNumber: string | undefined;
  subSequenceNumber: number;
  /** The request that delivered the record, and the delay before it (the last attempt, built lazily). */
  successTiming: RequestTiming | undefined;
  successDelayMs: number;
  /** Called once when the record settles (set by `Outcome.wait()`). */
  notify: (() => void) | undefined;
}

/** A Kinesis record: one user record sent raw, or an aggregate of several. */
export interface KinesisRecordState {
  readonly stream: string;
  readonly records: UserRecordState[];
  /** Predicted shard of every member, or -1 for unpredicted records. */
  readonly predictedShard: number;
  readonly partitionKey: string;
  readonly explicitHashKey: string;
  readonly data: Uint8Array;
  /** Min of the members' deadlines. */
  deadline: number;
  /** Min of the members' expirations. */
  readonly expiresAt: number;
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
