/**
 * `flush()` resolves when every record put before the call has its outcome. Records belong to
 * the epoch current when they were put; each flush closes the current epoch and waits until it
 * and every earlier epoch have no unfinished record.
 */

/** A group of records put between two flushes. */
export interface Epoch {
  unfinished: number;
}

/** Tracks epochs and flush waiters. */
export interface FlushTracker {
  /** The epoch new records join. */
  readonly current: Epoch;
  /** Closes the current epoch; resolves when it and every earlier one are finished. */
  flush(): Promise<void>;
  /** Call when a record of `epoch` finished. */
  finished(epoch: Epoch): void;
  /** True while a flush is waiting. */
  readonly flushing: boolean;
}

/** Creates a tracker. */
export function createFlushTracker(): FlushTracker {
  let current: Epoch = { unfinished: 0 };
  const waiting: Array<{ epoch: Epoch; resolve: () => void }> = [];

  function settle(): void {
    while (waiting.length > 0 && waiting[0]!.epoch.unfinished === 0) waiting.shift()!.resolve();
  }

  return {
    get current() {
      return current;
    },
    get flushing() {
      return waiting.length > 0;
    },
    flush() {
      const epoch = current;
      if (epoch.unfinished === 0 && waiting.length === 0) return Promise.resolve();
      current = { unfinished: 0 };
      return new Promise<void>((resolve) => {
        waiting.push({ epoch, resolve });
        settle();
      });
    },
    finished(epoch) {
      epoch.unfinished--;
      if (epoch.unfinished === 0 && waiting.length > 0) settle();
    },
  };
}
