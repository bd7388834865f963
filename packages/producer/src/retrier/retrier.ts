/**
 * The retrier: turns a PutRecords outcome into per-record decisions — success, wrong shard,
 * retry, or fail — by the classification table, and records an attempt on every user record.
 */
import type { Clock } from '../clock/clock.js';
import type { IncidentLog } from '../config/incident-log.js';
import type { Logger } from '../config/logger.js';
import { classifyFailure, failureOf, isClassified, type FailureClass } from '../errors/classify.js';
import type { MetricsRecorder } from '../metrics/recorder.js';
import { RecordErrorCodes } from '../record/error-codes.js';
import type { Settlement } from '../record/settlement.js';
import { batchOf, routingKeyOf, shardIdOf, shardNumberOf, singleKinesisRecord } from '../record/user-record.js';
import type { Delivery, KinesisRecordState, PutRecordsBatch, RequestTiming, ShardMapHandle, UserRecordState } from '../record/user-record.js';
import type { PutRecordsResponse } from '../transport/transport.js';
import { BACKOFF, backoffDelay } from './backoff.js';
import { createDelayQueue } from './delay-queue.js';

/** What the retrier works with. */
export interface RetrierDeps {
  readonly clock: Clock;
  readonly logger: Logger;
  readonly recorder: MetricsRecorder;
  readonly failIfThrottled: boolean;
  /** A retried record gets this much buffering time again before it is sent (half the producer's `recordMaxBufferedTimeMs`). */
  readonly retryBufferedTimeMs: number;
  /** Settles records (attempts, outcomes). */
  readonly settlement: Settlement;
  /** Sends a batch again at once, bypassing the collector (bisection). */
  readonly sender: { send(batch: PutRecordsBatch): void };
  /** Counts incidents for the periodic warning (never logged per record). */
  readonly incidents: IncidentLog;
}

/** The retrier. */
export interface Retrier {
  onResponse(batch: PutRecordsBatch, response: PutRecordsResponse, timing: RequestTiming): void;
  onError(batch: PutRecordsBatch, error: unknown, timing: RequestTiming): void;
  /** Handling an outcome threw: fail the batch's records that have none yet. */
  onInternalError(batch: PutRecordsBatch, error: unknown): void;
  /** Just before a batch is sent: removes expired records (each member is retried or expired); undefined if nothing is left. */
  prepare(batch: PutRecordsBatch): PutRecordsBatch | undefined;
  /** A Kinesis record that expired before it could be sent: every member is retried or expired. */
  onExpiredBeforeSend(record: KinesisRecordState, where: string): void;
  /** Records waiting out a backoff. */
  readonly waiting: number;
  /** Drops every record waiting out a backoff and its timer (at close, when none is outstanding). */
  close(): void;
}

const PTEE = 'ProvisionedThroughputExceededException';
const RESOURCE_NOT_FOUND = 'ResourceNotFoundException';

function allInRange(members: readonly UserRecordState[], range: { readonly start: string; readonly end: string } | undefined): boolean {
  if (range === undefined) return false;
  for (const member of members) {
    const key = routingKeyOf(member);
    if (key < range.start || key > range.end) return false;
  }
  return true;
}

/** Creates the retrier. */
export function createRetrier(deps: RetrierDeps): Retrier {
  const { settlement, incidents } = deps;
  const unknownCodesLogged = new Set<string>();
  // Records waiting out a backoff: one heap and one timer for all of them.
  const retryQueue = createDelayQueue<UserRecordState>(deps.clock, retryDue);

  function retry(record: UserRecordState, delayMs: number, uncertain = false): void {
    const dueAt = Math.min(deps.clock.now() + delayMs, record.expiresAt + 1);
    // Ordered delivery: the record waits at the head of its shard's lane, not in the shared heap
    // (whose due-time order would let later records of the shard overtake it).
    if (record.lane !== undefined) record.lane.retry(record, dueAt, uncertain);
    else retryQueue.add(record, dueAt);
  }

  function retryDue(record: UserRecordState): void {
    const now = deps.clock.now();
    if (now > record.expiresAt) {
      settlement.failNow(record, RecordErrorCodes.Expired, 'Record has reached expiration while waiting to be retried');
      return;
    }
    record.deadline = Math.min(now + deps.retryBufferedTimeMs, record.expiresAt);
    record.owner.accept(record);
  }

  /** `uncertain`: the attempt failed as a whole with a transient error, so the service may have stored it (see OrderedLane.retry). */
  function retryOrFail(record: UserRecordState, failureClass: FailureClass, code: string, message: string, uncertain = false): void {
    if (failureClass === 'terminal' || failureClass === 'content' || (failureClass === 'throttled' && deps.failIfThrottled)) {
      settlement.fail(record);
      return;
    }
    const now = deps.clock.now();
    if (now > record.expiresAt) {
      settlement.failNow(record, RecordErrorCodes.Expired, `Record has reached expiration after ${record.attemptCount} attempts; last error ${code}: ${message}`);
      return;
    }
    let delay: number;
    if (failureClass === 'throttled') {
      record.throttledCount++;
      delay = backoffDelay(record.throttledCount, BACKOFF.throttledBaseMs, BACKOFF.throttledMaxMs, deps.clock.random);
    } else {
      delay = backoffDelay(record.attemptCount - record.throttledCount, BACKOFF.transientBaseMs, BACKOFF.transientMaxMs, deps.clock.random);
    }
    retry(record, delay, uncertain);
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
    const map = predicted >= 0 ? kinesisRecord.owner.shardMap : undefined;
    if (map !== undefined) {
      // Stored where predicted, with the map unchanged since every member was predicted: each
      // member is in that shard's range by construction, so the range check below is skipped.
      const unchanged = actual === predicted && map.state === 'READY' && kinesisRecord.mapGeneration === map.generation;
      if (members.length > 1 && !unchanged) {
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
            settlement.addAttempt(member, timing, RecordErrorCodes.WrongShard, message);
            member.predictedShard = -1;
            retryOrFail(member, 'transient', RecordErrorCodes.WrongShard, message);
          }
          return;
        }
      }
      // A wrong shard was already signalled to the map by onResponse, before any entry was judged.
    }
    const delivery: Delivery = { shardId, sequenceNumber, timing };
    for (let index = 0; index < members.length; index++) settlement.succeed(members[index]!, delivery, index);
  }

  /** Re-judges a stored aggregate once the map is READY, or as wrong-shard when its first member expires first. */
  function judgeWhenReady(map: ShardMapHandle, kinesisRecord: KinesisRecordState, shardId: string, sequenceNumber: string, timing: RequestTiming): void {
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
      const streamName = batch.owner.streamName;
      deps.recorder.request(streamName, durationMs, batch.records.length, userRecords, undefined);
      if (response.records.length !== batch.records.length) {
        const message = `PutRecords answered ${response.records.length} results for ${batch.records.length} records.`;
        for (const kinesisRecord of batch.records) {
          for (const member of kinesisRecord.records) {
            settlement.addAttempt(member, timing, RecordErrorCodes.RecordCountMismatch, message);
            settlement.fail(member);
          }
        }
        return;
      }
      // A wrong shard anywhere in the response means the map is stale for the whole response:
      // refresh it first, so that the aggregates stored where predicted are judged on the new map.
      const map = batch.owner.shardMap;
      for (let index = 0; index < batch.records.length; index++) {
        const predicted = batch.records[index]!.predictedShard;
        const entry = response.records[index]!;
        if (predicted < 0 || entry.shardId === undefined || !entry.sequenceNumber) continue;
        if (shardNumberOf(entry.shardId) !== predicted) map?.invalidate(timing.startedAt, predicted);
      }
      for (let index = 0; index < batch.records.length; index++) {
        const kinesisRecord = batch.records[index]!;
        const entry = response.records[index]!;
        const predictedId = kinesisRecord.predictedShard >= 0 ? shardIdOf(kinesisRecord.predictedShard) : undefined;
        if (entry.sequenceNumber && !entry.errorCode) {
          const shardId = entry.shardId ?? predictedId ?? '';
          deps.recorder.kinesisRecord(streamName, shardId || undefined, true, kinesisRecord.dataLength, kinesisRecord.records.length, undefined);
          onSuccessEntry(kinesisRecord, shardId, entry.sequenceNumber, timing);
          continue;
        }
        const code = entry.errorCode ?? 'InternalFailure';
        const message = entry.errorMessage ?? '';
        const failureClass = classifyFailure(code);
        if (code === RESOURCE_NOT_FOUND) map?.forget();
        noteUnknown(code, failureClass);
        deps.recorder.kinesisRecord(streamName, predictedId, false, kinesisRecord.dataLength, kinesisRecord.records.length, code);
        if (failureClass === 'throttled') {
          incidents.count('entries throttled');
          if (kinesisRecord.predictedShard >= 0) batch.owner.throttled(kinesisRecord.predictedShard, timing.startedAt, kinesisRecord.dataLength);
        }
        for (const member of kinesisRecord.records) {
          settlement.addAttempt(member, timing, code, message);
          // A per-entry content error names this entry alone: it fails, its neighbours do not.
          retryOrFail(member, failureClass, code, message);
        }
      }
    },

    onError(batch, error, timing) {
      const failure = failureOf(error);
      const failureClass = classifyFailure(failure.code, failure.httpStatus);
      // The stream is gone (deleted, perhaps about to be recreated with other ranges): forget its map.
      if (failure.code === RESOURCE_NOT_FOUND) batch.owner.shardMap?.forget();
      noteUnknown(failure.code, failureClass);
      let userRecords = 0;
      for (const record of batch.records) userRecords += record.records.length;
      deps.recorder.request(batch.owner.streamName, timing.endedAt - timing.startedAt, batch.records.length, userRecords, failure.code);
      incidents.count(`PutRecords requests failed with ${failure.code}`);
      if (failureClass === 'content' && (batch.records.length > 1 || batch.records[0]!.records.length > 1) && !rejectsTheRequest(failure.message)) {
        // Bisect: the request was rejected as a whole for what one of its records holds; find that
        // record without sinking its neighbours. The halves are probes: no failed attempt is
        // recorded on the members until a record is isolated, so innocent records show only the
        // request that stored them.
        if (batch.records.length > 1) {
          const middle = batch.records.length >>> 1;
          deps.sender.send(batchOf(batch.owner, batch.records.slice(0, middle)));
          deps.sender.send(batchOf(batch.owner, batch.records.slice(middle)));
        } else {
          const members = batch.records[0]!.records;
          // Ordered delivery: the members' lane sends the halves one after the other (one
          // request with every member alone could store a later member before an earlier one).
          const lane = members[0]!.lane;
          if (lane !== undefined) lane.bisect(members);
          else deps.sender.send(batchOf(batch.owner, members.map(singleKinesisRecord)));
        }
        return;
      }
      for (const kinesisRecord of batch.records) {
        for (const member of kinesisRecord.records) settlement.addAttempt(member, timing, failure.code, failure.message);
      }
      for (const kinesisRecord of batch.records) {
        if (failureClass === 'throttled' && kinesisRecord.predictedShard >= 0 && failure.code === PTEE) {
          batch.owner.throttled(kinesisRecord.predictedShard, timing.startedAt, kinesisRecord.dataLength);
        }
        for (const member of kinesisRecord.records) retryOrFail(member, failureClass, failure.code, failure.message, failureClass === 'transient');
      }
    },

    onInternalError(batch, error) {
      const message = `The producer failed to handle a PutRecords outcome: ${error instanceof Error ? error.message : String(error)}`;
      incidents.count(`records failed with an internal error (${message})`);
      for (const record of batch.records) for (const member of record.records) settlement.failNow(member, 'InternalError', message);
    },

    prepare(batch) {
      const now = deps.clock.now();
      let expired = false;
      for (const record of batch.records) if (now > record.expiresAt) expired = true;
      if (!expired) return batch;
      const kept: KinesisRecordState[] = [];
      for (const record of batch.records) {
        if (now > record.expiresAt) onExpiredBeforeSend(record, 'the send queue');
        else kept.push(record);
      }
      return kept.length === 0 ? undefined : batchOf(batch.owner, kept);
    },

    onExpiredBeforeSend,

    get waiting() {
      return retryQueue.size;
    },

    close() {
      retryQueue.clear();
    },
  };

  function onExpiredBeforeSend(kinesisRecord: KinesisRecordState, where: string): void {
    const now = deps.clock.now();
    for (const member of kinesisRecord.records) {
      // Members that have not expired themselves go back to the aggregator with no attempt counted.
      if (now > member.expiresAt) settlement.failNow(member, RecordErrorCodes.Expired, `Expiration reached while waiting in ${where}`);
      else retry(member, 0);
    }
  }
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
