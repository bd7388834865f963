/**
 * The limiter of one stream: per-shard token buckets (1000 records/s and 1 MiB/s per shard,
 * times `rateLimit / 100`; capacities of one second of the service's limit: 1000 records and
 * 1 MiB) that hold Kinesis records back
 * so that no shard is sent more than it accepts. Records wait per shard in deadline order and
 * leave head-of-line while both buckets can pay. Unlike the KPL, a shard that answers
 * `ProvisionedThroughputExceededException` gets a lower rate, which then recovers gradually.
 * See docs/kpl-compatibility.md, "Limiter".
 *
 * Shard numbers are per stream: create one limiter per stream.
 */
import type { Clock, Timer } from '../clock/clock.js';
import { ConfigError, ProducerClosedError } from '../errors/errors.js';
import type { KinesisRecordState } from '../record/user-record.js';
import { createDeadlineQueue } from './deadline-queue.js';
import type { DeadlineQueue } from './deadline-queue.js';
import { createTokenBucket } from './token-bucket.js';
import type { TokenBucket } from './token-bucket.js';

/** Records a shard accepts per second (the records stream refills at this × `rateLimit / 100`). */
export const SHARD_RECORDS_PER_SECOND = 1000;
/** Bytes a shard accepts per second (the bytes stream refills at this × `rateLimit / 100`). */
export const SHARD_BYTES_PER_SECOND = 1024 * 1024;
/**
 * Capacity of a shard's records bucket: one second of what the service accepts. A larger bucket
 * (the KPL's) lets a burst after an idle period or a stall go out at once, and the shard throttles it.
 */
export const RECORD_BUCKET_CAPACITY = 1000;
/**
 * Capacity of a shard's bytes bucket: one second of what the service accepts (1 MiB; the KPL holds
 * 10 MiB, which after an idle period sends a 4 MiB burst to one shard at once). A record larger
 * than this passes from a full bucket and leaves a debt.
 */
export const BYTE_BUCKET_CAPACITY = 1024 * 1024;
/**
 * Throttling feedback: the shard's rate is multiplied by this on each counted throttle (and the
 * tokens saved up are dropped). 0.85 with a recovery of +10 %/s: in the saturation test (4 shards,
 * offered 130 % of capacity) this kept goodput at 91–103 % of capacity with 3–5 % of entries
 * throttled; 0.7 with +5 %/s left shards under-used (78–87 %), 0.9 throttled more (5–14 %).
 */
export const THROTTLE_DECREASE = 0.85;
/** Throttling feedback: the rate never drops below this fraction of the nominal shard limits (5 %). */
export const THROTTLE_FLOOR = 0.05;
/** Throttling feedback: a lowered rate climbs back by this fraction of the nominal limits per second (+10 %/s). */
export const THROTTLE_RECOVERY_PER_SECOND = 0.1;
/** Default shortest delay between two limiter wake-ups, ms (the KPL's drain poll). */
export const DEFAULT_POLL_INTERVAL_MS = 25;

/** Holds Kinesis records back per shard. Created by {@link createLimiter}. */
export interface Limiter {
  /**
   * Queues a Kinesis record for its predicted shard (`predictedShard ≥ 0`); it is released in
   * deadline order while both buckets can pay, head-of-line (no skipping). Records with
   * `predictedShard` -1 are released at once. A record that can be paid at once is released
   * before `put` returns.
   * @throws {@link ProducerClosedError} after {@link Limiter.close}
   */
  put(record: KinesisRecordState): void;
  /**
   * Throttling feedback for a shard (an entry answered `ProvisionedThroughputExceededException`):
   * multiplies the shard's rate by {@link THROTTLE_DECREASE} (floor {@link THROTTLE_FLOOR} of the
   * nominal limits, or the configured rate if lower), after which it climbs back by
   * {@link THROTTLE_RECOVERY_PER_SECOND} of the nominal limits per second up to `rateLimit`.
   * One decrease per wave: a signal whose request started at or before the last decrease is
   * ignored, so the many throttled entries of one response — or of requests already in flight
   * when the rate was lowered — count once.
   * @param shardNumber - the throttled shard
   * @param seenAt - clock time the request that was throttled started; defaults to now, which
   *   still coalesces all entries of one response handled in the same tick. Pass it when known.
   */
  onThrottled(shardNumber: number, seenAt?: number): void;
  /** Records waiting, over all shards. */
  readonly queued: number;
  /** Releases now whatever the buckets allow, expiring overdue records first (called by flush); never bypasses the limits. */
  drain(): void;
  /** Cancels the timer; records still queued stay queued. Idempotent. */
  close(): void;
}

/** What {@link createLimiter} needs. */
export interface LimiterDeps {
  clock: Clock;
  /** Percent of the shard limits to allow (the KPL's `RateLimit`, default 150). */
  rateLimit: number;
  /** Released records go here (the collector). */
  release(record: KinesisRecordState): void;
  /** Records that expired while queued (`now > expiresAt`) go here, and are not released. */
  expire(record: KinesisRecordState): void;
  /**
   * Shortest delay between two wake-ups, ms. @defaultValue 25
   *
   * The limiter has one timer, armed only while records are queued. Rather than polling blindly
   * it computes when the earliest queued head can be paid (counting rate recovery) or the
   * earliest queued record expires, and wakes then — but never sooner than this interval, so a
   * saturated shard is served in batches (like the KPL's 25 ms poll) rather than one record per
   * millisecond, and a head that needs seconds of tokens costs one wake-up, not hundreds. An
   * expired record is therefore noticed within this interval of its expiry.
   */
  pollIntervalMs?: number;
}

interface ShardLimiter {
  readonly bucket: TokenBucket;
  readonly queue: DeadlineQueue;
  /** Clock time of the last counted throttle. */
  lastDecreaseAt: number;
  /** Queued for service in the current pump. */
  dirty: boolean;
}

/**
 * Creates a limiter.
 * @throws {@link ConfigError} when `rateLimit` is not a positive finite number or `pollIntervalMs` not an integer in 1 … 60000
 */
export function createLimiter(deps: LimiterDeps): Limiter {
  const { clock } = deps;
  const rateLimit = deps.rateLimit;
  if (typeof rateLimit !== 'number' || !Number.isFinite(rateLimit) || rateLimit <= 0) {
    throw new ConfigError('rateLimit', rateLimit, 'a finite number greater than 0 (percent of the shard limits)');
  }
  const pollIntervalMs = deps.pollIntervalMs ?? DEFAULT_POLL_INTERVAL_MS;
  if (typeof pollIntervalMs !== 'number' || !Number.isInteger(pollIntervalMs) || pollIntervalMs < 1 || pollIntervalMs > 60_000) {
    throw new ConfigError('pollIntervalMs', pollIntervalMs, 'an integer in 1 … 60000 (milliseconds)');
  }
  const multiplier = rateLimit / 100;
  const floor = Math.min(THROTTLE_FLOOR, multiplier);

  const shards = new Map<number, ShardLimiter>();
  /** Shards with records queued. */
  const active = new Set<ShardLimiter>();
  /** Shards to serve in the current pump. */
  const dirty: ShardLimiter[] = [];
  /** Reused buffer for expired records. */
  const expired: KinesisRecordState[] = [];
  let queued = 0;
  let pumping = false;
  let closed = false;
  let timer: Timer | undefined;
  let timerAt = Infinity;

  function shardOf(shardNumber: number): ShardLimiter {
    let shard = shards.get(shardNumber);
    if (shard === undefined) {
      shard = {
        bucket: createTokenBucket({
          recordCapacity: RECORD_BUCKET_CAPACITY,
          byteCapacity: BYTE_BUCKET_CAPACITY,
          recordsPerSecond: SHARD_RECORDS_PER_SECOND,
          bytesPerSecond: SHARD_BYTES_PER_SECOND,
          rate: multiplier,
          recoveryPerSecond: THROTTLE_RECOVERY_PER_SECOND,
          now: clock.now(),
        }),
        queue: createDeadlineQueue(),
        lastDecreaseAt: -Infinity,
        dirty: false,
      };
      shards.set(shardNumber, shard);
    }
    return shard;
  }

  function markDirty(shard: ShardLimiter): void {
    if (shard.dirty) return;
    shard.dirty = true;
    dirty.push(shard);
  }

  /** Expires, then releases what the buckets allow; returns when this shard next needs a wake-up (Infinity if empty). */
  function serve(shard: ShardLimiter, now: number): number {
    const { queue, bucket } = shard;
    if (now > queue.earliestExpiry) {
      queue.removeExpired(now, expired);
      queued -= expired.length;
      try {
        for (const record of expired) deps.expire(record);
      } finally {
        expired.length = 0;
      }
    }
    bucket.refill(now);
    for (let head = queue.peek(); head !== undefined; head = queue.peek()) {
      const bytes = head.data.byteLength;
      if (!bucket.canTake(1, bytes)) {
        if (queue.earliestExpiry === Infinity) return now + bucket.waitMs(1, bytes);
        return Math.min(now + bucket.waitMs(1, bytes), queue.earliestExpiry + 1);
      }
      bucket.take(1, bytes);
      queue.pop();
      queued--;
      deps.release(head);
    }
    active.delete(shard);
    return Infinity;
  }

  function pump(): void {
    if (pumping) return; // the running pump picks up the shards just marked
    pumping = true;
    let wake = Infinity;
    try {
      for (let shard = dirty.pop(); shard !== undefined; shard = dirty.pop()) {
        shard.dirty = false;
        const shardWake = serve(shard, clock.now());
        if (shardWake < wake) wake = shardWake;
      }
    } finally {
      pumping = false;
      arm(wake);
    }
  }

  /** Keeps the one timer armed for the earliest wake-up, no sooner than the poll interval; none when nothing is queued. */
  function arm(wake: number): void {
    if (queued === 0 || closed) {
      timer?.cancel();
      timer = undefined;
      timerAt = Infinity;
      return;
    }
    const now = clock.now();
    const at = Math.max(wake, now + pollIntervalMs);
    if (at >= timerAt) return;
    timer?.cancel();
    timerAt = at;
    timer = clock.setTimer(at - now, onTimer);
  }

  function onTimer(): void {
    timer = undefined;
    timerAt = Infinity;
    serveAll();
  }

  function serveAll(): void {
    for (const shard of active) markDirty(shard);
    pump();
  }

  return {
    put(record: KinesisRecordState): void {
      if (closed) throw new ProducerClosedError('The limiter is closed; put() is not allowed after close().');
      if (record.predictedShard < 0) {
        deps.release(record);
        return;
      }
      const shard = shardOf(record.predictedShard);
      shard.queue.push(record);
      queued++;
      active.add(shard);
      markDirty(shard);
      pump();
    },
    onThrottled(shardNumber: number, seenAt?: number): void {
      const now = clock.now();
      const shard = shardOf(shardNumber);
      if ((seenAt ?? now) <= shard.lastDecreaseAt) return;
      shard.lastDecreaseAt = now;
      const bucket = shard.bucket;
      bucket.setRate(Math.max(floor, bucket.rate * THROTTLE_DECREASE), now);
      // The shard just said it is full: tokens saved up while it was not (up to 10 MiB) must not
      // be spent at once, or the lowered rate only takes effect once they are gone.
      bucket.take(Math.max(0, bucket.records), Math.max(0, bucket.bytes));
    },
    get queued() {
      return queued;
    },
    drain(): void {
      if (!closed) serveAll();
    },
    close(): void {
      closed = true;
      arm(Infinity);
    },
  };
}
