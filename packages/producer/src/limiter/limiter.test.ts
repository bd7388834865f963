import { describe, expect, it } from 'vitest';
import { createFakeClock } from '../clock/fake-clock.js';
import { ProducerClosedError } from '../errors/errors.js';
import type { KinesisRecordState } from '../record/user-record.js';
import { testStream } from '../__tests__/records.js';
import {
  BYTE_BUCKET_CAPACITY,
  createLimiter,
  RECOVERY_GROWTH_PER_SECOND,
  RECOVERY_HOLD_JITTER,
  RECOVERY_HOLD_MAX_MS,
  SEND_INCREASE,
  SHARD_BYTES_PER_SECOND,
  SHARD_RECORDS_PER_SECOND,
  THROTTLE_DECREASE,
  THROTTLE_FLOOR,
  THROTTLE_RECOVERY_PER_SECOND,
} from './limiter.js';
import type { Limiter, LimiterDeps } from './limiter.js';
import { createTokenBucket } from './token-bucket.js';

const MiB = 1024 * 1024;
const STREAM = testStream();
const TINY = new Uint8Array(10);
/** An entry of REFERENCE_ENTRY_SHARE: a twentieth of a shard's 1 MiB/s. */
const REFERENCE_BYTES = Math.ceil(SHARD_BYTES_PER_SECOND / 20);

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
    dataLength: options.bytes === undefined ? TINY.length : options.bytes,
    deadline: options.deadline ?? 0,
    expiresAt: options.expiresAt ?? Number.MAX_SAFE_INTEGER,
  };
}

function setup(rateLimit: number, extra: Partial<LimiterDeps> = {}, random?: () => number) {
  const clock = createFakeClock({ startMs: 0, random });
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

  it('lowers the rate by THROTTLE_DECREASE for a throttled full-size aggregate, far less for a throttled tiny entry', () => {
    const big = setup(100);
    for (let index = 0; index < 400; index++) big.limiter.put(kinesisRecord({ bytes: REFERENCE_BYTES, deadline: index }));
    big.clock.advance(3000); // at the ceiling: 20 entries per second
    big.limiter.onThrottled(0);
    const before = big.released.length;
    big.clock.advance(1000);
    // 0.85 of 20 entries, plus what the ~17 entries released raise it by (SEND_INCREASE each).
    const lowered = 20 * THROTTLE_DECREASE;
    expect(big.released.length - before).toBeGreaterThanOrEqual(Math.floor(lowered) - 1);
    expect(big.released.length - before).toBeLessThanOrEqual(Math.ceil(lowered * SEND_INCREASE ** 17));

    // A 10 B entry is 1/50 of such an aggregate's share of the shard (one record of 1000 per second).
    const tiny = setup(100);
    flood(tiny.limiter, 6000);
    tiny.clock.advance(3000);
    tiny.limiter.onThrottled(0);
    const tinyBefore = tiny.released.length;
    tiny.clock.advance(1000);
    expect(tiny.released.length - tinyBefore).toBeGreaterThanOrEqual(Math.floor(1000 * THROTTLE_DECREASE ** (1 / 50)) - 1);
  });

  it('weighs a throttled entry by the size the caller gives, not by the shard\'s mean entry', () => {
    // The shard sent 10 B entries (1/50 of a reference entry each); the throttled one was a full aggregate.
    const { clock, limiter, released } = setup(100);
    flood(limiter, 6000);
    clock.advance(3000);
    limiter.onThrottled(0, undefined, REFERENCE_BYTES);
    const before = released.length;
    clock.advance(1000);
    // 1000 records/s × THROTTLE_DECREASE, raised by the ~850 tiny entries released (SEND_INCREASE per 50).
    const sent = released.length - before;
    expect(sent).toBeGreaterThanOrEqual(Math.floor(1000 * THROTTLE_DECREASE) - 10);
    expect(sent).toBeLessThanOrEqual(Math.ceil(1000 * THROTTLE_DECREASE * SEND_INCREASE ** 18));
  });

  it('holds the time-based recovery after a throttle (longest at the floor, jittered), then climbs back to rateLimit', () => {
    // The earliest and the latest hold (random 0 and 1) on otherwise identical limiters.
    const runs = [0, 1].map((draw) => {
      const run = setup(150, {}, () => draw);
      flood(run.limiter, 100_000);
      run.clock.advance(2000);
      // 10 B entries are 1/50 of a reference entry each: this many take the rate to the floor.
      for (let entry = 0; entry < 20_000; entry++) run.limiter.onThrottled(0);
      return { ...run, base: run.released.length };
    });
    const released = (run: (typeof runs)[number]): number => run.released.length - run.base;
    // At the floor the hold is RECOVERY_HOLD_MAX_MS, jittered: 7.5 s for one, 12.5 s for the other.
    const shortest = RECOVERY_HOLD_MAX_MS * (1 - RECOVERY_HOLD_JITTER);
    const longest = RECOVERY_HOLD_MAX_MS * (1 + RECOVERY_HOLD_JITTER);
    for (const run of runs) run.clock.advance(shortest);
    // Until the shorter hold ends both are paced alike, by the entries they release (×1.003 per 50).
    expect(released(runs[0]!)).toBe(released(runs[1]!));
    const atShortest = runs.map(released);
    for (const run of runs) run.clock.advance(longest - shortest);
    const held = released(runs[1]!) - atShortest[1]!;
    const floorRecords = 1000 * THROTTLE_FLOOR * ((longest - shortest) / 1000);
    expect(held).toBeGreaterThanOrEqual(floorRecords - 1);
    expect(held).toBeLessThanOrEqual(floorRecords * SEND_INCREASE ** 10);
    // The other climbed RECOVERY_GROWTH_PER_SECOND of itself plus THROTTLE_RECOVERY_PER_SECOND per second for 5 s.
    const shift = THROTTLE_RECOVERY_PER_SECOND / RECOVERY_GROWTH_PER_SECOND;
    const climbSeconds = (longest - shortest) / 1000;
    const climbed = 1000 * (((THROTTLE_FLOOR + shift) * Math.expm1(RECOVERY_GROWTH_PER_SECOND * climbSeconds)) / RECOVERY_GROWTH_PER_SECOND - shift * climbSeconds);
    expect(released(runs[0]!) - atShortest[0]!).toBeGreaterThanOrEqual(0.95 * climbed);
    expect(released(runs[0]!) - atShortest[0]!).toBeLessThanOrEqual(1.1 * climbed);
    for (const run of runs) {
      run.clock.advance(20_000);
      const before = run.released.length;
      run.clock.advance(1000);
      expect(run.released.length - before).toBe(1500);
    }
  });

  it('never drops below THROTTLE_FLOOR of nominal, however many entries are throttled', () => {
    const { clock, limiter, released } = setup(150, {}, () => 0.5);
    flood(limiter, 20_000);
    clock.advance(1000);
    for (let entry = 0; entry < 20_000; entry++) limiter.onThrottled(0);
    const before = released.length;
    clock.advance(1000); // inside the hold: only the entries released raise it (50 tiny ones: ×1.003^1)
    expect(released.length - before).toBeGreaterThanOrEqual(1000 * THROTTLE_FLOOR - 1);
    expect(released.length - before).toBeLessThanOrEqual(Math.ceil(1000 * THROTTLE_FLOOR * SEND_INCREASE));
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
});

interface SharedShardRun {
  /** Accepted bytes in the measuring window ÷ the shard's capacity over it. */
  goodput: number;
  /** Entries throttled ÷ entries sent in the measuring window. */
  throttledShare: number;
}

/**
 * Producers, each with its own limiter at the default rateLimit (150) and a backlog that never
 * runs dry, share one simulated shard that accepts 1 MiB/s with a burst of one second (as Kinesis
 * and the testkit do). Every released aggregate of 51 200 B reaches the shard on release; its
 * answer arrives a round trip later, and a throttled one is re-queued after a 100 ms backoff.
 */
function shareOneShard(producers: number): SharedShardRun {
  const clock = createFakeClock({ startMs: 0 });
  const shard = createTokenBucket({
    recordCapacity: SHARD_RECORDS_PER_SECOND,
    byteCapacity: SHARD_BYTES_PER_SECOND,
    recordsPerSecond: SHARD_RECORDS_PER_SECOND,
    bytesPerSecond: SHARD_BYTES_PER_SECOND,
    rate: 1,
    now: 0,
  });
  const warmUpMs = 5000;
  const endMs = 25_000;
  let accepted = 0;
  let sent = 0;
  let throttled = 0;
  const inWindow = (at: number): boolean => at >= warmUpMs && at < endMs;
  const limiters: Limiter[] = [];
  for (let producer = 0; producer < producers; producer++) {
    const limiter: Limiter = createLimiter({
      clock,
      rateLimit: 150,
      expire: () => {},
      release: (record) => {
        const sentAt = clock.now();
        shard.refill(sentAt);
        const ok = shard.canTake(1, record.dataLength);
        if (ok) shard.take(1, record.dataLength);
        if (inWindow(sentAt)) {
          sent++;
          if (ok) accepted += record.dataLength;
          else throttled++;
        }
        const roundTripMs = 20 + 30 * clock.random();
        clock.setTimer(roundTripMs, () => {
          if (ok) {
            limiter.put({ ...record, deadline: clock.now() + 100 }); // the next aggregate of the backlog
            return;
          }
          limiter.onThrottled(0, sentAt);
          clock.setTimer(100, () => limiter.put({ ...record, deadline: clock.now() }));
        });
      },
    });
    limiters.push(limiter);
  }
  // Each producer keeps more aggregates waiting than the shard could take in the round trips ahead.
  for (const limiter of limiters) for (let index = 0; index < 60; index++) limiter.put(kinesisRecord({ bytes: 51_200, deadline: index }));
  clock.advance(endMs);
  for (const limiter of limiters) limiter.close();
  return { goodput: accepted / (SHARD_BYTES_PER_SECOND * ((endMs - warmUpMs) / 1000)), throttledShare: throttled / sent };
}

describe('Limiter feedback on a shared shard', () => {
  it('keeps four producers on one shard at ≥ 90 % of its capacity with ≤ 10 % of entries throttled', () => {
    const run = shareOneShard(4);
    expect(run.goodput).toBeGreaterThanOrEqual(0.9);
    expect(run.throttledShare).toBeLessThanOrEqual(0.1);
  });

  it('keeps a producer alone on its shard at ≥ 95 % of capacity with ≤ 5 % of entries throttled', () => {
    const run = shareOneShard(1);
    expect(run.goodput).toBeGreaterThanOrEqual(0.95);
    expect(run.throttledShare).toBeLessThanOrEqual(0.05);
  });
});
