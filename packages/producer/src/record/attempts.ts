/**
 * Attempt history and final results of user records. The history is capped: the first and last
 * halves are kept, and the number dropped in between is reported. A successful final attempt is
 * kept as a reference to its request's timing and built only when a result is asked for.
 */
import type { Attempt, Delivery, RecordResult, RequestTiming, UserRecordState } from './user-record.js';
import { shardIdOf } from './user-record.js';

/** Appends a failed (or synthetic) attempt, keeping at most `max` (first ⌊max/2⌋ and the latest ones). */
export function appendAttempt(record: UserRecordState, attempt: Attempt, max: number): void {
  record.attemptCount++;
  const attempts = (record.attempts ??= []);
  attempts.push(attempt);
  if (attempts.length > max) attempts.splice(max >>> 1, 1);
}

/** Records a PutRecords attempt on a user record (a failure; a success goes through {@link markSucceeded}). */
export function recordAttempt(record: UserRecordState, timing: RequestTiming, errorCode: string, errorMessage: string, max: number): void {
  appendAttempt(record, {
    startedAt: timing.startedAtWall,
    endedAt: timing.endedAtWall,
    delayMs: Math.max(0, timing.startedAt - record.lastAttemptEndedAt),
    durationMs: timing.endedAt - timing.startedAt,
    successful: false,
    errorCode,
    errorMessage,
  }, max);
  record.lastAttemptEndedAt = timing.endedAt;
}

/** Records a failure without a request (expiry, a terminal shard-map error): one attempt of duration 0 at `now`. */
export function recordSyntheticFailure(record: UserRecordState, now: number, wallTime: number, errorCode: string, errorMessage: string, max: number): void {
  appendAttempt(record, {
    startedAt: wallTime,
    endedAt: wallTime,
    delayMs: Math.max(0, now - record.lastAttemptEndedAt),
    durationMs: 0,
    successful: false,
    errorCode,
    errorMessage,
  }, max);
  record.lastAttemptEndedAt = now;
}

/**
 * The record was stored: `delivery` holds its last (successful) attempt's request, built into the
 * result only when asked for. `lastAttemptEndedAt` stays at the end of the attempt before, from which the
 * success's delay is computed ({@link successDelayOf}). The failures kept make room for the
 * success now, so that the result needs no cap of its own.
 */
export function markSucceeded(record: UserRecordState, delivery: Delivery, subSequenceNumber: number, max: number): void {
  record.attemptCount++;
  record.delivery = delivery;
  const failures = record.attempts;
  if (failures !== undefined && failures.length + 1 > max) failures.splice(max >>> 1, 1);
  record.subSequenceNumber = subSequenceNumber;
}

/** Time from the end of the previous attempt (or admission) to the start of the successful one, ms; 0 before a success. */
export function successDelayOf(record: UserRecordState): number {
  const delivery = record.delivery;
  return delivery === undefined ? 0 : Math.max(0, delivery.timing.startedAt - record.lastAttemptEndedAt);
}

/** The result of a settled record (its attempts already capped at `maxAttemptHistory`). */
export function resultOf(record: UserRecordState): RecordResult {
  const failures = record.attempts;
  let attempts: Attempt[];
  const delivery = record.delivery;
  if (delivery === undefined) {
    attempts = failures ?? [];
  } else {
    const timing = delivery.timing;
    const success: Attempt = {
      startedAt: timing.startedAtWall,
      endedAt: timing.endedAtWall,
      delayMs: successDelayOf(record),
      durationMs: timing.endedAt - timing.startedAt,
      successful: true,
    };
    // Most records succeed at the first try: one array of one element, no copy.
    if (failures === undefined) {
      attempts = [success];
    } else {
      // markSucceeded() left room for the success within the cap.
      attempts = failures.slice();
      attempts.push(success);
    }
  }
  const attemptsDropped = record.attemptCount - attempts.length;
  if (delivery !== undefined) {
    return {
      successful: true,
      streamName: record.streamName,
      shardId: delivery.shardId,
      sequenceNumber: delivery.sequenceNumber,
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
