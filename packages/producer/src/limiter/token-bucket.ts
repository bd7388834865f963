/**
 * A two-stream token bucket (records and bytes) with continuous, time-based refill and one rate
 * multiplier shared by both streams. The multiplier can be lowered (throttling feedback), held
 * there for a while, and then climbs back to its ceiling along `dr/dt = growth · r + recovery`
 * (linear without growth, exponential with it); refill integrates that hold and ramp exactly, so
 * the tokens granted do not depend on how often the bucket is read. See docs/kpl-compatibility.md, "Limiter".
 */

/** Settings of a {@link TokenBucket}. Rates are nominal, i.e. at multiplier 1. */
export interface TokenBucketOptions {
  /** Capacity of the records stream (tokens). */
  readonly recordCapacity: number;
  /** Capacity of the bytes stream (tokens). */
  readonly byteCapacity: number;
  /** Records granted per second at multiplier 1. */
  readonly recordsPerSecond: number;
  /** Bytes granted per second at multiplier 1. */
  readonly bytesPerSecond: number;
  /** The multiplier's ceiling, and its initial value (e.g. `rateLimit / 100`). */
  readonly rate: number;
  /** Constant part of a lowered multiplier's climb back to the ceiling, in multiplier units per second. @defaultValue 0 */
  readonly recoveryPerSecond?: number;
  /**
   * Proportional part of the climb: the multiplier also grows by this fraction of itself per
   * second, so `dr/dt = growthPerSecond · r + recoveryPerSecond`. @defaultValue 0
   */
  readonly growthPerSecond?: number;
  /** Clock time (ms) the bucket starts at; it starts full. */
  readonly now: number;
}

/** Per-shard token bucket. Call {@link TokenBucket.refill} with the current time before reading or taking. */
export interface TokenBucket {
  /** The current multiplier (as of the last refill). */
  readonly rate: number;
  /** The ceiling the multiplier recovers to. */
  readonly ceiling: number;
  /** Record tokens available (as of the last refill); negative after an oversize take. */
  readonly records: number;
  /** Byte tokens available (as of the last refill); negative after an oversize take. */
  readonly bytes: number;
  /** Grants the tokens accrued since the last refill (capped at capacity) and advances the recovery ramp to `now`. */
  refill(now: number): void;
  /**
   * Whether a cost can be paid now. A cost above a stream's capacity is payable once that stream
   * is full, so an oversize item waits for a full bucket instead of forever.
   */
  canTake(records: number, bytes: number): boolean;
  /** Pays a cost, which may leave a stream negative (an oversize item's debt, repaid by refill). */
  take(records: number, bytes: number): void;
  /**
   * Milliseconds from the last refill until `canTake(records, bytes)` holds, counting the hold
   * and the recovery ramp; 0 when it holds now, `Infinity` when the rate is 0.
   */
  waitMs(records: number, bytes: number): number;
  /**
   * Refills to `now`, then sets the multiplier (clamped to 0 … ceiling); it recovers from there.
   * With `holdMs`, the recovery ramp starts only `holdMs` after `now` (the multiplier stays flat
   * until then); without it, a hold set earlier still applies.
   */
  setRate(rate: number, now: number, holdMs?: number): void;
}

/** Float slack so that a refill landing a hair below a whole token still pays it. */
const EPSILON = 1e-6;

/** Creates a full {@link TokenBucket}. Options are trusted (the limiter validates its own). */
export function createTokenBucket(options: TokenBucketOptions): TokenBucket {
  const recordCapacity = options.recordCapacity;
  const byteCapacity = options.byteCapacity;
  const recordsPerMs = options.recordsPerSecond / 1000;
  const bytesPerMs = options.bytesPerSecond / 1000;
  const ceiling = options.rate;
  const slopePerMs = (options.recoveryPerSecond ?? 0) / 1000;
  const growthPerMs = (options.growthPerSecond ?? 0) / 1000;
  /** With growth the ramp is r(t) = (r₀ + shift)·e^(growth·t) − shift, the solution of dr/dt = growth·r + recovery. */
  const shift = growthPerMs > 0 ? slopePerMs / growthPerMs : 0;
  let rate = ceiling;
  let records = recordCapacity;
  let bytes = byteCapacity;
  let last = options.now;
  /** Clock time until which the multiplier stays flat before it ramps (see {@link TokenBucket.setRate}). */
  let holdUntil = -Infinity;

  /** ms of ramp from the current multiplier to the ceiling (0 at the ceiling, Infinity without recovery). */
  function reachMs(): number {
    if (rate >= ceiling) return 0;
    if (growthPerMs > 0) return rate + shift > 0 ? Math.log((ceiling + shift) / (rate + shift)) / growthPerMs : Infinity;
    return slopePerMs > 0 ? (ceiling - rate) / slopePerMs : Infinity;
  }

  /** The uncapped ramp's multiplier `elapsed` ms into it. */
  function rampRate(elapsed: number): number {
    if (growthPerMs > 0) return (rate + shift) * Math.exp(growthPerMs * elapsed) - shift;
    return rate + slopePerMs * elapsed;
  }

  /** ∫ of the uncapped ramp over its first `elapsed` ms (multiplier·ms). */
  function uncappedArea(elapsed: number): number {
    if (growthPerMs > 0) return ((rate + shift) * Math.expm1(growthPerMs * elapsed)) / growthPerMs - shift * elapsed;
    return rate * elapsed + (slopePerMs * elapsed * elapsed) / 2;
  }

  /** ∫ multiplier dt over the next `elapsed` ms of ramp (multiplier·ms), up to the ceiling. */
  function rampArea(elapsed: number): number {
    const reach = reachMs();
    if (elapsed <= reach) return uncappedArea(elapsed);
    return uncappedArea(reach) + ceiling * (elapsed - reach);
  }

  /** Inverse of {@link rampArea}: ms of ramp until the integrated multiplier reaches `area`. */
  function rampTime(area: number): number {
    if (area <= 0) return 0;
    const reach = reachMs();
    if (reach === 0) return ceiling > 0 ? area / ceiling : Infinity;
    const reachArea = reach === Infinity ? Infinity : uncappedArea(reach);
    if (area > reachArea) return reach + (area - reachArea) / ceiling;
    if (growthPerMs === 0) {
      if (slopePerMs === 0) return rate > 0 ? area / rate : Infinity;
      return (Math.sqrt(rate * rate + 2 * slopePerMs * area) - rate) / slopePerMs;
    }
    // The area is convex in time: Newton's method from above (t ≥ the answer) converges monotonically.
    let t = rate > 0 ? Math.min(reach, area / rate) : reach;
    for (let step = 0; step < 100; step++) {
      const next = t - (uncappedArea(t) - area) / rampRate(t);
      if (!(next < t)) break;
      const moved = t - next;
      t = next;
      if (moved < 1e-9) break;
    }
    return t;
  }

  /** ∫ multiplier dt over the next `elapsed` ms: flat until the hold ends, then the ramp. */
  function rateArea(elapsed: number): number {
    const held = Math.min(elapsed, Math.max(0, holdUntil - last));
    return rate * held + rampArea(elapsed - held);
  }

  /** Inverse of {@link rateArea}: ms until the integrated multiplier reaches `area`. */
  function timeForArea(area: number): number {
    if (area <= 0) return 0;
    const held = Math.max(0, holdUntil - last);
    if (rate * held >= area) return area / rate;
    return held + rampTime(area - rate * held);
  }

  function needed(cost: number, capacity: number): number {
    return cost > capacity ? capacity : cost;
  }

  function refill(now: number): void {
    const elapsed = now - last;
    if (elapsed <= 0) return;
    const area = rateArea(elapsed);
    records = Math.min(recordCapacity, records + area * recordsPerMs);
    bytes = Math.min(byteCapacity, bytes + area * bytesPerMs);
    const ramped = elapsed - Math.min(elapsed, Math.max(0, holdUntil - last));
    if (ramped > 0) rate = ramped >= reachMs() ? ceiling : Math.min(ceiling, rampRate(ramped));
    last = now;
  }

  return {
    get rate() {
      return rate;
    },
    ceiling,
    get records() {
      return records;
    },
    get bytes() {
      return bytes;
    },
    refill,
    canTake(recordCost: number, byteCost: number): boolean {
      return records + EPSILON >= needed(recordCost, recordCapacity) && bytes + EPSILON >= needed(byteCost, byteCapacity);
    },
    take(recordCost: number, byteCost: number): void {
      records -= recordCost;
      bytes -= byteCost;
    },
    waitMs(recordCost: number, byteCost: number): number {
      const recordArea = (needed(recordCost, recordCapacity) - records) / recordsPerMs;
      const byteArea = (needed(byteCost, byteCapacity) - bytes) / bytesPerMs;
      return timeForArea(Math.max(recordArea, byteArea));
    },
    setRate(next: number, now: number, holdMs?: number): void {
      refill(now);
      rate = Math.max(0, Math.min(ceiling, next));
      if (holdMs !== undefined) holdUntil = now + holdMs;
    },
  };
}
