import { TestkitOptionsError } from '../errors.js';

/** An opaque handle returned by {@link Clock.setTimer}. */
export type TimerHandle = object;

/**
 * Where the fake takes time from: the shard limits' token buckets, arrival timestamps, iterator and
 * token expiry, added latency and hangs. Inject {@link createManualClock} for deterministic tests.
 */
export interface Clock {
  /** Milliseconds since the Unix epoch. */
  now(): number;
  /**
   * Calls `callback` once after `delayMs` milliseconds of this clock's time. Argument order matches
   * `@tskpl/producer`'s `Clock.setTimer(delayMs, callback)`, so one fake can serve both.
   */
  setTimer(delayMs: number, callback: () => void): TimerHandle;
  /** Cancels a timer; a no-op when it already fired or was cleared. */
  clearTimer(handle: TimerHandle): void;
}

/** The real clock: `Date.now()` and unref'ed `setTimeout` (the open sockets keep the process alive). */
export function createSystemClock(): Clock {
  return {
    now: () => Date.now(),
    setTimer(delayMs, callback) {
      const timer = setTimeout(callback, Math.max(0, delayMs));
      timer.unref();
      return timer;
    },
    clearTimer(handle) {
      clearTimeout(handle as ReturnType<typeof setTimeout>);
    },
  };
}

/** A {@link Clock} that only moves when told to; timers fire, in order, inside {@link ManualClock.advance}. */
export interface ManualClock extends Clock {
  /**
   * Moves time forward by `ms` (≥ 0), firing every timer that falls due, in due order.
   * @throws TestkitOptionsError (`ERR_TESTKIT_OPTIONS`) when `ms` is negative or not finite
   */
  advance(ms: number): void;
  /** Number of timers not yet fired or cleared. */
  readonly pendingTimers: number;
}

interface ManualTimer {
  dueMs: number;
  order: number;
  callback: () => void;
}

/**
 * Creates a manual clock starting at `startMs` (default 2024-01-01T00:00:00Z), for tests that
 * must be deterministic (exactly how many entries pass the shard limits in a second, latency, hangs).
 */
export function createManualClock(startMs = 1_704_067_200_000): ManualClock {
  let nowMs = startMs;
  let order = 0;
  const timers = new Set<ManualTimer>();
  return {
    now: () => nowMs,
    setTimer(delayMs, callback) {
      const timer: ManualTimer = { dueMs: nowMs + Math.max(0, delayMs), order: order++, callback };
      timers.add(timer);
      return timer;
    },
    clearTimer(handle) {
      timers.delete(handle as ManualTimer);
    },
    advance(ms) {
      if (!Number.isFinite(ms) || ms < 0) {
        throw new TestkitOptionsError(`advance(ms): ms must be a finite number ≥ 0, received ${String(ms)}`);
      }
      const target = nowMs + ms;
      for (;;) {
        let next: ManualTimer | undefined;
        for (const timer of timers) {
          if (timer.dueMs <= target && (next === undefined || timer.dueMs < next.dueMs || (timer.dueMs === next.dueMs && timer.order < next.order))) {
            next = timer;
          }
        }
        if (next === undefined) break;
        timers.delete(next);
        nowMs = Math.max(nowMs, next.dueMs);
        next.callback();
      }
      nowMs = target;
    },
    get pendingTimers() {
      return timers.size;
    },
  };
}
