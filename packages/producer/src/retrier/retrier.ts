/**
 * The retrier: turns a PutRecords outcome into per-record decisions — success, wrong shard,
 * retry, or fail — by the classification table, and records an attempt on every user record.
 */
import type { Clock } from '../clock/clock.js';
import type { PutRecordsBatch } from '../collector/collector.js';
import type { Logger } from '../config/logger.js';
import type { MetricsRecorder } from '../metrics/recorder.js';
import type { KinesisRecordState, RequestTiming, UserRecordState } from '../pipeline/types.js';
import { shardIdOf, shardNumberOf } from '../pipeline/types.js';
import type { ShardMap } from '../shard-map/shard-map.js';
import type { PutRecordsResponse } from '../transport/transport.js';
import { BACKOFF, backoffDelay } from './backoff.js';
import { classifyFailure, failureOf, isClassified, type FailureClass } from './classify.js';

/** What the retrier asks of the rest of the producer. */
export interface RetrierDeps {
  readonly clock: Clock;
  readonly logger: Logger;
  readonly recorder: MetricsRecorder;
  readonly failIfThrottled: boolean;
  shardMapOf(stream: string): ShardMap | undefined;
  /** An entry for `shardNumber` was throttled by a request that started at `seenAt` (clock ms). */
  onThrottled(stream: string, shardNumber: number, seenAt: number): void;
  /** Appends an attempt to a record (the producer caps the history). */
  addAttempt(record: UserRecordState, timing: RequestTiming, successful: boolean, errorCode?: string, errorMessage?: string): void;
  /** The record was stored; `timing` is its (last, successful) attempt. */
  succeed(record: UserRecordState, timing: RequestTiming, shardId: string, sequenceNumber: string, subSequenceNumber: number): void;
  fail(record: UserRecordState, errorCode: string, errorMessage: string): void;
  /** Fails a record with `Expired`, appending a synthetic attempt (duration 0). */
  expire(record: UserRecordState, errorMessage: string): void;
  /** Re-queue a record after `delayMs` (it re-enters the aggregator, or fails if it expires first). */
  retry(record: UserRecordState, delayMs: number): void;
  /** Send a batch again at once, bypassing the collector (bisection). */
  resend(batch: PutRecordsBatch): void;
  /** Splits an aggregate into single-record Kinesis records. */
  splitAggregate(record: KinesisRecordState): KinesisRecordState[];
  /** Counts an incident for the periodic warning (never logged per record). */
  noteIncident(what: string, count?: number): void;
}

/** The retrier. */
export interface Retrier {
  onResponse(batch: PutRecordsBatch, response: PutRecordsResponse, timing: RequestTiming): void;
  onError(batch: PutRecordsBatch, error: unknown, timing: RequestTiming): void;
  /** A Kinesis record that expired before it could be sent: every member is retried or expired. */
  onExpiredBeforeSend(record: KinesisRecordState, where: string): void;
}

const WRONG_SHARD = 'Wrong Shard';
const COUNT_MISMATCH = 'Record Count Mismatch';
const PTEE = 'ProvisionedThroughputExceededException';
const RESOURCE_NOT_FOUND = 'ResourceNotFoundException';

function allInRange(members: readonly UserRecordState[], range: { readonly start: string; readonly end: string } | undefined): boolean {
  if (range === undefined) return false;
  for (const member of members) if (member.routingKey < range.start || member.routingKey > range.end) return false;
  return true;
}

/** Creates the retrier. */
export function createRetrier(deps: RetrierDeps): Retrier {
  const unknownCodesLogged = new Set<string>();

  function retryOrFail(record: UserRecordState, failureClass: FailureClass, code: string, message: string): void {
    if (failureClass === 'terminal' || failureClass === 'content' || (failureClass === 'throttled' && deps.failIfThrottled)) {
      deps.fail(record, code, message);
      return;
    }
    const now = deps.clock.now();
    if (now > record.expiresAt) {
      deps.expire(record, `Record has reached expiration after ${record.attemptCount} attempts; last error ${code}: ${message}`);
      return;
    }
    let delay: number;
    if (failureClass === 'throttled') {
      record.throttledCount++;
      delay = backoffDelay(record.throttledCount, BACKOFF.throttledBaseMs, BACKOFF.throttledMaxMs, deps.clock.random);
    } else {
      delay = backoffDelay(record.attemptCount - record.throttledCount, BACKOFF.transientBaseMs, BACKOFF.transientMaxMs, deps.clock.random);
    }
    deps.retry(record, delay);
  }

  function noteUnknown(code: string, failureClass: FailureClass): void {
    if (failureClass === 'transient' && !unknownCodesLogged.has(code) && !isClassified(code)) {
      unknownCodesLogged.add(code);
      deps.logger.warn(`Unclassified error ${code}: retried with backoff until each record's TTL. Further occurrences are not logged.`, { errorCode: code });
    }
  }

  function onSuccessEntry(kinesisRecord: KinesisRecordState, shardId: string, sequenceNumber: string, timing: RequestTiming, deferred = false): void {
    const members = kinesisRecord.records;
    const predicted = kinesisRecord.predictedShard;
    const actual = shardNumberOf(shardId);
    const map = predicted >= 0 ? deps.shardMapOf(kinesisRecord.stream) : undefined;
    if (map !== undefined) {
      if (members.length > 1) {
        // The KCL drops an aggregate whole unless every member hashes into the shard that stored
        // it, so every stored aggregate is checked against the current map, also when it landed
        // where predicted: a stream deleted and recreated reuses shard numbers with other ranges.
        // While the map is being refreshed (after a wrong-shard result in this or another
        // response) the check waits for it.
        if (!deferred && map.state !== 'READY') {
          judgeWhenReady(map, kinesisRecord, shardId, sequenceNumber, timing);
          return;
        }
        const range = map.rangeOf(actual);
        if (range === undefined && !deferred) {
          // A shard newer than the map (a reshard's child): judge once the map knows its range,
          // rather than re-send an aggregate a KCL keeps (its members would then be stored twice).
          map.invalidate(timing.startedAt, predicted);
          if (map.state !== 'READY') {
            judgeWhenReady(map, kinesisRecord, shardId, sequenceNumber, timing);
            return;
          }
        }
        if (!allInRange(members, range)) {
          // Stored where predicted yet not all members belong there: the map is stale (the stream was recreated).
          if (actual === predicted) map.invalidate(timing.startedAt, predicted);
          const message = `The aggregate was stored in ${shardId} (predicted ${shardIdOf(predicted)}), and not all of its records belong there; it is re-sent.`;
          for (const member of members) {
            deps.addAttempt(member, timing, false, WRONG_SHARD, message);
            member.predictedShard = -1;
            retryOrFail(member, 'transient', WRONG_SHARD, message);
          }
          return;
        }
      }
      // A wrong shard was already signalled to the map by onResponse, before any entry was judged.
    }
    for (let index = 0; index < members.length; index++) deps.succeed(members[index]!, timing, shardId, sequenceNumber, index);
  }

  /** Re-judges a stored aggregate once the map is READY, or as wrong-shard when its first member expires first. */
  function judgeWhenReady(map: ShardMap, kinesisRecord: KinesisRecordState, shardId: string, sequenceNumber: string, timing: RequestTiming): void {
    let done = false;
    const judge = (): void => {
      if (done) return;
      done = true;
      unsubscribe();
      timer.cancel();
      onSuccessEntry(kinesisRecord, shardId, sequenceNumber, timing, true);
    };
    const unsubscribe = map.onReady(judge);
    const timer = deps.clock.setTimer(Math.max(0, kinesisRecord.expiresAt - deps.clock.now()), judge);
  }

  return {
    onResponse(batch, response, timing) {
      const durationMs = timing.endedAt - timing.startedAt;
      let userRecords = 0;
      for (const record of batch.records) userRecords += record.records.length;
      deps.recorder.request(batch.stream, durationMs, batch.records.length, userRecords, undefined);
      if (response.records.length !== batch.records.length) {
        const message = `PutRecords answered ${response.records.length} results for ${batch.records.length} records.`;
        for (const kinesisRecord of batch.records) {
          for (const member of kinesisRecord.records) {
            deps.addAttempt(member, timing, false, COUNT_MISMATCH, message);
            deps.fail(member, COUNT_MISMATCH, message);
          }
        }
        return;
      }
      // A wrong shard anywhere in the response means the map is stale for the whole response:
      // refresh it first, so that the aggregates stored where predicted are judged on the new map.
      let map: ShardMap | undefined;
      for (let index = 0; index < batch.records.length; index++) {
        const predicted = batch.records[index]!.predictedShard;
        const entry = response.records[index]!;
        if (predicted < 0 || entry.shardId === undefined || !entry.sequenceNumber) continue;
        if (shardNumberOf(entry.shardId) !== predicted) {
          map ??= deps.shardMapOf(batch.stream);
          map?.invalidate(timing.startedAt, predicted);
        }
      }
      for (let index = 0; index < batch.records.length; index++) {
        const kinesisRecord = batch.records[index]!;
        const entry = response.records[index]!;
        const predictedId = kinesisRecord.predictedShard >= 0 ? shardIdOf(kinesisRecord.predictedShard) : undefined;
        if (entry.sequenceNumber && !entry.errorCode) {
          const shardId = entry.shardId ?? predictedId ?? '';
          deps.recorder.kinesisRecord(batch.stream, shardId || undefined, true, kinesisRecord.data.length, kinesisRecord.records.length, undefined);
          onSuccessEntry(kinesisRecord, shardId, entry.sequenceNumber, timing);
          continue;
        }
        const code = entry.errorCode ?? 'InternalFailure';
        const message = entry.errorMessage ?? '';
        const failureClass = classifyFailure(code);
        if (code === RESOURCE_NOT_FOUND) deps.shardMapOf(batch.stream)?.forget();
        noteUnknown(code, failureClass);
        deps.recorder.kinesisRecord(batch.stream, predictedId, false, kinesisRecord.data.length, kinesisRecord.records.length, code);
        if (failureClass === 'throttled') {
          deps.noteIncident('entries throttled');
          if (kinesisRecord.predictedShard >= 0) deps.onThrottled(batch.stream, kinesisRecord.predictedShard, timing.startedAt);
        }
        for (const member of kinesisRecord.records) {
          deps.addAttempt(member, timing, false, code, message);
          // A per-entry content error names this entry alone: it fails, its neighbours do not.
          retryOrFail(member, failureClass, code, message);
        }
      }
    },

    onError(batch, error, timing) {
      const failure = failureOf(error);
      const failureClass = classifyFailure(failure.code, failure.httpStatus);
      // The stream is gone (deleted, perhaps about to be recreated with other ranges): forget its map.
      if (failure.code === RESOURCE_NOT_FOUND) deps.shardMapOf(batch.stream)?.forget();
      noteUnknown(failure.code, failureClass);
      let userRecords = 0;
      for (const record of batch.records) userRecords += record.records.length;
      deps.recorder.request(batch.stream, timing.endedAt - timing.startedAt, batch.records.length, userRecords, failure.code);
      deps.noteIncident(`PutRecords requests failed with ${failure.code}`);
      if (failureClass === 'content' && (batch.records.length > 1 || batch.records[0]!.records.length > 1) && !rejectsTheRequest(failure.message)) {
        // Bisect: the request was rejected as a whole for what one of its records holds; find that
        // record without sinking its neighbours. The halves are probes: no failed attempt is
        // recorded on the members until a record is isolated, so innocent records show only the
        // request that stored them.
        if (batch.records.length > 1) {
          const middle = batch.records.length >>> 1;
          deps.resend(subBatch(batch, batch.records.slice(0, middle)));
          deps.resend(subBatch(batch, batch.records.slice(middle)));
        } else {
          const singles = deps.splitAggregate(batch.records[0]!);
          deps.resend(subBatch(batch, singles));
        }
        return;
      }
      for (const kinesisRecord of batch.records) {
        for (const member of kinesisRecord.records) deps.addAttempt(member, timing, false, failure.code, failure.message);
      }
      for (const kinesisRecord of batch.records) {
        if (failureClass === 'throttled' && kinesisRecord.predictedShard >= 0 && failure.code === PTEE) {
          deps.onThrottled(batch.stream, kinesisRecord.predictedShard, timing.startedAt);
        }
        for (const member of kinesisRecord.records) retryOrFail(member, failureClass, failure.code, failure.message);
      }
    },

    onExpiredBeforeSend(kinesisRecord, where) {
      const now = deps.clock.now();
      for (const member of kinesisRecord.records) {
        // Members that have not expired themselves go back to the aggregator with no attempt counted.
        if (now > member.expiresAt) deps.expire(member, `Expiration reached while waiting in ${where}`);
        else deps.retry(member, 0);
      }
    },
  };
}

/**
 * True when a content rejection names the request itself (its stream, or its list of records as a
 * whole) rather than one record's fields: no half of the request would fare better, so bisecting
 * would only multiply requests. Kinesis names a record's field as `records.<n>.member.<field>`.
 */
function rejectsTheRequest(message: string): boolean {
  if (/records\.\d+\.member/.test(message)) return false;
  return /'(streamName|streamARN|StreamName|StreamARN)'|at 'records' failed/.test(message);
}

function subBatch(batch: PutRecordsBatch, records: KinesisRecordState[]): PutRecordsBatch {
  let bytes = 0;
  for (const record of records) bytes += record.data.length + (record.records.length === 1 ? record.records[0]!.partitionKeyBytes : 1);
  return { stream: batch.stream, records, bytes };
}

