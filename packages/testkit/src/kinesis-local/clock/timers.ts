/**
 * The launcher's only contact with the wall clock and timers (the package's lint rule allows
 * them in `clock/` folders alone). Unlike the fake server's clock, these timers keep the process
 * alive: a script that awaits `startKinesisLocal()` or `stop()` must not exit half-way.
 */

/** Milliseconds from a monotonic clock, for deadlines and durations. */
export function monotonicNow(): number {
  return performance.now();
}

/** Milliseconds since the Unix epoch, for log file names. */
export function wallClockNow(): number {
  return Date.now();
}

/**
 * Resolves after `ms` milliseconds.
 * @param ms - delay in milliseconds (negative counts as 0)
 */
export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)));
}

/**
 * Resolves `true` when `promise` settles first, `false` when `ms` elapse first; the timer is
 * cleared either way.
 * @param promise - what to wait for
 * @param ms - the longest wait in milliseconds
 */
export async function settlesWithin(promise: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const elapsed = new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), Math.max(0, ms))));
  try {
    return await Promise.race([promise.then(() => true), elapsed]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Calls `tick` every `ms` milliseconds on an unref'ed interval; returns a function that stops it.
 * @param tick - the callback
 * @param ms - the period in milliseconds
 */
export function every(tick: () => void, ms: number): () => void {
  const interval = setInterval(tick, ms);
  interval.unref();
  return () => clearInterval(interval);
}
