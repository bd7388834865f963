/**
 * Records waiting for a retry backoff: a binary min-heap by due time with one re-armable timer
 * for the whole queue (no timer per record).
 */
import type { Clock } from '../clock/clock.js';
import { DeadlineTimer } from '../clock/deadline-timer.js';

/** A due-time ordered queue that hands items to `onDue` when their time comes. */
export interface DelayQueue<T> {
  add(item: T, dueAt: number): void;
  readonly size: number;
  /** Removes and returns every item; cancels the timer. */
  clear(): T[];
}

/** Creates a delay queue. */
export function createDelayQueue<T>(clock: Clock, onDue: (item: T) => void): DelayQueue<T> {
  const items: T[] = [];
  const due: number[] = [];
  const timer = new DeadlineTimer(clock, fire);

  function swap(a: number, b: number): void {
    const item = items[a]!;
    items[a] = items[b]!;
    items[b] = item;
    const time = due[a]!;
    due[a] = due[b]!;
    due[b] = time;
  }

  function pop(): T {
    const top = items[0]!;
    const lastItem = items.pop()!;
    const lastDue = due.pop()!;
    if (items.length > 0) {
      items[0] = lastItem;
      due[0] = lastDue;
      let index = 0;
      for (;;) {
        const left = index * 2 + 1;
        const right = left + 1;
        let smallest = index;
        if (left < items.length && due[left]! < due[smallest]!) smallest = left;
        if (right < items.length && due[right]! < due[smallest]!) smallest = right;
        if (smallest === index) break;
        swap(index, smallest);
        index = smallest;
      }
    }
    return top;
  }

  function arm(): void {
    if (items.length === 0) timer.cancel();
    else timer.armBy(due[0]!);
  }

  function fire(): void {
    const now = clock.now();
    while (items.length > 0 && due[0]! <= now) onDue(pop());
    arm();
  }

  return {
    add(item, dueAt) {
      items.push(item);
      due.push(dueAt);
      let index = items.length - 1;
      while (index > 0) {
        const parent = (index - 1) >> 1;
        if (due[parent]! <= due[index]!) break;
        swap(index, parent);
        index = parent;
      }
      arm();
    },
    get size() {
      return items.length;
    },
    clear() {
      timer.cancel();
      const all = items.splice(0);
      due.length = 0;
      return all;
    },
  };
}
