/**
 * Attempt history and final results of user records. The history is capped: the first and last
 * halves are kept, and the number dropped in between is reported. A successful final attempt is
 * kept as a reference to its request's timing and built only when a result is asked for.
 */
import type { Attempt, RecordResult, UserRecordState } from '../pipeline/types.js';
import { shardIdOf } from '../pipeline/types.js';

/** Appends a failed (or synthetic) attempt, keeping at most `max` (first ⌊max/2⌋ and the latest ones). */
export function appendAttempt(record: UserRecordState, attempt: Attempt, max: number): void {
  record.attemptCount++;
  const attempts = (record.attempts ??= []);
  attempts.push(attempt);
  if (attempts.length > max) attempts.splice(max >>> 1, 1);
}

/** The result of a settled record. */
export function resultOf(record: UserRecordState, maxAttempts: number): RecordResult {
  let attempts: Attempt[] = record.attempts ?? [];
  const timing = record.successTiming;
  if (timing !== undefined) {
    attempts = attempts.slice();
    attempts.push({
      startedAt: timing.startedAtWall,
      endedAt: timing.endedAtWall,
      delayMs: record.successDelayMs,
      durationMs: timing.endedAt - timing.startedAt,
      successful: true,
    });
    if (attempts.length > maxAttempts) attempts.splice(maxAttempts >>> 1, 1);
  }
  const attemptsDropped = record.attemptCount - attempts.length;
  if (record.successful) {
    return {
      successful: true,
      streamName: record.streamName,
      shardId: record.shardId,
      sequenceNumber: record.sequenceNumber,
      subSequenceNumber: record.subSequenceNumber,
      attempts,
      attemptsDropped,
    };
  }
  const last = attempts[attempts.length - 1];
  return {
    successful: false,
    streamName: record.streamName,
    shardId: record.predictedShard >= 0 ? shardIdOf(record.predictedShard) : undefined,
    attempts,
    attemptsDropped,
    errorCode: last?.errorCode,
    errorMessage: last?.errorMessage,
  };
}
