/**
 * Retry delays: exponential with "equal jitter" (half fixed, half random), capped. The KPL has no
 * backoff at all (docs/kpl-compatibility.md, "Retries and error classification"); we back off so that a struggling shard or service is not hammered.
 */

/** Backoff constants, in milliseconds. */
export const BACKOFF = Object.freeze({
  /** First delay after a throttled attempt. */
  throttledBaseMs: 100,
  /** Cap for throttled retries. */
  throttledMaxMs: 5_000,
  /** First delay after a transient failure. */
  transientBaseMs: 50,
  /** Cap for transient retries. */
  transientMaxMs: 3_000,
});

/** Delay before retry number `failures` (1 for the first retry), with jitter from `random()` in [0, 1). */
export function backoffDelay(failures: number, baseMs: number, maxMs: number, random: () => number): number {
  const exponent = Math.min(Math.max(failures - 1, 0), 20);
  const ceiling = Math.min(maxMs, baseMs * 2 ** exponent);
  return ceiling / 2 + random() * (ceiling / 2);
}
