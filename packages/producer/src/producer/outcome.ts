import type { RecordResult, ResultReceiver } from '../pipeline/types.js';

/**
 * The handle `putRecord` resolves to once a record is admitted. It is not thenable, so
 * `await producer.putRecord()` does not wait for delivery; call `wait()` for the final result.
 */
export class Outcome implements ResultReceiver {
  #result: RecordResult | undefined;
  #promise: Promise<RecordResult> | undefined;
  #resolve: ((result: RecordResult) => void) | undefined;

  /** True once the record has its final result. */
  get done(): boolean {
    return this.#result !== undefined;
  }

  /** The final result, once `done`. */
  get result(): RecordResult | undefined {
    return this.#result;
  }

  /** Resolves with the final result; never rejects (a failed record is `successful: false`). */
  wait(): Promise<RecordResult> {
    if (this.#result !== undefined) return Promise.resolve(this.#result);
    this.#promise ??= new Promise<RecordResult>((resolve) => {
      this.#resolve = resolve;
    });
    return this.#promise;
  }

  /** @internal Called once by the producer with the final result. */
  settle(result: RecordResult): void {
    if (this.#result !== undefined) return;
    this.#result = result;
    this.#resolve?.(result);
  }
}
