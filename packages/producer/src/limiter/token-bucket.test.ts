import { describe, expect, it } from 'vitest';
import { createTokenBucket } from './token-bucket.js';
import type { TokenBucketOptions } from './token-bucket.js';

const SHARD: TokenBucketOptions = {
  recordCapacity: 1000,
  byteCapacity: 10 * 1024 * 1024,
  recordsPerSecond: 1000,
  bytesPerSecond: 1024 * 1024,
  rate: 1.5,
  recoveryPerSecond: 0.05,
  now: 0,
};

describe('TokenBucket', () => {
  it('starts full and never holds more than its capacity', () => {
    const bucket = createTokenBucket(SHARD);
    expect(bucket.records).toBe(1000);
    expect(bucket.bytes).toBe(10 * 1024 * 1024);
    bucket.take(10, 1000);
    bucket.refill(3_600_000);
    expect(bucket.records).toBe(1000);
    expect(bucket.bytes).toBe(10 * 1024 * 1024);
  });

  it('refills continuously at the configured multiple of the nominal rate', () => {
    const bucket = createTokenBucket(SHARD);
    bucket.take(1000, 1024 * 1024);
    bucket.refill(100);
    expect(bucket.records).toBeCloseTo(150, 9);
    expect(bucket.bytes).toBeCloseTo(9 * 1024 * 1024 + 0.15 * 1024 * 1024, 6);
  });

  it('grants the same tokens however often it is read, through a recovery ramp', () => {
    const often = createTokenBucket(SHARD);
    const once = createTokenBucket(SHARD);
    for (const bucket of [often, once]) {
      bucket.take(1000, 0);
      bucket.setRate(0.3, 0);
    }
    for (let now = 1; now <= 4000; now++) often.refill(now);
    once.refill(4000);
    // 0.3 rising 0.05/s for 4 s: ∫ = 0.3·4 + 0.05·16/2 = 1.6 → 1600 tokens, capped at 1000.
    expect(often.records).toBeCloseTo(once.records, 6);
    expect(once.records).toBe(1000);
    expect(once.rate).toBeCloseTo(0.5, 12);

    const short = createTokenBucket(SHARD);
    short.take(1000, 0);
    short.setRate(0.3, 0);
    short.refill(2000); // 0.3·2 + 0.05·4/2 = 0.7 → 700 tokens
    expect(short.records).toBeCloseTo(700, 9);
  });

  it('recovers only up to the ceiling', () => {
    const bucket = createTokenBucket(SHARD);
    bucket.take(1000, 0);
    bucket.setRate(1.4, 0);
    bucket.refill(10_000);
    expect(bucket.rate).toBe(1.5);
    bucket.setRate(5, 10_000);
    expect(bucket.rate).toBe(1.5);
  });

  it('holds the multiplier flat for holdMs, then ramps: the same tokens however often it is read', () => {
    const options = { ...SHARD, recoveryPerSecond: 0.02, growthPerSecond: 0.2 };
    const often = createTokenBucket(options);
    const once = createTokenBucket(options);
    for (const bucket of [often, once]) {
      bucket.take(1000, 0);
      bucket.setRate(0.1, 0, 500);
    }
    for (let now = 1; now <= 2500; now++) often.refill(now);
    once.refill(2500);
    // 0.1 for 0.5 s, then dr/dt = 0.2·r + 0.02 for 2 s: r(t) = 0.2·e^(0.2t) − 0.1.
    const ramp = (0.2 * Math.expm1(0.4)) / 0.2 - 0.1 * 2;
    expect(once.records).toBeCloseTo(1000 * (0.1 * 0.5 + ramp), 6);
    expect(often.records).toBeCloseTo(once.records, 6);
    expect(once.rate).toBeCloseTo(0.2 * Math.exp(0.4) - 0.1, 12);
    expect(often.rate).toBeCloseTo(once.rate, 9);

    // A later setRate without holdMs keeps the hold that is running.
    const kept = createTokenBucket(options);
    kept.take(1000, 0);
    kept.setRate(0.1, 0, 1000);
    kept.setRate(0.2, 400);
    kept.refill(1000);
    expect(kept.rate).toBe(0.2);
    expect(kept.records).toBeCloseTo(1000 * (0.1 * 0.4 + 0.2 * 0.6), 9);
  });

  it.each([
    ['a linear ramp', {}],
    ['an exponential ramp after a hold', { recoveryPerSecond: 0.02, growthPerSecond: 0.2, holdMs: 300 }],
  ] as const)('waitMs(…) is exactly when the cost becomes payable, along %s', (_name, ramp) => {
    for (const rate of [0.05, 0.3, 1.45, 1.5]) expectExactWait({ ...SHARD, ...ramp }, rate, 'holdMs' in ramp ? ramp.holdMs : undefined);
  });

  function expectExactWait(options: TokenBucketOptions, rate: number, holdMs: number | undefined): void {
    for (const [records, bytes] of [
      [1, 10],
      [1, 5 * 1024 * 1024],
      [300, 10],
    ] as const) {
      const bucket = createTokenBucket(options);
      bucket.take(1000, 10 * 1024 * 1024);
      bucket.setRate(rate, 0, holdMs);
      const wait = bucket.waitMs(records, bytes);
      expect(wait).toBeGreaterThan(0);
      const early = createTokenBucket(options);
      early.take(1000, 10 * 1024 * 1024);
      early.setRate(rate, 0, holdMs);
      early.refill(wait * 0.999);
      expect(early.canTake(records, bytes)).toBe(false);
      bucket.refill(wait);
      expect(bucket.canTake(records, bytes)).toBe(true);
    }
  }

  it('lets a cost above capacity through once the stream is full, leaving a debt', () => {
    const bucket = createTokenBucket({ ...SHARD, rate: 1, recoveryPerSecond: 0 });
    expect(bucket.canTake(1, 12 * 1024 * 1024)).toBe(true);
    bucket.take(1, 12 * 1024 * 1024);
    expect(bucket.bytes).toBe(-2 * 1024 * 1024);
    expect(bucket.waitMs(1, 1)).toBeCloseTo(2000 + 1 / 1048.576, 9);
    expect(bucket.waitMs(1, 12 * 1024 * 1024)).toBeCloseTo(12_000, 6);
  });
});
