/**
 * Results travelling from the worker to the caller, packed. Structured clone copies every
 * property of every object, and it dominated the bridge's profile (the worker's post, the
 * caller's receive and their garbage). Most results are one first-try success, which is a few
 * numbers and three strings that repeat across a batch (every member of an aggregate has its
 * sequence number and shard, every record its stream): such a result travels as numbers in one
 * typed array and indices into a table of distinct strings, and is rebuilt on the caller with
 * the same shape the producer gives. Anything else (a failure, a retried record) travels whole.
 */
import type { Attempt, RecordResult } from '@tskpl/producer';

/** A batch of settled records as posted. */
export interface SettledBatch {
  readonly type: 'settled';
  /** Record ids, in settling order. */
  readonly ids: Float64Array;
  /**
   * Per record, {@link PACKED_FIELDS} numbers: for a packed success, string-table indices of its
   * stream, shard and sequence number, its sub-sequence number, then its one attempt's start, end,
   * delay and duration; for any other result, -1 followed by its index in `whole`.
   */
  readonly numbers: Float64Array;
  readonly strings: readonly string[];
  readonly whole: readonly RecordResult[];
}

/** Numbers per record in {@link SettledBatch.numbers}. */
export const PACKED_FIELDS = 8;

/** Collects results on the worker until the batch is posted. */
export class SettledBatchBuilder {
  #ids: number[] = [];
  #numbers: number[] = [];
  #strings: string[] = [];
  #stringIndex = new Map<string, number>();
  #whole: RecordResult[] = [];

  get size(): number {
    return this.#ids.length;
  }

  add(id: number, result: RecordResult): void {
    this.#ids.push(id);
    const attempts = result.attempts;
    const attempt = attempts[0];
    if (result.successful && attempts.length === 1 && attempt !== undefined && result.attemptsDropped === 0 && result.shardId !== undefined && result.sequenceNumber !== undefined) {
      this.#numbers.push(
        this.#indexOf(result.streamName),
        this.#indexOf(result.shardId),
        this.#indexOf(result.sequenceNumber),
        result.subSequenceNumber ?? 0,
        attempt.startedAt,
        attempt.endedAt,
        attempt.delayMs,
        attempt.durationMs,
      );
    } else {
      this.#numbers.push(-1, this.#whole.length, 0, 0, 0, 0, 0, 0);
      this.#whole.push(result);
    }
  }

  /** The batch so far, and a fresh start. */
  take(): SettledBatch {
    const batch: SettledBatch = { type: 'settled', ids: Float64Array.from(this.#ids), numbers: Float64Array.from(this.#numbers), strings: this.#strings, whole: this.#whole };
    this.#ids = [];
    this.#numbers = [];
    this.#strings = [];
    this.#stringIndex = new Map();
    this.#whole = [];
    return batch;
  }

  #indexOf(value: string): number {
    let index = this.#stringIndex.get(value);
    if (index === undefined) {
      index = this.#strings.length;
      this.#strings.push(value);
      this.#stringIndex.set(value, index);
    }
    return index;
  }
}

/** Unpacks a batch on the caller: `settled(id, result)` for each record, in order. */
export function unpackSettled(batch: SettledBatch, settled: (id: number, result: RecordResult) => void): void {
  const { ids, numbers, strings, whole } = batch;
  for (let index = 0, at = 0; index < ids.length; index++, at += PACKED_FIELDS) {
    const stream = numbers[at]!;
    if (stream < 0) {
      settled(ids[index]!, whole[numbers[at + 1]!]!);
      continue;
    }
    const attempt: Attempt = { startedAt: numbers[at + 4]!, endedAt: numbers[at + 5]!, delayMs: numbers[at + 6]!, durationMs: numbers[at + 7]!, successful: true };
    settled(ids[index]!, {
      successful: true,
      streamName: strings[stream]!,
      shardId: strings[numbers[at + 1]!]!,
      sequenceNumber: strings[numbers[at + 2]!]!,
      subSequenceNumber: numbers[at + 3]!,
      attempts: [attempt],
      attemptsDropped: 0,
    });
  }
}
