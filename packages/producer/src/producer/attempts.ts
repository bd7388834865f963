/**
 * Attempt history and final results of user records. The history is capped: the first and last
 * halves are kept, and the number dropped in between is reported.
 */
import type { Attempt, RecordResult, UserRecordState } from '../pipeline/types.js';
import { shardIdOf } from '../pipeline/types.js';

/** Appends an attempt, keeping at most `max` (first ⌊max/2⌋ and the latest ones). Returns whether one was dropped. */
export function appendAttempt(record: UserRecordState, attempt: Attempt, max: number): boolean {
  record.attemptCount++;
  const attempts = (record.attempts ??= []);
  attempts.push(attempt);
  if (attempts.length > max) {
    attempts.splice(max >>> 1, 1);
    return true;
  }
  return false;
}

/** Builds the final result of a record. */
export function resultOf(
  record: UserRecordState,
  streamName: string,
  successful: boolean,
  shardId: string | undefined,
  sequenceNumber: string | undefined,
  subSequenceNumber: number | undefined,
): RecordResult {
  const attempts = record.attempts ?? [];
  const attemptsDropped = record.attemptCount - attempts.length;
  if (successful) {
    return { successful, streamName, shardId, sequenceNumber, subSequenceNumber, attempts, attemptsDropped };
  }
  const last = attempts[attempts.length - 1];
  return {
    successful,
    streamName,
    shardId: shardId ?? (record.predictedShard >= 0 ? shardIdOf(record.predictedShard) : undefined),
    attempts,
    attemptsDropped,
    errorCode: last?.errorCode,
    errorMessage: last?.errorMessage,
  };
}
