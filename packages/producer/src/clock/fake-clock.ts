import type { Clock, Timer } from './clock.js';

/**
 * A deterministic clock for tests: time moves only when the test advances it, timers fire in
 * due order, and randomness is a seeded sequence.
 */
export interface FakeClock extends Clock {
  /** Moves time forward by `ms`, firing every timer that falls due, in order. */
  advance(ms: number): void;
  /** Advances to the next pending timer and fires it (and any due at the same instant). Returns false if none. */
  runNext(): boolean;
  /** Fires timers until none are pending or `limit` timers have fired; returns how many fired. */
  runAll(limit?: number): number;
  /** Number of timers not yet fired or cancelled. */
  readonly pendingTimers: number;
  /** Handles from `hold()` not yet cancelled: what would keep a real process alive. */
  readonly holds: number;
}

interface FakeTimer {
  readonly dueAt: number;
  readonly order: number;
  readonly callback: () => void;
  cancelled: boolean;
}

/** Creates a fake clock starting at `startMs` (default 1 000 000) with a seeded PRNG (mulberry32). */
export function createFakeClock(options: { startMs?: number; seed?: number; random?: () => number } = {}): FakeClock {
  let now = options.startMs ?? 1_000_000;
  let order = 0;
  let seed = options.seed ?? 42;
  const timers: FakeTimer[] = [];
  let holds = 0;

  const random = options.random ?? (() => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = seed;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  });

  function nextDue(): FakeTimer | undefined {
    let best: FakeTimer | undefined;
    for (const timer of timers) {
      if (timer.cancelled) continue;
      if (!best || timer.dueAt < best.dueAt || (timer.dueAt === best.dueAt && timer.order < best.order)) best = timer;
    }
    return best;
  }

  function fire(timer: FakeTimer): void {
    timer.cancelled = true;
    const index = timers.indexOf(timer);
    if (index >= 0) timers.splice(index, 1);
    timer.callback();
  }

  const clock: FakeClock = {
    now: () => now,
    wallTime: () => now,
    random,
    setTimer(delayMs: number, callback: () => void): Timer {
      const timer: FakeTimer = { dueAt: now + Math.max(0, delayMs), order: order++, callback, cancelled: false };
      timers.push(timer);
      return {
        cancel: () => {
          if (timer.cancelled) return;
          timer.cancelled = true;
          const index = timers.indexOf(timer);
          if (index >= 0) timers.splice(index, 1);
        },
      };
    },
    hold(): Timer {
      holds++;
      let held = true;
      return {
        cancel: () => {
          if (!held) return;
          held = false;
          holds--;
        },
      };
    },
    // Macrotask turns are real (the test runner's loop): tests let them run with `settle()`.
    immediate(callback: () => void): void {
      setImmediate(callback);
    },
    advance(ms: number) {
      const target = now + ms;
      for (;;) {
        const timer = nextDue();
        if (!timer || timer.dueAt > target) break;
        now = Math.max(now, timer.dueAt);
        fire(timer);
      }
      now = target;
    },
    runNext() {
      const timer = nextDue();
      if (!timer) return false;
      now = Math.max(now, timer.dueAt);
      fire(timer);
      return true;
    },
    runAll(limit = 100_000) {
      let fired = 0;
      while (fired < limit && clock.runNext()) fired++;
      return fired;
    },
    get pendingTimers() {
      return timers.length;
    },
    get holds() {
      return holds;
    },
  };
  return clock;
}
