import type { RecordResult, UserRecordState } from './user-record.js';
import { resultOf } from './attempts.js';

let takenResolve: ((result: RecordResult) => void) | undefined;
/** A promise executor that hands its `resolve` over through {@link takenResolve} (it runs synchronously in the constructor). */
function takeResolve(resolve: (result: RecordResult) => void): void {
  takenResolve = resolve;
}

/**
 * The handle `putRecord` resolves to once a record is admitted. It is not thenable, so
 * `await producer.putRecord()` does not wait for delivery; call `wait()` for the final result.
 *
 * The handle is the pipeline's own record object (record/pipeline-record.ts extends this class):
 * one object per record rather than a record plus a handle pointing at it.
 */
export class Outcome {
  /** @internal Created by the producer. */
  protected constructor() {}

  /** True once the record has its final result. */
  get done(): boolean {
    return (this as unknown as UserRecordState).settled;
  }

  /** The final result, once `done`. */
  get result(): RecordResult | undefined {
    const record = this as unknown as UserRecordState;
    if (!record.settled) return undefined;
    return (record.cachedResult ??= resultOf(record));
  }

  /** Resolves with the final result; never rejects (a failed record is `successful: false`). */
  wait(): Promise<RecordResult> {
    const record = this as unknown as UserRecordState;
    if (record.settled) return Promise.resolve(this.result!);
    let waiting = record.waiting;
    if (waiting === undefined) {
      // The promise's own resolve is the settlement's callback, taken by one shared executor: no
      // closure of ours per record.
      waiting = record.waiting = new Promise<RecordResult>(takeResolve);
      record.notify = takenResolve;
      takenResolve = undefined;
    }
    return waiting;
  }

  /** What `console.log(outcome)` shows: the handle's state, not the pipeline's internals. */
  [Symbol.for('nodejs.util.inspect.custom')](): { done: boolean; result: RecordResult | undefined } {
    return { done: this.done, result: this.result };
  }
}
