/**
 * `SyncProducer`: the blocking face of the producer. The producer runs on a worker thread;
 * records reach it through a shared ring; every call that must wait blocks in `Atomics.wait`.
 */
import { ProducerClosedError, ValidationError, validatePutRecordInput, type PutRecordInput } from '@tskpl/producer';
import { systemClock } from '../clock/clock.js';
import { ArgumentError, type WorkerExitedError } from '../errors.js';
import { FrameKind } from '../shared/layout.js';
import type { SyncPutRecordInput, SyncPutRecordOptions } from '../shared/record-input.js';
import { RingWriter } from '../shared/ring-writer.js';
import { resolveSyncBridgeConfig, type SyncBridgeConfig, type SyncProducerOptions } from './options.js';
import { SyncOutcome } from './sync-outcome.js';
import { checkTimeout } from './wait-loop.js';
import { WorkerLink, type LinkListener } from './worker-link.js';

type Lifecycle = 'open' | 'closing' | 'closed';

/**
 * A producer for code that cannot `await`. Each blocking method blocks the calling thread (never
 * its event loop's callbacks: nothing on the blocking path needs them) and throws
 * `TimeoutError` when its timeout elapses, leaving the producer usable.
 *
 * ```ts
 * const producer = new SyncProducer({ region: 'us-east-1' });
 * const outcome = producer.putRecord({ streamName: 'orders', partitionKey: 'k', data });
 * outcome.wait().successful;
 * producer.close();
 * ```
 */
export class SyncProducer {
  readonly #config: SyncBridgeConfig;
  readonly #link: WorkerLink;
  /** Records put and not settled yet, by id, in id order (so the first key is the oldest). */
  readonly #pending = new Map<number, SyncOutcome>();
  readonly #onExit: () => void;
  #lastId = 0;
  #lifecycle: Lifecycle = 'open';

  /**
   * Starts the worker and blocks until its producer is ready. Throws `ConfigError` (the same
   * class as the async producer's) for bad options, whether found here or by the worker.
   */
  constructor(options: SyncProducerOptions = {}) {
    this.#config = resolveSyncBridgeConfig(options);
    const listener: LinkListener = {
      settled: (id, result) => this.#take(id)?.resolve(result),
      rejected: (id, error) => this.#take(id)?.reject(error),
      died: (error) => this.#failPending(error),
    };
    this.#link = new WorkerLink(this.#config, systemClock, listener);
    const link = this.#link;
    link.waitUntilReady(this.#config.startupTimeoutMs);
    this.#onExit = () => this.#closeOnExit();
    process.on('exit', this.#onExit);
  }

  /** Records put whose outcome has not arrived yet. Never blocks. */
  get outstandingRecords(): number {
    this.#link.drain();
    return this.#pending.size;
  }

  /**
   * Hands a record to the worker and returns its outcome at once. Blocks only while the ring is
   * full (the worker's producer is applying backpressure), for at most `options.timeoutMs`
   * (default `putRecordTimeoutMs`). Throws `ValidationError` for input that cannot be framed
   * (other checks happen in the worker and surface from `wait()`), `TimeoutError` when no room
   * came in time (the record was not admitted; call again), `ProducerClosedError` after
   * `close()`, `WorkerExitedError` once the worker is gone.
   */
  putRecord(input: SyncPutRecordInput, options?: SyncPutRecordOptions): SyncOutcome {
    const limit = this.#putTimeout(options);
    this.#assertOpen();
    // The producer's own checks, here on the caller's thread: bad input throws at once, as in the async API.
    validatePutRecordInput(input as PutRecordInput, maxUserRecordSizeOf(this.#config.producerOptions));
    const { stream, isArn } = checkFramable(input);
    const link = this.#link;
    link.drain();
    // The id is taken only once the frame is in the ring: a put that times out leaves no trace.
    const id = this.#lastId + 1;
    const writer = link.writer;
    const bound = RingWriter.recordFrameBound(input, stream);
    if (bound <= writer.maxInlineFrameBytes) {
      if (writer.writeRecord(id, input, stream, isArn, bound) === 'full') {
        link.block('putRecord', limit, () => writer.writeRecord(id, input, stream, isArn, bound) === 'written');
      }
    } else {
      // The frame first (it may time out), then the body: the worker reads neither before publish().
      this.#writeBare(FrameKind.recordViaPort, id, limit);
      link.postBody({ id, input: { ...input } });
    }
    this.#lastId = id;
    const outcome = new SyncOutcome(link, id);
    this.#pending.set(id, outcome);
    writer.publish();
    return outcome;
  }

  /**
   * Blocks until every record put before this call has its outcome. Throws `TimeoutError` after
   * `timeoutMs` (the flush goes on; call again), `WorkerExitedError` once the worker is gone.
   */
  flush(timeoutMs?: number): void {
    const limit = checkTimeout('flush', timeoutMs);
    if (this.#lifecycle === 'closed') return;
    this.#throwIfDead();
    const mark = this.#lastId;
    const started = systemClock.now();
    if (this.#lifecycle === 'open' && !this.#settledUpTo(mark)) {
      this.#writeBare(FrameKind.flush, mark, limit);
      this.#link.writer.publish();
    }
    const left = Math.max(0, limit - (systemClock.now() - started));
    this.#link.block('flush', left, () => this.#settledUpTo(mark));
  }

  /**
   * Flushes, closes the worker's producer and lets the worker exit. Idempotent. Throws
   * `TimeoutError` after `timeoutMs` (closing goes on; call again to keep waiting).
   */
  close(timeoutMs?: number): void {
    this.#close(checkTimeout('close', timeoutMs), true);
  }

  #close(limit: number, watchHeartbeat: boolean): void {
    if (this.#lifecycle === 'closed') return;
    const link = this.#link;
    if (link.death !== undefined) {
      this.#finish();
      throw link.death;
    }
    const started = systemClock.now();
    if (this.#lifecycle === 'open') {
      this.#writeBare(FrameKind.close, this.#lastId, limit, watchHeartbeat);
      link.writer.publish();
      this.#lifecycle = 'closing';
    }
    const left = Math.max(0, limit - (systemClock.now() - started));
    try {
      link.block('close', left, () => link.isClosed(), { watchHeartbeat });
    } catch (error) {
      if (link.death !== undefined) this.#finish();
      throw error;
    }
    link.drain();
    this.#finish();
    const closeError = link.closeError();
    if (closeError !== undefined) throw closeError;
  }

  #putTimeout(options: SyncPutRecordOptions | undefined): number {
    if (options === undefined) return this.#config.putRecordTimeoutMs;
    if (typeof options !== 'object' || options === null) {
      throw new ArgumentError('options', `SyncProducer putRecord(input, options): got ${describeValue(options)}; expected an object { timeoutMs? } or undefined.`);
    }
    return options.timeoutMs === undefined ? this.#config.putRecordTimeoutMs : checkTimeout('putRecord', options.timeoutMs);
  }

  #writeBare(kind: number, id: number, timeoutMs: number, watchHeartbeat = true): void {
    const writer = this.#link.writer;
    if (writer.writeBare(kind, id) === 'full') {
      const operation = kind === FrameKind.close ? 'close' : kind === FrameKind.flush ? 'flush' : 'putRecord';
      this.#link.block(operation, timeoutMs, () => writer.writeBare(kind, id) === 'written', { watchHeartbeat });
    }
  }

  /** Removes and returns a pending outcome (undefined when unknown). */
  #take(id: number): SyncOutcome | undefined {
    const outcome = this.#pending.get(id);
    if (outcome !== undefined) this.#pending.delete(id);
    return outcome;
  }

  #settledUpTo(mark: number): boolean {
    if (this.#pending.size === 0) return true;
    const oldest = this.#pending.keys().next().value as number;
    return oldest > mark;
  }

  #assertOpen(): void {
    if (this.#lifecycle !== 'open') throw new ProducerClosedError('The SyncProducer is closed; putRecord is not allowed after close().');
    this.#throwIfDead();
  }

  #throwIfDead(): void {
    this.#link.throwIfDead();
  }

  #failPending(error: WorkerExitedError): void {
    for (const outcome of this.#pending.values()) outcome.reject(error);
    this.#pending.clear();
  }

  #finish(): void {
    this.#lifecycle = 'closed';
    process.off('exit', this.#onExit);
    this.#link.terminate();
  }

  /** Process exit with the producer still open: close it with a bounded flush. */
  #closeOnExit(): void {
    if (this.#lifecycle === 'closed') return;
    if (this.#link.death !== undefined) {
      // Already reported to the caller by every call since the worker died.
      this.#finish();
      return;
    }
    try {
      // Bounded by exitFlushTimeoutMs alone: a worker busy for a moment still gets its records out.
      this.#close(this.#config.exitFlushTimeoutMs, false);
    } catch (error) {
      const lost = this.#pending.size;
      process.stderr.write(`@tskpl/sync-bridge: closing an unclosed SyncProducer at process exit failed (${(error as Error).message}); ${lost} record(s) had no outcome.\n`);
      this.#finish();
    }
  }
}

/** Checks what framing needs (strings and bytes); the worker's producer validates the rest. */
function checkFramable(input: SyncPutRecordInput): { stream: string; isArn: boolean } {
  if (typeof input !== 'object' || input === null) {
    throw new ValidationError('ERR_INVALID_DATA', 'input', `putRecord expects an object; got ${describeValue(input)}.`);
  }
  const { streamName, streamARN, partitionKey, data, explicitHashKey } = input;
  if (!(data instanceof Uint8Array)) {
    throw new ValidationError('ERR_INVALID_DATA', 'data', `Invalid data: got ${describeValue(data)}; expected a Uint8Array (a Buffer is one).`);
  }
  if (typeof partitionKey !== 'string') {
    throw new ValidationError('ERR_INVALID_PARTITION_KEY', 'partitionKey', `Invalid partitionKey: got ${describeValue(partitionKey)}; expected a string of 1 … 256 characters.`);
  }
  if (explicitHashKey !== undefined && typeof explicitHashKey !== 'string') {
    throw new ValidationError('ERR_INVALID_EXPLICIT_HASH_KEY', 'explicitHashKey', `Invalid explicitHashKey: got ${describeValue(explicitHashKey)}; expected a decimal string.`);
  }
  if (streamARN !== undefined) {
    if (typeof streamARN !== 'string') throw new ValidationError('ERR_INVALID_STREAM', 'streamARN', `Invalid streamARN: got ${describeValue(streamARN)}; expected a string.`);
    return { stream: streamARN, isArn: true };
  }
  if (streamName === undefined || streamName === null) throw new ValidationError('ERR_MISSING_STREAM', 'streamName', 'A streamName or streamARN is required.');
  if (typeof streamName !== 'string') throw new ValidationError('ERR_INVALID_STREAM', 'streamName', `Invalid streamName: got ${describeValue(streamName)}; expected a string.`);
  return { stream: streamName, isArn: false };
}

/** Short description of a value for messages (never its contents). */
function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (typeof value === 'string') return value.length > 64 ? `a string of ${value.length} characters` : JSON.stringify(value);
  if (typeof value === 'object') return `an object (${(value as object).constructor?.name ?? 'Object'})`;
  return typeof value === 'function' ? 'a function' : String(value);
}

function maxUserRecordSizeOf(options: Record<string, unknown>): number | undefined {
  const value = options.maxUserRecordSize;
  return typeof value === 'number' ? value : undefined;
}
