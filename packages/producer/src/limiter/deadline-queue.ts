/**
 * One shard's waiting Kinesis records, ordered by deadline. An array with a moving head:
 * arrivals are nearly in deadline order, so insertion is almost always an append (binary search
 * otherwise), and taking the head is an index bump — never `Array#shift`.
 */
import type { KinesisRecordState } from '../record/user-record.js';

/** Deadline-ordered queue of Kinesis records (ties keep arrival order). */
export interface DeadlineQueue {
  /** Records queued. */
  readonly size: number;
  /** A lower bound of the queued records' `expiresAt` (exact after {@link DeadlineQueue.removeExpired}); `Infinity` when empty. */
  readonly earliestExpiry: number;
  /** Inserts a record after every queued record with a deadline ≤ its own. */
  push(record: KinesisRecordState): void;
  /** The record with the earliest deadline, or `undefined`. */
  peek(): KinesisRecordState | undefined;
  /** Removes and returns the record with the earliest deadline, or `undefined`. */
  pop(): KinesisRecordState | undefined;
  /** Moves every record with `now > expiresAt` to `out` (in deadline order), keeping the others' order. */
  removeExpired(now: number, out: KinesisRecordState[]): void;
  /** Moves every record to `out` (in deadline order) and empties the queue. */
  removeAll(out: KinesisRecordState[]): void;
}

/** Compact once the consumed prefix is this long and at least half the array. */
const COMPACT_AFTER = 1024;

/** Creates an empty {@link DeadlineQueue}. */
export function createDeadlineQueue(): DeadlineQueue {
  let items: Array<KinesisRecordState | undefined> = [];
  let head = 0;
  let earliestExpiry = Infinity;

  function reset(): void {
    items.length = 0; // keeps the array's storage: a queue that empties and refills allocates nothing
    head = 0;
    earliestExpiry = Infinity;
  }

  return {
    get size() {
      return items.length - head;
    },
    get earliestExpiry() {
      return earliestExpiry;
    },
    push(record: KinesisRecordState): void {
      if (record.expiresAt < earliestExpiry) earliestExpiry = record.expiresAt;
      const last = items.length - 1;
      if (last < head || (items[last] as KinesisRecordState).deadline <= record.deadline) {
        items.push(record);
        return;
      }
      // First index in [head, length) whose deadline is greater than the record's.
      let low = head;
      let high = items.length;
      while (low < high) {
        const middle = (low + high) >>> 1;
        if ((items[middle] as KinesisRecordState).deadline <= record.deadline) low = middle + 1;
        else high = middle;
      }
      items.splice(low, 0, record);
    },
    peek(): KinesisRecordState | undefined {
      return head < items.length ? items[head] : undefined;
    },
    pop(): KinesisRecordState | undefined {
      if (head >= items.length) return undefined;
      const record = items[head];
      items[head] = undefined;
      head++;
      if (head === items.length) reset();
      else if (head >= COMPACT_AFTER && head * 2 >= items.length) {
        items = items.slice(head);
        head = 0;
      }
      return record;
    },
    removeExpired(now: number, out: KinesisRecordState[]): void {
      if (!(now > earliestExpiry)) return;
      const kept: Array<KinesisRecordState | undefined> = [];
      let nextEarliest = Infinity;
      for (let index = head; index < items.length; index++) {
        const record = items[index] as KinesisRecordState;
        if (now > record.expiresAt) {
          out.push(record);
        } else {
          kept.push(record);
          if (record.expiresAt < nextEarliest) nextEarliest = record.expiresAt;
        }
      }
      items = kept;
      head = 0;
      earliestExpiry = nextEarliest;
    },
    removeAll(out: KinesisRecordState[]): void {
      for (let index = head; index < items.length; index++) out.push(items[index] as KinesisRecordState);
      reset();
    },
  };
}
