/**
 * A two-stream token bucket (records and bytes) with continuous, time-based refill and one rate
 * multiplier shared by both streams. The multiplier can be lowered (throttling feedback) and then
 * climbs back linearly to its ceiling; refill integrates that ramp exactly, so the tokens granted
 * do not depend on how often the bucket is read. See docs/kpl-compatibility.md, "Limiter".
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
  /** How fast a lowered multiplier climbs back to the ceiling, in multiplier units per second. @defaultValue 0 */
  readonly recoveryPerSecond?: number;
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
   * Milliseconds from the last refill until `canTake(records, bytes)` holds, counting the
   * recovery ramp; 0 when it holds now, `Infinity` when the rate is 0.
   */
  waitMs(records: number, bytes: number): number;
  /** Refills to `now`, then sets the multiplier (clamped to 0 … ceiling); it recovers from there. */
  setRate(rate: number, now: number): void;
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
  let rate = ceiling;
  let records = recordCapacity;
  let bytes = byteCapacity;
  let last = options.now;

  /** ∫ multiplier dt over the next `elapsed` ms (multiplier·ms), following the ramp up to the ceiling. */
  function rateArea(elapsed: number): number {
    if (rate >= ceiling || slopePerMs === 0) return rate * elapsed;
    const reachMs = (ceiling - rate) / slopePerMs;
    if (elapsed <= reachMs) return rate * elapsed + (slopePerMs * elapsed * elapsed) / 2;
    return rate * reachMs + (slopePerMs * reachMs * reachMs) / 2 + ceiling * (elapsed - reachMs);
  }

  /** Inverse of {@link rateArea}: ms until the integrated multiplier reaches `area`. */
  function timeForArea(area: number): number {
    if (area <= 0) return 0;
    if (rate >= ceiling || slopePerMs === 0) return rate > 0 ? area / rate : Infinity;
    const reachMs = (ceiling - rate) / slopePerMs;
    const reachArea = rate * reachMs + (slopePerMs * reachMs * reachMs) / 2;
    if (area <= reachArea) return (Math.sqrt(rate * rate + 2 * slopePerMs * area) - rate) / slopePerMs;
    return reachMs + (area - reachArea) / ceiling;
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
    rate = Math.min(ceiling, rate + slopePerMs * elapsed);
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
    setRate(next: number, now: number): void {
      refill(now);
      rate = Math.max(0, Math.min(ceiling, next));
    },
  };
}
