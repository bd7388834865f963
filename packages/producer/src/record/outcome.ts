import type { RecordResult, UserRecordState } from './user-record.js';
import { resultOf } from './attempts.js';

/**
 * The handle `putRecord` resolves to once a record is admitted. It is not thenable, so
 * `await producer.putRecord()` does not wait for delivery; call `wait()` for the final result.
 */
export class Outcome {
  readonly #record: UserRecordState;
  readonly #maxAttempts: number;
  #result: RecordResult | undefined;
  #promise: Promise<RecordResult> | undefined;

  /** @internal Created by the producer. */
  constructor(record: UserRecordState, maxAttempts: number) {
    this.#record = record;
    this.#maxAttempts = maxAttempts;
  }

  /** True once the record has its final result. */
  get done(): boolean {
    return this.#record.settled;
  }

  /** The final result, once `done`. */
  get result(): RecordResult | undefined {
    if (!this.#record.settled) return undefined;
    return (this.#result ??= resultOf(this.#record, this.#maxAttempts));
  }

  /** Resolves with the final result; never rejects (a failed record is `successful: false`). */
  wait(): Promise<RecordResult> {
    if (this.#record.settled) return Promise.resolve(this.result!);
    this.#promise ??= new Promise<RecordResult>((resolve) => {
      this.#record.notify = () => resolve(this.result!);
    });
    return this.#promise;
  }
}
