/**
 * The Producer: validates and admits records (with backpressure), routes them through one
 * pipeline per stream, sends through a shared sender and settles every record exactly once.
 */
import type { Clock } from '../clock/clock.js';
import type { PutRecordsBatch } from '../collector/collector.js';
import { resolveProducerConfig, type ProducerConfig, type ProducerOptions } from '../config/config.js';
import { ProducerClosedError, TimeoutError } from '../errors/errors.js';
import type { Timer } from '../clock/clock.js';
import { noopRecorder, type MetricsRecorder } from '../metrics/recorder.js';
import { createMetrics, type Metrics } from '../metrics/metrics.js';
import type { MetricName } from '../metrics/sink.js';
import type { MetricSnapshot } from '../metrics/snapshot.js';
import { single } from '../aggregator/aggregator.js';
import { createDelayQueue, type DelayQueue } from '../pipeline/delay-queue.js';
import { createStreamPipeline, DEFAULT_MAX_RECORD_BYTES, type StreamPipeline } from '../pipeline/stream-pipeline.js';
import type { KinesisRecordState, RequestTiming, UserRecordState } from '../pipeline/types.js';
import { shardIdOf } from '../pipeline/types.js';
import { createRetrier, type Retrier } from '../retrier/retrier.js';
import { createSender, type Sender } from '../sender/sender.js';
import { createSdkTransport } from '../transport/sdk-transport.js';
import type { KinesisTransport, StreamRef } from '../transport/transport.js';
import { appendAttempt } from './attempts.js';
import { createFlushTracker, type FlushTracker } from './flush-tracker.js';
import { createIncidentLog, type IncidentLog } from './incident-log.js';
import { ByteSlab } from './byte-slab.js';
import { Outcome } from './outcome.js';
import { checkStreamRecordSize, validateInput, type PutRecordInput } from './validate.js';
import { describeValue, ValidationError } from '../errors/errors.js';
import { createRecordWritable, type RecordWritableOptions } from './writable.js';
import type { Writable } from 'node:stream';

type LifecycleState = 'open' | 'closing' | 'closed';

interface AdmissionWaiter {
  readonly input: UserRecordState;
  readonly pipeline: StreamPipeline;
  resolve(outcome: Outcome): void;
}

/** A Kinesis producer: the KPL's pipeline, in-process. See the package README for every option. */
export class Producer {
  readonly #config: ProducerConfig;
  readonly #clock: Clock;
  readonly #transport: KinesisTransport;
  readonly #metrics: Metrics;
  readonly #recorder: MetricsRecorder;
  /** Pipelines by stream key (a name or an ARN); a stream known both ways has two keys for one pipeline. */
  readonly #pipelines = new Map<string, StreamPipeline>();
  /** Each pipeline once. */
  readonly #streams = new Set<StreamPipeline>();
  readonly #sender: Sender;
  readonly #retrier: Retrier;
  readonly #retryQueue: DelayQueue<UserRecordState>;
  readonly #flushTracker: FlushTracker = createFlushTracker();
  readonly #waiters: AdmissionWaiter[] = [];
  readonly #incidents: IncidentLog;
  readonly #validationMemo = { lastValidName: '', lastValidArn: '' };
  readonly #slab = new ByteSlab();
  #waitersHead = 0;
  #state: LifecycleState = 'open';
  #idleSweep: Timer | undefined;
  #closing: Promise<void> | undefined;
  #outstanding = 0;
  #outstandingBytes = 0;
  /** Calls in progress that the caller awaits with no record outstanding yet (large-record admission, `ready()`). */
  #pendingCalls = 0;
  /** The one ref'd handle that keeps the process alive while work is pending (see #updateHold). */
  #hold: Timer | undefined;
  /** Admissions since the event loop last turned (see #admitted). */
  #sliceAdmissions = 0;
  #sliceStartedAt = 0;
  /** Resolves on the next macrotask; created once per slice. */
  #nextTurn: Promise<void> | undefined;

  /** Validates every option; throws a ConfigError naming the option, the value and the allowed range. */
  constructor(options: ProducerOptions = {}) {
    const config = resolveProducerConfig(options);
    this.#config = config;
    this.#clock = config.clock;
    this.#transport = config.transport ?? createSdkTransport({
      region: config.region,
      endpoint: config.endpoint,
      credentials: config.credentials,
      kinesisClient: config.kinesisClient,
      maxConnections: config.maxConnections,
      requestTimeoutMs: config.requestTimeoutMs,
      connectTimeoutMs: config.connectTimeoutMs,
    });
    this.#metrics = createMetrics({
      level: config.metricsLevel,
      granularity: config.metricsGranularity,
      uploadDelayMs: config.metricsUploadDelayMs,
      sink: config.metricsSink,
      logger: config.logger,
      clock: this.#clock,
      pendingByStream: () => this.#pendingByStream(),
      region: config.kinesisClient?.config.region ?? config.region,
      credentials: config.kinesisClient?.config.credentials ?? config.credentials,
    });
    this.#recorder = this.#metrics.recorder;
    this.#incidents = createIncidentLog(this.#clock, config.logger);
    this.#retryQueue = createDelayQueue(this.#clock, (record) => this.#retryDue(record));
    this.#retrier = createRetrier({
      clock: this.#clock,
      logger: config.logger,
      recorder: this.#recorder,
      failIfThrottled: config.failIfThrottled,
      shardMapOf: (stream) => this.#pipelines.get(stream)?.shardMap,
      onThrottled: (stream, shard, seenAt) => this.#pipelines.get(stream)?.limiter.onThrottled(shard, seenAt),
      addAttempt: (record, timing, successful, errorCode, errorMessage) => this.#addAttempt(record, timing, successful, errorCode, errorMessage),
      succeed: (record, timing, shardId, sequenceNumber, subSequenceNumber) => {
        record.attemptCount++;
        record.successTiming = timing;
        record.successDelayMs = Math.max(0, timing.startedAt - record.lastAttemptEndedAt);
        record.lastAttemptEndedAt = timing.endedAt;
        record.successful = true;
        record.shardId = shardId;
        record.sequenceNumber = sequenceNumber;
        record.subSequenceNumber = subSequenceNumber;
        this.#finish(record);
      },
      fail: (record) => this.#finish(record),
      expire: (record, message) => this.#failNow(record, 'Expired', message),
      retry: (record, delayMs) => this.#retryQueue.add(record, Math.min(this.#clock.now() + delayMs, record.expiresAt + 1)),
      resend: (batch) => this.#sender.send(batch),
      splitAggregate: (record) => record.records.map((member) => single(record.stream, member)),
      noteIncident: (what, count) => this.#incidents.count(what, count),
    });
    this.#sender = createSender({
      clock: this.#clock,
      transport: this.#transport,
      maxConnections: config.maxConnections,
      requestTimeoutMs: config.requestTimeoutMs,
      streamRefOf: (stream) => this.#pipelines.get(stream)?.ref ?? { streamName: stream },
      prepare: (batch) => this.#prepare(batch),
      onResponse: (batch, response, timing) => this.#retrier.onResponse(batch, response, timing),
      onError: (batch, error, timing) => this.#retrier.onError(batch, error, timing),
      onInternalError: (batch, error) => {
        const message = `The producer failed to handle a PutRecords outcome: ${error instanceof Error ? error.message : String(error)}`;
        this.#incidents.count(`records failed with an internal error (${message})`);
        for (const record of batch.records) for (const member of record.records) this.#failNow(member, 'InternalError', message);
      },
    });
  }

  /** Records put but without an outcome yet. */
  get outstandingRecords(): number {
    return this.#outstanding;
  }

  /**
   * Validates and admits a record. Resolves with its {@link Outcome} once admitted — at once,
   * or when `maxOutstandingRecords`/`maxOutstandingBytes` leave room (backpressure). Rejects with
   * a ValidationError (nothing buffered) or ProducerClosedError.
   */
  putRecord(input: PutRecordInput): Promise<Outcome> {
    try {
      if (this.#state !== 'open') throw new ProducerClosedError();
      const validated = validateInput(input, this.#config.maxUserRecordSize, this.#validationMemo);
      validated.data = this.#slab.copy(validated.data);
      const pipeline = this.#pipelineFor(validated);
      // The record belongs to the flush epoch of the call, even while it waits for room or for the
      // stream's description: a flush() called after this put waits for it.
      const epoch = this.#flushTracker.current;
      epoch.unfinished++;
      validated.epoch = epoch;
      if (validated.data.length + validated.partitionKeyBytes > DEFAULT_MAX_RECORD_BYTES) {
        // Larger than any stream's default limit: wait for the stream's own limit before deciding.
        // close() waits for these calls; one that finds the producer closing rejects.
        this.#pendingCalls++;
        this.#updateHold();
        return pipeline.described.then(() => {
          try {
            if (this.#state !== 'open') throw new ProducerClosedError();
            checkStreamRecordSize(validated, pipeline.maxRecordBytes);
          } catch (error) {
            this.#flushTracker.finished(epoch);
            throw error;
          }
          return this.#admitOrWait(validated, pipeline);
        }).finally(() => {
          this.#pendingCalls--;
          this.#updateHold();
        });
      }
      try {
        checkStreamRecordSize(validated, pipeline.maxRecordBytes);
      } catch (error) {
        this.#flushTracker.finished(epoch);
        throw error;
      }
      return this.#admitOrWait(validated, pipeline);
    } catch (error) {
      return Promise.reject(error);
    }
  }

  /**
   * Resolves when every record put before the call has its outcome; metrics are not uploaded (as
   * in the KPL). Sends buffered records now (rate limits still apply).
   */
  async flush(): Promise<void> {
    await this.#flushRecords();
  }

  /**
   * Local statistics of the KPL metric set, whatever the sink (like the KPL's `getMetrics`):
   * cumulative since start, or over the last `windowSeconds` (1 … 60). Empty when `metricsLevel` is `none`.
   */
  getMetrics(name?: MetricName, windowSeconds?: number): MetricSnapshot[] {
    return this.#metrics.getMetrics(name, windowSeconds);
  }

  /**
   * Resolves once records to `stream` (a name or an ARN) can be routed to shards: its shard map
   * is ready. Rejects with a ShardMapError when ListShards fails for a reason retrying cannot fix
   * (e.g. `ResourceNotFoundException`), and with a TimeoutError after `timeoutMs` (default
   * `recordTtlMs`). Optional, for health checks: records put before the map is ready wait for
   * it and are aggregated, so speed never needs this.
   */
  async ready(stream: string, options: { timeoutMs?: number } = {}): Promise<void> {
    if (this.#state !== 'open') throw new ProducerClosedError();
    const timeoutMs = options.timeoutMs ?? this.#config.recordTtlMs;
    if (typeof timeoutMs !== 'number' || !Number.isFinite(timeoutMs) || timeoutMs < 0) {
      throw new ValidationError('ERR_INVALID_DATA', 'timeoutMs', `Invalid timeoutMs: got ${describeValue(timeoutMs)}; expected a number of milliseconds ≥ 0.`);
    }
    const reference = stream.startsWith('arn:') ? { streamARN: stream, partitionKey: 'ready', data: EMPTY } : { streamName: stream, partitionKey: 'ready', data: EMPTY };
    const pipeline = this.#pipelineFor(validateInput(reference, this.#config.maxUserRecordSize, { lastValidName: '', lastValidArn: '' }));
    let timer: Timer | undefined;
    this.#pendingCalls++;
    this.#updateHold();
    try {
      await Promise.race([
        pipeline.ready(),
        new Promise<never>((_, reject) => {
          timer = this.#clock.setTimer(timeoutMs, () => reject(new TimeoutError(`The shard map of ${stream} was not ready within ${timeoutMs} ms.`, timeoutMs)));
        }),
      ]);
    } finally {
      timer?.cancel();
      this.#pendingCalls--;
      this.#updateHold();
    }
  }

  #flushRecords(): Promise<void> {
    const done = this.#flushTracker.flush();
    for (const pipeline of this.#streams) pipeline.flush();
    return done;
  }

  *#pendingByStream(): Iterable<readonly [string, number]> {
    for (const pipeline of this.#streams) yield [pipeline.streamName, pipeline.outstanding];
  }

  /** Flushes, waits for every outcome, then releases timers and connections. Idempotent. */
  close(): Promise<void> {
    this.#closing ??= this.#close();
    return this.#closing;
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }

  /** A Writable (object mode) that puts each written record; backpressure follows the producer's. */
  writable(options: RecordWritableOptions): Writable {
    return createRecordWritable(this, options);
  }

  async #close(): Promise<void> {
    if (this.#state === 'open') this.#state = 'closing';
    this.#updateHold();
    while (this.#outstanding > 0 || this.#waitersHead < this.#waiters.length || this.#pendingCalls > 0) {
      if (this.#outstanding > 0 || this.#waitersHead < this.#waiters.length) await this.#flushRecords();
      else await new Promise<void>((resolve) => this.#nextMacrotask(resolve));
    }
    this.#state = 'closed';
    this.#idleSweep?.cancel();
    this.#idleSweep = undefined;
    for (const pipeline of this.#streams) pipeline.close();
    this.#retryQueue.clear();
    this.#transport.destroy();
    this.#incidents.close();
    try {
      await this.#metrics.close();
    } finally {
      this.#updateHold();
    }
  }

  /**
   * Holds one ref'd handle while a caller relies on pending work (records without an outcome,
   * puts waiting for room, a pending `close()`, `ready()` or large-record admission) and none
   * otherwise: a script may simply end and its records are sent first, and an idle producer
   * never keeps a process alive. Every stage's own timers are unref'ed.
   */
  #updateHold(): void {
    const busy = this.#outstanding > 0 || this.#waitersHead < this.#waiters.length || this.#pendingCalls > 0 || this.#state === 'closing';
    if (busy) {
      this.#hold ??= this.#clock.hold?.();
    } else if (this.#hold !== undefined) {
      this.#hold.cancel();
      this.#hold = undefined;
    }
  }

  #nextMacrotask(callback: () => void): void {
    if (this.#clock.immediate !== undefined) this.#clock.immediate(callback);
    else this.#clock.setTimer(0, callback);
  }

  /**
   * One pipeline per stream, whichever way it is addressed: a pipeline created for a name learns
   * its stream's ARN from DescribeStreamSummary, and a later put by that ARN joins it (and the
   * other way round), so both share one shard map and one rate limit.
   */
  #pipelineFor(input: UserRecordState): StreamPipeline {
    let pipeline = this.#pipelines.get(input.stream);
    if (pipeline === undefined && input.stream !== input.streamName) {
      for (const candidate of this.#streams) {
        if (candidate.streamARN === input.stream) {
          pipeline = candidate;
          this.#pipelines.set(input.stream, candidate);
          break;
        }
      }
    }
    if (pipeline === undefined) {
      const ref: StreamRef = input.stream === input.streamName ? { streamName: input.stream } : { streamARN: input.stream };
      pipeline = createStreamPipeline({
        stream: input.stream,
        streamName: input.streamName,
        ref,
        config: this.#config,
        clock: this.#clock,
        transport: this.#transport,
        send: (batch) => this.#sender.send(batch),
        expired: (record, where) => this.#retrier.onExpiredBeforeSend(record, where),
        fail: (record, errorCode, errorMessage) => this.#failNow(record, errorCode, errorMessage),
        // Epochs change only when a flush closes one, and that flush waits for every record of it.
        urgent: (record) => record.epoch !== this.#flushTracker.current,
        noteIncident: (what, count) => this.#incidents.count(what, count),
        described: (created, streamARN) => this.#learnArn(created, streamARN),
      });
      this.#pipelines.set(input.stream, pipeline);
      this.#streams.add(pipeline);
      this.#armIdleSweep();
    }
    return pipeline;
  }

  /** One timer for all streams, armed while any pipeline exists (unref'ed: it never keeps a process alive). */
  #armIdleSweep(): void {
    if (this.#idleSweep !== undefined || this.#streams.size === 0 || this.#state === 'closed') return;
    this.#idleSweep = this.#clock.setTimer(this.#config.streamIdleTimeoutMs / 2, () => {
      this.#idleSweep = undefined;
      this.#releaseIdleStreams();
      this.#armIdleSweep();
    });
  }

  /** Releases the pipelines (shard map, limiter, timers) of streams with nothing outstanding for `streamIdleTimeoutMs`. */
  #releaseIdleStreams(): void {
    const now = this.#clock.now();
    for (const pipeline of this.#streams) {
      if (pipeline.outstanding > 0 || now - pipeline.lastUsedAt < this.#config.streamIdleTimeoutMs) continue;
      this.#streams.delete(pipeline);
      for (const [key, value] of this.#pipelines) if (value === pipeline) this.#pipelines.delete(key);
      pipeline.close();
    }
  }

  #learnArn(pipeline: StreamPipeline, streamARN: string): void {
    if (pipeline.stream === streamARN) return;
    const existing = this.#pipelines.get(streamARN);
    if (existing === undefined) this.#pipelines.set(streamARN, pipeline);
    // The stream was first addressed by its ARN: later puts by name join that pipeline; this one drains.
    else if (existing !== pipeline) this.#pipelines.set(pipeline.stream, existing);
  }

  #hasRoom(bytes: number): boolean {
    if (this.#outstanding === 0) return true;
    return this.#outstanding < this.#config.maxOutstandingRecords && this.#outstandingBytes + bytes <= this.#config.maxOutstandingBytes;
  }

  #admitOrWait(input: UserRecordState, pipeline: StreamPipeline): Promise<Outcome> {
    if (this.#waitersHead === this.#waiters.length && this.#hasRoom(input.data.length + input.partitionKeyBytes)) {
      const outcome = this.#admit(input, pipeline);
      const turn = this.#admitted();
      return turn === undefined ? Promise.resolve(outcome) : turn.then(() => outcome);
    }
    const waiting = new Promise<Outcome>((resolve) => {
      this.#waiters.push({ input, pipeline, resolve });
    });
    this.#updateHold();
    return waiting;
  }

  /**
   * Event-loop fairness. `await putRecord` resolving on a microtask would let a caller's tight
   * loop hold the thread until backpressure, starving responses, the shard map and timers. So
   * each slice of synchronous admissions (from one turn of the event loop to the next) is
   * bounded: past SLICE_MAX_MS or SLICE_MAX_RECORDS, admission resolves on the next macrotask.
   * Costs one promise and one `setImmediate` per slice, none per record.
   * @returns the promise to resolve after, or undefined to resolve at once
   */
  #admitted(): Promise<void> | undefined {
    const count = ++this.#sliceAdmissions;
    if (count === 1) {
      this.#sliceStartedAt = this.#clock.now();
      this.#nextTurn = new Promise<void>((resolve) => {
        this.#nextMacrotask(() => {
          this.#sliceAdmissions = 0;
          this.#nextTurn = undefined;
          resolve();
        });
      });
      return undefined;
    }
    if (count >= SLICE_MAX_RECORDS || ((count & 63) === 0 && this.#clock.now() - this.#sliceStartedAt >= SLICE_MAX_MS)) return this.#nextTurn;
    return undefined;
  }

  #admitWaiters(): void {
    const waiters = this.#waiters;
    while (this.#waitersHead < waiters.length) {
      const waiter = waiters[this.#waitersHead]!;
      if (!this.#hasRoom(waiter.input.data.length + waiter.input.partitionKeyBytes)) return;
      waiters[this.#waitersHead++] = undefined as unknown as AdmissionWaiter;
      waiter.resolve(this.#admit(waiter.input, waiter.pipeline));
    }
    waiters.length = 0;
    this.#waitersHead = 0;
  }

  #admit(record: UserRecordState, pipeline: StreamPipeline): Outcome {
    const now = this.#clock.now();
    const expiresAt = now + this.#config.recordTtlMs;
    this.#outstanding++;
    this.#outstandingBytes += record.data.length + record.partitionKeyBytes;
    record.arrivedAt = now;
    record.lastAttemptEndedAt = now;
    record.expiresAt = expiresAt;
    record.deadline = Math.min(now + this.#config.recordMaxBufferedTimeMs, expiresAt);
    record.owner = pipeline;
    pipeline.outstanding++;
    pipeline.lastUsedAt = now;
    if (this.#hold === undefined) this.#updateHold();
    this.#recorder.userRecordReceived(record.streamName);
    pipeline.accept(record);
    return new Outcome(record, this.#config.maxAttemptHistory);
  }

  #prepare(batch: PutRecordsBatch): PutRecordsBatch | undefined {
    const now = this.#clock.now();
    let expired = false;
    for (const record of batch.records) if (now > record.expiresAt) expired = true;
    if (!expired) return batch;
    const kept: KinesisRecordState[] = [];
    let bytes = 0;
    for (const record of batch.records) {
      if (now > record.expiresAt) {
        this.#retrier.onExpiredBeforeSend(record, 'the send queue');
      } else {
        kept.push(record);
        bytes += record.data.length + (record.records.length === 1 ? record.records[0]!.partitionKeyBytes : 1);
      }
    }
    return kept.length === 0 ? undefined : { stream: batch.stream, records: kept, bytes };
  }

  #retryDue(record: UserRecordState): void {
    const now = this.#clock.now();
    if (now > record.expiresAt) {
      this.#failNow(record, 'Expired', 'Record has reached expiration while waiting to be retried');
      return;
    }
    const pipeline = this.#pipelines.get(record.stream);
    if (pipeline === undefined) return;
    record.deadline = Math.min(now + this.#config.recordMaxBufferedTimeMs / 2, record.expiresAt);
    pipeline.accept(record);
  }

  #addAttempt(record: UserRecordState, timing: RequestTiming, successful: boolean, errorCode?: string, errorMessage?: string): void {
    appendAttempt(record, {
      startedAt: timing.startedAtWall,
      endedAt: timing.endedAtWall,
      delayMs: Math.max(0, timing.startedAt - record.lastAttemptEndedAt),
      durationMs: timing.endedAt - timing.startedAt,
      successful,
      errorCode,
      errorMessage,
    }, this.#config.maxAttemptHistory);
    record.lastAttemptEndedAt = timing.endedAt;
  }

  /** Fails a record without a request (expiry, a terminal shard-map failure): one synthetic attempt of duration 0. */
  #failNow(record: UserRecordState, errorCode: string, message: string): void {
    if (record.settled) return;
    const now = this.#clock.now();
    const wall = this.#clock.wallTime();
    appendAttempt(record, {
      startedAt: wall,
      endedAt: wall,
      delayMs: Math.max(0, now - record.lastAttemptEndedAt),
      durationMs: 0,
      successful: false,
      errorCode,
      errorMessage: message,
    }, this.#config.maxAttemptHistory);
    record.lastAttemptEndedAt = now;
    this.#finish(record);
  }

  /** Settles a record exactly once and releases what it held. */
  #finish(record: UserRecordState): void {
    if (record.settled) return;
    record.settled = true;
    const dataBytes = record.data.length;
    this.#outstanding--;
    this.#outstandingBytes -= dataBytes + record.partitionKeyBytes;
    record.data = RELEASED;
    record.owner.outstanding--;
    if (this.#recorder !== noopRecorder) {
      const shardId = record.successful ? record.shardId : record.predictedShard >= 0 ? shardIdOf(record.predictedShard) : undefined;
      this.#recorder.userRecordFinished(record.streamName, shardId, record, dataBytes);
    }
    if (!record.successful) this.#incidents.count(`records failed with ${record.attempts?.[record.attempts.length - 1]?.errorCode ?? 'an unknown error'}`);
    record.notify?.();
    this.#flushTracker.finished(record.epoch);
    if (this.#waitersHead < this.#waiters.length) this.#admitWaiters();
    if (this.#outstanding === 0) this.#updateHold();
  }
}

const RELEASED = new Uint8Array(0);
const EMPTY = new Uint8Array(0);

/** Event-loop fairness: longest run of synchronous admissions before one resolves on a macrotask, ms. */
export const SLICE_MAX_MS = 4;
/** Event-loop fairness: most synchronous admissions before one resolves on a macrotask. */
export const SLICE_MAX_RECORDS = 8192;
