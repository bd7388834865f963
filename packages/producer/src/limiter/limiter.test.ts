import { describe, expect, it } from 'vitest';
import { createFakeClock } from '../clock/fake-clock.js';
import { ConfigError, ProducerClosedError } from '../errors/errors.js';
import type { KinesisRecordState } from '../record/user-record.js';
import { testStream } from '../__tests__/records.js';
import { BYTE_BUCKET_CAPACITY, createLimiter, THROTTLE_DECREASE, THROTTLE_FLOOR, THROTTLE_RECOVERY_PER_SECOND } from './limiter.js';
import type { LimiterDeps } from './limiter.js';

const MiB = 1024 * 1024;
const STREAM = testStream();
const TINY = new Uint8Array(10);

const payloads = new Map<number, Uint8Array>();
/** Zeroed data of a size, shared between records (the limiter reads only its length). */
function payload(bytes: number): Uint8Array {
  let data = payloads.get(bytes);
  if (data === undefined) {
    data = new Uint8Array(bytes);
    payloads.set(bytes, data);
  }
  return data;
}

interface RecordOptions {
  name?: string;
  shard?: number;
  bytes?: number;
  deadline?: number;
  expiresAt?: number;
}

/** A Kinesis record; its partition key carries a name so assertions compare names, never multi-MiB payloads. */
function kinesisRecord(options: RecordOptions = {}): KinesisRecordState {
  return {
    owner: STREAM,
    records: [],
    predictedShard: options.shard ?? 0,
    mapGeneration: 0,
    partitionKey: options.name ?? 'a',
    explicitHashKey: '0',
    data: options.bytes === undefined ? TINY : payload(options.bytes),
    deadline: options.deadline ?? 0,
    expiresAt: options.expiresAt ?? Number.MAX_SAFE_INTEGER,
  };
}

function setup(rateLimit: number, extra: Partial<LimiterDeps> = {}) {
  const clock = createFakeClock({ startMs: 0 });
  const released: KinesisRecordState[] = [];
  const expired: KinesisRecordState[] = [];
  const limiter = createLimiter({
    clock,
    rateLimit,
    release: (record) => released.push(record),
    expire: (record) => expired.push(record),
    ...extra,
  });
  return { clock, limiter, released, expired };
}

function names(records: readonly KinesisRecordState[]): string[] {
  return records.map((record) => record.partitionKey);
}

/** Puts `count` tiny records for shard 0 with increasing deadlines. */
function flood(limiter: { put(record: KinesisRecordState): void }, count: number, shard = 0): KinesisRecordState[] {
  const records = Array.from({ length: count }, (_, index) => kinesisRecord({ name: `r${index}`, shard, deadline: index }));
  for (const record of records) limiter.put(record);
  return records;
}

describe('Limiter rate', () => {
  it.each([
    [150, 1500],
    [100, 1000],
  ])('passes exactly 1000·m records per second of tiny records at rateLimit %i', (rateLimit, perSecond) => {
    const { clock, limiter, released } = setup(rateLimit);
    const records = flood(limiter, 1000 + 4 * perSecond + 7);
    expect(released).toHaveLength(1000); // buckets start full: a 1000-record burst
    for (let second = 1; second <= 4; second++) {
      const before = released.length;
      clock.advance(1000);
      expect(released.length - before).toBe(perSecond);
    }
    expect(names(released)).toEqual(names(records.slice(0, released.length)));
    expect(limiter.queued).toBe(7);
  });

  it('limits large records by bytes: a burst of one second (1 MiB), then 1 MiB per second at rateLimit 100', () => {
    const { clock, limiter, released } = setup(100);
    const size = 100 * 1024;
    for (let index = 0; index < 300; index++) limiter.put(kinesisRecord({ bytes: size, deadline: index }));
    expect(released).toHaveLength(Math.floor(BYTE_BUCKET_CAPACITY / size));
    for (let second = 1; second <= 10; second++) {
      clock.advance(1000);
      expect(released).toHaveLength(Math.floor((BYTE_BUCKET_CAPACITY + second * MiB) / size));
    }
  });

  it('caps refill at capacity: after an hour idle a shard bursts 1000 records, not more', () => {
    const { clock, limiter, released } = setup(150);
    flood(limiter, 10);
    clock.advance(3_600_000);
    released.length = 0;
    flood(limiter, 5000);
    expect(released).toHaveLength(1000);
  });

  it('keeps shards independent', () => {
    const { limiter, released } = setup(100);
    flood(limiter, 1500, 0);
    flood(limiter, 1200, 1);
    expect(released.filter((record) => record.predictedShard === 0)).toHaveLength(1000);
    expect(released.filter((record) => record.predictedShard === 1)).toHaveLength(1000);
    expect(limiter.queued).toBe(700);
  });

  it('drain() releases what the buckets allow now, and no more', () => {
    const { clock, limiter, released } = setup(150);
    flood(limiter, 2000);
    clock.advance(10); // before the first poll: 15 tokens accrued
    limiter.drain();
    expect(released).toHaveLength(1015);
    limiter.drain();
    expect(released).toHaveLength(1015);
  });
});

describe('Limiter ordering and bypass', () => {
  it('releases in deadline order, head-of-line: a large head blocks smaller records behind it', () => {
    const { clock, limiter, released } = setup(100);
    limiter.put(kinesisRecord({ name: 'emptier', bytes: BYTE_BUCKET_CAPACITY, deadline: 0 }));
    limiter.put(kinesisRecord({ name: 'small', bytes: 10, deadline: 50 }));
    limiter.put(kinesisRecord({ name: 'big', bytes: MiB / 2, deadline: 10 }));
    limiter.put(kinesisRecord({ name: 'later', bytes: 10, deadline: 60 }));
    expect(names(released)).toEqual(['emptier']);
    clock.advance(490); // 0.5 MiB needs 0.5 s at 1 MiB/s; the small ones must not jump the queue
    expect(names(released)).toEqual(['emptier']);
    clock.advance(20);
    expect(names(released)).toEqual(['emptier', 'big']);
    clock.advance(25); // the big one emptied the bucket again: the next poll pays the small ones
    expect(names(released)).toEqual(['emptier', 'big', 'small', 'later']);
  });

  it('releases unpredicted records at once, even when the shard is saturated', () => {
    const { clock, limiter, released } = setup(100);
    flood(limiter, 1200);
    limiter.put(kinesisRecord({ name: 'unpredicted', shard: -1, bytes: 20 * MiB }));
    expect(released.at(-1)?.partitionKey).toBe('unpredicted');
    expect(limiter.queued).toBe(200);
    const timers = clock.pendingTimers;
    limiter.put(kinesisRecord({ shard: -1 }));
    expect(clock.pendingTimers).toBe(timers);
  });

  it('releases a record larger than the byte bucket once the bucket is full, and repays the excess', () => {
    const { clock, limiter, released } = setup(100);
    limiter.put(kinesisRecord({ name: 'oversize', bytes: 3 * MiB }));
    expect(names(released)).toEqual(['oversize']); // full bucket (1 MiB): out at once, 2 MiB in debt
    limiter.put(kinesisRecord({ name: 'next', bytes: 1 }));
    clock.advance(1990);
    expect(names(released)).toEqual(['oversize']);
    clock.advance(20);
    expect(names(released)).toEqual(['oversize', 'next']);

    // Behind a partly drained bucket it waits until the bucket is full again, then goes.
    clock.advance(60_000);
    limiter.put(kinesisRecord({ name: 'eight', bytes: 0.8 * MiB }));
    limiter.put(kinesisRecord({ name: 'second', bytes: 3 * MiB }));
    clock.advance(790);
    expect(names(released)).toEqual(['oversize', 'next', 'eight']);
    clock.advance(30);
    expect(names(released)).toEqual(['oversize', 'next', 'eight', 'second']);
  });

  it('re-entrant put from the release callback is served, not lost', () => {
    const clock = createFakeClock({ startMs: 0 });
    const released: KinesisRecordState[] = [];
    const extra = kinesisRecord({ name: 'extra', deadline: 5 });
    let limiter: ReturnType<typeof createLimiter> | undefined = undefined;
    limiter = createLimiter({
      clock,
      rateLimit: 100,
      release: (record) => {
        released.push(record);
        if (released.length === 1) limiter?.put(extra);
      },
      expire: () => {},
    });
    limiter.put(kinesisRecord({ name: 'first', deadline: 1 }));
    expect(names(released)).toEqual(['first', 'extra']);
    expect(limiter.queued).toBe(0);
  });
});

describe('Limiter expiry, throttling and lifecycle', () => {
  it('expires overdue records before releasing, without releasing them', () => {
    const { clock, limiter, released, expired } = setup(100);
    flood(limiter, 1000);
    limiter.put(kinesisRecord({ name: 'doomed', deadline: 5, expiresAt: 10 }));
    limiter.put(kinesisRecord({ name: 'survivor', deadline: 8, expiresAt: 10_000 }));
    expect(limiter.queued).toBe(2);
    clock.advance(25); // first poll: 25 tokens, but the doomed head expired first
    expect(names(expired)).toEqual(['doomed']);
    expect(names(released)).not.toContain('doomed');
    expect(released.at(-1)?.partitionKey).toBe('survivor');
    expect(limiter.queued).toBe(0);
  });

  it('expires a record stuck behind a head that cannot be paid for seconds', () => {
    const { clock, limiter, released, expired } = setup(100);
    limiter.put(kinesisRecord({ bytes: BYTE_BUCKET_CAPACITY }));
    limiter.put(kinesisRecord({ name: 'blocker', bytes: 8 * MiB, deadline: 1 }));
    limiter.put(kinesisRecord({ name: 'doomed', deadline: 2, expiresAt: 300 }));
    clock.advance(400);
    expect(names(expired)).toEqual(['doomed']);
    expect(names(released)).not.toContain('blocker');
    expect(limiter.queued).toBe(1);
  });

  it('lowers a throttled shard by THROTTLE_DECREASE and recovers it by THROTTLE_RECOVERY_PER_SECOND of nominal', () => {
    const { clock, limiter, released } = setup(150);
    flood(limiter, 40_000);
    clock.advance(1000);
    // 200 throttled entries handled in the same tick count once.
    for (let entry = 0; entry < 200; entry++) limiter.onThrottled(0);
    const counts: number[] = [];
    for (let second = 0; second < 11; second++) {
      const before = released.length;
      clock.advance(1000);
      counts.push(released.length - before);
    }
    // Rate 1.5 × THROTTLE_DECREASE rising linearly back to 1.5: records released = 1000 × ∫ rate.
    const start = 1.5 * THROTTLE_DECREASE;
    const reach = (1.5 - start) / THROTTLE_RECOVERY_PER_SECOND;
    const area = (t: number): number =>
      t <= reach ? start * t + (THROTTLE_RECOVERY_PER_SECOND * t * t) / 2 : start * reach + (THROTTLE_RECOVERY_PER_SECOND * reach * reach) / 2 + 1.5 * (t - reach);
    counts.forEach((count, second) => expect(Math.abs(count - 1000 * (area(second + 1) - area(second)))).toBeLessThanOrEqual(1));
    expect(counts[0]).toBeLessThan(1500);
    expect(counts[10]).toBe(1500);
    expect(Math.abs(counts.slice(0, 9).reduce((sum, count) => sum + count, 0) - 1000 * area(9))).toBeLessThanOrEqual(1);
  });

  it('drops the tokens a shard saved up when it is throttled, so the lowered rate applies at once', () => {
    const { clock, limiter, released } = setup(150);
    clock.advance(5000); // idle: the buckets are full (1000 records)
    limiter.onThrottled(0);
    flood(limiter, 5000);
    // Without the drop, 1000 saved records would leave at once; with it, only what the lowered rate grants.
    expect(released.length).toBeLessThanOrEqual(1);
    clock.advance(1000);
    expect(released.length).toBeLessThan(1500 * THROTTLE_DECREASE + THROTTLE_RECOVERY_PER_SECOND * 1000);
  });

  it('ignores throttles from requests started before the last decrease, and never drops below THROTTLE_FLOOR of nominal', () => {
    const { clock, limiter, released } = setup(150);
    flood(limiter, 20_000);
    clock.advance(1000);
    limiter.onThrottled(0, clock.now() - 100);
    clock.advance(1);
    limiter.onThrottled(0, clock.now() - 100); // sent before the decrease: ignored
    let before = released.length;
    clock.advance(999);
    const lowered = 1.5 * THROTTLE_DECREASE;
    // The tokens of the whole second since the decrease (the ignored signal changes nothing): 1000 × ∫ rate.
    expect(Math.abs(released.length - before - 1000 * (lowered + THROTTLE_RECOVERY_PER_SECOND / 2))).toBeLessThanOrEqual(1);

    for (let wave = 0; wave < 30; wave++) {
      clock.advance(1);
      limiter.onThrottled(0, clock.now());
    }
    before = released.length;
    clock.advance(1000);
    // From the floor, rising THROTTLE_RECOVERY_PER_SECOND: 1000 × (floor + recovery / 2) records in the next second.
    expect(Math.abs(released.length - before - 1000 * (THROTTLE_FLOOR + THROTTLE_RECOVERY_PER_SECOND / 2))).toBeLessThanOrEqual(1);
  });

  it('runs no timer while nothing is queued', () => {
    const { clock, limiter } = setup(150);
    flood(limiter, 500);
    expect(clock.pendingTimers).toBe(0);
    flood(limiter, 2000);
    expect(clock.pendingTimers).toBe(1);
    clock.advance(1000);
    expect(limiter.queued).toBe(0);
    expect(clock.pendingTimers).toBe(0);
  });

  it('close() stops the timer and forbids put', () => {
    const { clock, limiter } = setup(100);
    limiter.put(kinesisRecord());
    limiter.close();
    limiter.close();
    expect(clock.pendingTimers).toBe(0);
    expect(() => limiter.put(kinesisRecord())).toThrow(ProducerClosedError);
  });

  it('rejects a rateLimit or pollIntervalMs outside its range, naming the option', () => {
    expect(() => setup(0)).toThrow(ConfigError);
    expect(() => setup(Number.NaN)).toThrow(/rateLimit: got NaN/);
    expect(() => setup(100, { pollIntervalMs: 0 })).toThrow(/pollIntervalMs: got 0; expected an integer in 1 … 60000/);
  });
});
