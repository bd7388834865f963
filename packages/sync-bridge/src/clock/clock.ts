/**
 * Time and timers for both sides of the bridge. This folder is the only place in the package that
 * reads the clock or starts timers; everything else receives a {@link BridgeClock}.
 */

/** Cancels a repeating or one-shot task; calling it twice does nothing. */
export type Cancel = () => void;

/** What the bridge needs from time. */
export interface BridgeClock {
  /** Monotonic milliseconds since an arbitrary origin. */
  now(): number;
  /**
   * Runs `callback` every `intervalMs`. The timer keeps the worker's event loop alive (the worker
   * must live until it is closed); the caller's side never starts timers.
   */
  every(intervalMs: number, callback: () => void): Cancel;
  /** Runs `callback` once, after the current I/O phase (a macrotask, so the event loop breathes). */
  soon(callback: () => void): void;
}

/** The real clock: `performance.now()`, `setInterval`, `setImmediate`. */
export const systemClock: BridgeClock = {
  now: () => performance.now(),
  every(intervalMs, callback) {
    const handle = setInterval(callback, intervalMs);
    return () => clearInterval(handle);
  },
  soon(callback) {
    setImmediate(callback);
  },
};
