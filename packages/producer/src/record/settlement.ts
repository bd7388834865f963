/**
 * Settlement: who owns a record once it is admitted. It counts outstanding records and bytes
 * (backpressure), keeps the flush epochs, queues puts waiting for room, and settles every record
 * exactly once: it appends attempts, marks the outcome, releases the payload, records metrics and
 * wakes `Outcome.wait()`. The retrier, the stream pipelines and the expiry paths call it directly.
 */
import type { Clock } from '../clock/clock.js';
import type { IncidentLog } from '../config/incident-log.js';
import { noopRecorder, type MetricsRecorder } from '../metrics/recorder.js';
import { markSucceeded, recordAttempt, recordSyntheticFailure, resultOf } from './attempts.js';
import { createFlushTracker, type Epoch, type FlushTracker } from './flush-tracker.js';
import type { Outcome } from './outcome.js';
import { NO_STREAM, outcomeOf } from './pipeline-record.js';
import { shardIdOf, userRecordBytesOf, type Delivery, type RequestTiming, type StreamContext, type UserRecordState } from './user-record.js';

/** What the settlement is built with. */
export interface SettlementDeps {
  readonly clock: Clock;
  readonly recorder: MetricsRecorder;
  readonly incidents: IncidentLog;
  readonly maxOutstandingRecords: number;
  readonly maxOutstandingBytes: number;
  readonly maxAttemptHistory: number;
  readonly recordTtlMs: number;
  readonly recordMaxBufferedTimeMs: number;
  /** Called when the settlement goes from idle to busy or back (the producer keeps the process alive while busy). */
  onBusyChanged(): void;
}

interface AdmissionWaiter {
  readonly record: UserRecordState;
  readonly owner: StreamContext;
  resolve(outcome: Outcome): void;
}

const RELEASED = new Uint8Array(0);

/** The settlement of one producer. */
export class Settlement {
  readonly #deps: SettlementDeps;
  readonly #flushes: FlushTracker = createFlushTracker();
  /** The epoch new records join (cached from the tracker: read twice per record). */
  #currentEpoch: Epoch = this.#flushes.current;
  /** FIFO with a moving head: no Array#shift per waiter. */
  #waiters: AdmissionWaiter[] = [];
  #waitersHead = 0;
  #outstanding = 0;
  #outstandingBytes = 0;

  constructor(deps: SettlementDeps) {
    this.#deps = deps;
  }

  /** Records admitted and not settled. */
  get outstanding(): number {
    return this.#outstanding;
  }

  /** Puts waiting for room. */
  get waiting(): number {
    return this.#waiters.length - this.#waitersHead;
  }

  /** True while any record is outstanding or any put waits for room. */
  get busy(): boolean {
    return this.#outstanding > 0 || this.#waitersHead < this.#waiters.length;
  }

  /** Puts the record in the current flush epoch: a `flush()` called from now on waits for it. */
  joinEpoch(record: UserRecordState): Epoch {
    const epoch = this.#currentEpoch;
    epoch.unfinished++;
    record.epoch = epoch;
    return epoch;
  }

  /** The record was rejected before admission: it leaves its epoch. */
  leaveEpoch(record: UserRecordState): void {
    this.#flushes.finished(record.epoch);
  }

  /** True for a record a pending `flush()` waits for (epochs change only when a flush closes one). */
  isUrgent(record: UserRecordState): boolean {
    return record.epoch !== this.#currentEpoch;
  }

  /** Resolves when every record that joined an epoch before the call has its outcome. */
  flush(): Promise<void> {
    const done = this.#flushes.flush();
    this.#currentEpoch = this.#flushes.current;
    return done;
  }

  /** Admits at once when there is room and nobody waits before it; else undefined. */
  tryAdmit(record: UserRecordState, owner: StreamContext): Outcome | undefined {
    if (this.#waitersHead !== this.#waiters.length || !this.#hasRoom(record)) return undefined;
    return this.#admit(record, owner);
  }

  /** Waits for room, in order of arrival, then admits. */
  admitWhenRoom(record: UserRecordState, owner: StreamContext): Promise<Outcome> {
    const admitted = new Promise<Outcome>((resolve) => {
      this.#waiters.push({ record, owner, resolve });
    });
    this.#deps.onBusyChanged();
    return admitted;
  }

  /** Appends a failed PutRecords attempt. */
  addAttempt(record: UserRecordState, timing: RequestTiming, errorCode: string, errorMessage: string): void {
    recordAttempt(record, timing, errorCode, errorMessage, this.#deps.maxAttemptHistory);
  }

  /** The record was stored. */
  succeed(record: UserRecordState, delivery: Delivery, subSequenceNumber: number): void {
    if (record.settled) return;
    markSucceeded(record, delivery, subSequenceNumber, this.#deps.maxAttemptHistory);
    this.#finish(record);
  }

  /** The record failed for good; its last attempt (already appended) says why. */
  fail(record: UserRecordState): void {
    this.#finish(record);
  }

  /** Fails a record without a request (expiry, a terminal shard-map error), with one synthetic attempt. */
  failNow(record: UserRecordState, errorCode: string, errorMessage: string): void {
    if (record.settled) return;
    recordSyntheticFailure(record, this.#deps.clock.now(), this.#deps.clock.wallTime(), errorCode, errorMessage, this.#deps.maxAttemptHistory);
    this.#finish(record);
  }

  #hasRoom(record: UserRecordState): boolean {
    if (this.#outstanding === 0) return true;
    return this.#outstanding < this.#deps.maxOutstandingRecords && this.#outstandingBytes + userRecordBytesOf(record) <= this.#deps.maxOutstandingBytes;
  }

  #admit(record: UserRecordState, owner: StreamContext): Outcome {
    const now = this.#deps.clock.now();
    const expiresAt = now + this.#deps.recordTtlMs;
    const wasIdle = this.#outstanding === 0;
    this.#outstanding++;
    this.#outstandingBytes += userRecordBytesOf(record);
    record.lastAttemptEndedAt = now;
    record.expiresAt = expiresAt;
    record.deadline = Math.min(now + this.#deps.recordMaxBufferedTimeMs, expiresAt);
    record.owner = owner;
    owner.outstanding++;
    owner.lastUsedAt = now;
    if (wasIdle) this.#deps.onBusyChanged();
    this.#deps.recorder.userRecordReceived(record.streamName);
    owner.accept(record);
    return outcomeOf(record);
  }

  #admitWaiters(): void {
    const waiters = this.#waiters;
    while (this.#waitersHead < waiters.length) {
      const waiter = waiters[this.#waitersHead]!;
      if (!this.#hasRoom(waiter.record)) return;
      waiters[this.#waitersHead++] = undefined as unknown as AdmissionWaiter;
      waiter.resolve(this.#admit(waiter.record, waiter.owner));
    }
    this.#waiters = [];
    this.#waitersHead = 0;
  }

  /** Settles a record exactly once and releases what it held. */
  #finish(record: UserRecordState): void {
    if (record.settled) return;
    record.settled = true;
    const dataBytes = record.dataLength;
    this.#outstanding--;
    this.#outstandingBytes -= dataBytes + record.partitionKeyBytes;
    record.data = RELEASED;
    record.dataOffset = 0;
    record.dataLength = 0;
    record.owner.outstanding--;
    // The outcome is the record: once settled it lets go of the stream's pipeline.
    record.owner = NO_STREAM;
    const recorder = this.#deps.recorder;
    if (recorder !== noopRecorder) {
      const shardId = record.delivery !== undefined ? record.delivery.shardId : record.predictedShard >= 0 ? shardIdOf(record.predictedShard) : undefined;
      recorder.userRecordFinished(record.streamName, shardId, record, dataBytes);
    }
    if (record.delivery === undefined) this.#deps.incidents.count(`records failed with ${record.attempts?.[record.attempts.length - 1]?.errorCode ?? 'an unknown error'}`);
    const notify = record.notify;
    if (notify !== undefined) {
      record.notify = undefined;
      notify((record.cachedResult = resultOf(record)));
    }
    this.#flushes.finished(record.epoch);
    if (this.#waitersHead < this.#waiters.length) this.#admitWaiters();
    if (this.#outstanding === 0) this.#deps.onBusyChanged();
    const lane = record.lane;
    if (lane !== undefined) {
      // Ordered delivery: the record's lane may now send the next Kinesis record of its shard.
      record.lane = undefined;
      lane.settled(record);
    }
  }
}
