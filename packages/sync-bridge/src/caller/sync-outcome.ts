/**
 * The handle `SyncProducer.putRecord` returns at once. `wait()` blocks the calling thread until
 * the record's final result.
 */
import type { RecordResult } from '@tskpl/producer';
import { checkTimeout } from './wait-loop.js';

/** What an outcome needs from its producer. */
export interface OutcomeHost {
  /** Receives pending results without blocking. */
  drain(): void;
  /** Blocks until `done()` holds or the timeout elapses (TimeoutError) or the worker dies. */
  block(operation: string, timeoutMs: number, done: () => boolean): void;
}

/** The outcome of one record put through a `SyncProducer`. */
export class SyncOutcome {
  /** The record's sequence number in this producer: 1, 2, 3 … never reused. */
  readonly id: number;
  readonly #host: OutcomeHost;
  #result: RecordResult | undefined;
  #error: Error | undefined;

  /** @internal Created by `SyncProducer.putRecord`. */
  constructor(host: OutcomeHost, id: number) {
    this.#host = host;
    this.id = id;
  }

  /** True once the record has its final result (or failed to be admitted). Never blocks. */
  get done(): boolean {
    if (!this.#settled()) this.#host.drain();
    return this.#settled();
  }

  /** The final result once `done`, without blocking; undefined before, or when admission failed. */
  get result(): RecordResult | undefined {
    return this.done ? this.#result : undefined;
  }

  /**
   * Blocks until the record's final result and returns it (the same `RecordResult` as the async
   * API: a failed record is `successful: false`, not an exception). Throws the rebuilt
   * `ValidationError` when the worker's producer refused the record, {@link TimeoutError} after
   * `timeoutMs` (the outcome stays valid: wait again), `WorkerExitedError` if the worker died.
   */
  wait(timeoutMs?: number): RecordResult {
    const limit = checkTimeout('wait', timeoutMs);
    if (!this.#settled()) this.#host.block('wait', limit, () => this.#settled());
    if (this.#error !== undefined) throw this.#error;
    return this.#result as RecordResult;
  }

  /** @internal The worker reported the final result. */
  resolve(result: RecordResult): void {
    if (!this.#settled()) this.#result = result;
  }

  /** @internal The record was refused, or the worker died before it had a result. */
  reject(error: Error): void {
    if (!this.#settled()) this.#error = error;
  }

  #settled(): boolean {
    return this.#result !== undefined || this.#error !== undefined;
  }
}
