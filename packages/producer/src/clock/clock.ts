/**
 * Time, timers and randomness for every stage, injected so that tests run on a fake clock.
 * This folder is the only place in the producer that touches the wall clock or real timers.
 */

/** A cancellable timer handle. */
export interface Timer {
  /** Cancels the timer; calling it again, or after the timer fired, does nothing. */
  cancel(): void;
}

/** The time source and timer factory every stage receives. */
export interface Clock {
  /** Whole milliseconds since an arbitrary fixed origin; never goes backwards. */
  now(): number;
  /** Milliseconds since the Unix epoch, for timestamps shown to users. */
  wallTime(): number;
  /** Runs `callback` once after `delayMs`; real timers are `unref()`ed so they never keep a process alive. */
  setTimer(delayMs: number, callback: () => void): Timer;
  /** A number in [0, 1), for jitter. */
  random(): number;
  /**
   * Keeps the process alive until the returned handle is cancelled: the producer holds one such
   * handle while it has work a caller relies on (records without an outcome, a pending `flush()`
   * or `close()`). Optional for custom clocks; without it, nothing keeps the process alive.
   */
  hold?(): Timer;
  /**
   * Runs `callback` on a later turn of the event loop, after pending I/O and due timers (a
   * macrotask, `setImmediate` on the system clock). Admission uses it to let a caller's tight
   * `await putRecord` loop yield. Optional for custom clocks; then admission never yields.
   */
  immediate?(callback: () => void): void;
}

/**
 * The real clock: monotonic `performance.now()` in whole milliseconds (small integers are stored
 * unboxed in V8, and every buffered record holds several times), unref'ed timers, `Math.random`.
 */
export const systemClock: Clock = {
  now: () => Math.floor(performance.now()),
  wallTime: () => Date.now(),
  setTimer(delayMs, callback) {
    const handle = setTimeout(callback, Math.max(0, delayMs));
    handle.unref();
    return { cancel: () => clearTimeout(handle) };
  },
  random: () => Math.random(),
  hold() {
    // A ref'd interval that never fires in practice: the cheapest handle that keeps Node's loop alive.
    const handle = setInterval(noop, MAX_TIMER_DELAY_MS);
    return { cancel: () => clearInterval(handle) };
  },
  immediate(callback) {
    setImmediate(callback);
  },
};

/** Largest delay Node's timers honour (2^31 − 1 ms). */
const MAX_TIMER_DELAY_MS = 2_147_483_647;

function noop(): void {}
