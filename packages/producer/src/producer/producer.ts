/**
 * The Producer: lifecycle (open → closing → closed), admission (validation, copy on admission,
 * event-loop fairness) and wiring. A record's life after admission belongs to the settlement
 * (record/settlement.ts) and the stages; docs/architecture.md walks one record through them.
 */
import type { Writable } from 'node:stream';
import type { Clock, Timer } from '../clock/clock.js';
import { resolveProducerConfig, type ProducerConfig, type ProducerOptions } from '../config/config.js';
import { createIncidentLog, type IncidentLog } from '../config/incident-log.js';
import { ArgumentError, describeValue, ProducerClosedError, TimeoutError } from '../errors/errors.js';
import { createMetrics, type Metrics } from '../metrics/metrics.js';
import type { MetricName } from '../metrics/sink.js';
import type { MetricSnapshot } from '../metrics/snapshot.js';
import { createStreamPipeline, DEFAULT_MAX_RECORD_BYTES, type StreamPipeline } from '../pipeline/stream-pipeline.js';
import type { Outcome } from '../record/outcome.js';
import { Settlement } from '../record/settlement.js';
import { userRecordBytesOf, type UserRecordState } from '../record/user-record.js';
import { createRetrier, type Retrier } from '../retrier/retrier.js';
import { createSender, type Sender } from '../sender/sender.js';
import { createSdkTransport } from '../transport/sdk-transport.js';
import type { KinesisTransport, StreamRef } from '../transport/transport.js';
import { ByteSlab } from './byte-slab.js';
import { checkStreamRecordSize, validateInput, type PutRecordInput } from './validate.js';
import { createRecordWritable, type RecordWritableOptions } from './writable.js';

type LifecycleState = 'open' | 'closing' | 'closed';

/** A Kinesis producer: the KPL's pipeline, in-process. See the package README for every option. */
export class Producer {
  readonly #config: ProducerConfig;
  readonly #clock: Clock;
  readonly #transport: KinesisTransport;
  readonly #metrics: Metrics;
  /** Pipelines by stream key (a name or an ARN); a stream known both ways has two keys for one pipeline. */
  readonly #pipelines = new Map<string, StreamPipeline>();
  /** Each pipeline once. */
  readonly #streams = new Set<StreamPipeline>();
  readonly #sender: Sender;
  readonly #retrier: Retrier;
  readonly #settlement: Settlement;
  readonly #incidents: IncidentLog;
  readonly #validationMemo = { lastValidName: '', lastValidArn: '' };
  readonly #slab = new ByteSlab();
  #state: LifecycleState = 'open';
  #idleSweep: Timer | undefined;
  #closing: Promise<void> | undefined;
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
    this.#incidents = createIncidentLog(this.#clock, config.logger);
    this.#settlement = new Settlement({
      clock: this.#clock,
      recorder: this.#metrics.recorder,
      incidents: this.#incidents,
      maxOutstandingRecords: config.maxOutstandingRecords,
      maxOutstandingBytes: config.maxOutstandingBytes,
      maxAttemptHistory: config.maxAttemptHistory,
      recordTtlMs: config.recordTtlMs,
      recordMaxBufferedTimeMs: config.recordMaxBufferedTimeMs,
      onBusyChanged: () => this.#updateHold(),
    });
    // The sender and the retrier refer to each other: the sender hands outcomes to the retrier,
    // the retrier re-sends halves of a bisected batch.
    const resend = { send: (batch: Parameters<Sender['send']>[0]) => this.#sender.send(batch) };
    this.#retrier = createRetrier({
      clock: this.#clock,
      logger: config.logger,
      recorder: this.#metrics.recorder,
      failIfThrottled: config.failIfThrottled,
      retryBufferedTimeMs: config.recordMaxBufferedTimeMs / 2,
      settlement: this.#settlement,
      sender: resend,
      incidents: this.#incidents,
    });
    this.#sender = createSender({
      clock: this.#clock,
      transport: this.#transport,
      maxConnections: config.maxConnections,
      requestTimeoutMs: config.requestTimeoutMs,
      outcomes: this.#retrier,
    });
  }

  /** Records put but without an outcome yet. */
  get outstandingRecords(): number {
    return this.#settlement.outstanding;
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
      this.#slab.copyInto(validated);
      const pipeline = this.#pipelineFor(validated);
      // The record belongs to the flush epoch of the call, even while it waits for room or for the
      // stream's description: a flush() called after this put waits for it.
      this.#settlement.joinEpoch(validated);
      // Larger than any stream's default limit: wait for the stream's own limit before deciding.
      if (userRecordBytesOf(validated) > DEFAULT_MAX_RECORD_BYTES) return this.#putLarge(validated, pipeline);
      try {
        checkStreamRecordSize(validated, pipeline.maxRecordBytes);
      } catch (error) {
        this.#settlement.leaveEpoch(validated);
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
      throw new ArgumentError('timeoutMs', `Invalid timeoutMs: got ${describeValue(timeoutMs)}; expected a number of milliseconds ≥ 0.`);
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
    const done = this.#settlement.flush();
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

  /** `await using producer = new Producer(…)`: the same as {@link Producer.close}. */
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
    while (this.#settlement.busy || this.#pendingCalls > 0) {
      if (this.#settlement.busy) await this.#flushRecords();
      else await new Promise<void>((resolve) => this.#nextMacrotask(resolve));
    }
    this.#state = 'closed';
    this.#idleSweep?.cancel();
    this.#idleSweep = undefined;
    for (const pipeline of this.#streams) pipeline.close();
    this.#retrier.close();
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
    const busy = this.#settlement.busy || this.#pendingCalls > 0 || this.#state === 'closing';
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
        sender: this.#sender,
        retrier: this.#retrier,
        settlement: this.#settlement,
        incidents: this.#incidents,
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

  /**
   * A record larger than any stream's default limit waits for the stream's own limit (from
   * DescribeStreamSummary) before it is admitted or rejected. Its own method, so that the closures
   * here cost `putRecord`'s common path nothing. close() waits for these calls; one that finds the
   * producer closing rejects.
   */
  #putLarge(validated: UserRecordState, pipeline: StreamPipeline): Promise<Outcome> {
    this.#pendingCalls++;
    this.#updateHold();
    return pipeline.described.then(() => {
      try {
        if (this.#state !== 'open') throw new ProducerClosedError();
        checkStreamRecordSize(validated, pipeline.maxRecordBytes);
      } catch (error) {
        this.#settlement.leaveEpoch(validated);
        throw error;
      }
      return this.#admitOrWait(validated, pipeline);
    }).finally(() => {
      this.#pendingCalls--;
      this.#updateHold();
    });
  }

  #admitOrWait(record: UserRecordState, pipeline: StreamPipeline): Promise<Outcome> {
    const outcome = this.#settlement.tryAdmit(record, pipeline);
    if (outcome === undefined) return this.#settlement.admitWhenRoom(record, pipeline);
    const turn = this.#admitted();
    return turn === undefined ? Promise.resolve(outcome) : turn.then(() => outcome);
  }

  /** A slice of admissions starts: its end is the next macrotask (a method of its own, so that its closures are made once per slice, not per record). */
  #startSlice(): void {
    this.#sliceStartedAt = this.#clock.now();
    this.#nextTurn = new Promise<void>((resolve) => {
      this.#nextMacrotask(() => {
        this.#sliceAdmissions = 0;
        this.#nextTurn = undefined;
        resolve();
      });
    });
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
      this.#startSlice();
      return undefined;
    }
    if (count >= SLICE_MAX_RECORDS || ((count & 63) === 0 && this.#clock.now() - this.#sliceStartedAt >= SLICE_MAX_MS)) return this.#nextTurn;
    return undefined;
  }
}

const EMPTY = new Uint8Array(0);

/** Event-loop fairness: longest run of synchronous admissions before one resolves on a macrotask, ms. */
export const SLICE_MAX_MS = 4;
/** Event-loop fairness: most synchronous admissions before one resolves on a macrotask. */
export const SLICE_MAX_RECORDS = 8192;
