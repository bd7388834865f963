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
import type { Clock } from '../clock/clock.js';
import { DeadlineTimer } from '../clock/deadline-timer.js';
import { ProducerClosedError } from '../errors/errors.js';
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
/*
 * Throttling feedback. Several producers may share a shard, and each believes it owns the shard's
 * full rate. Feedback per unit of time (the rate climbing a fixed amount per second) lets N
 * producers climb N times as fast as one while each sees only its share of the throttles, so
 * throttling grows with N. Here the rate moves per entry instead: every entry released raises it a
 * little, every throttled entry lowers it, both in proportion to the entry's share of a second of
 * the shard's capacity. A rate that neither climbs nor falls then has about
 * ln(SEND_INCREASE) ÷ (ln(SEND_INCREASE) − ln(THROTTLE_DECREASE)) ≈ 1.8 % of its entries
 * throttled, however many producers share the shard. The first throttle of a wave also cuts the
 * rate to what this producer saw accepted over the last second, so a fleet that starts at full
 * rate settles within a few round trips. A time-based recovery brings back a shard that others
 * left, or that went idle; it waits after each throttle for a hold that grows as the producer's
 * share shrinks (jittered, so that producers throttled together do not climb together).
 * See docs/architecture.md and docs/kpl-compatibility.md, "Limiter".
 */

/**
 * The share of a second of a shard's capacity the per-entry factors below are quoted for: 1/20,
 * one full 51 200 B aggregate (`aggregationMaxSize`'s default) of the 1 MiB/s. An entry counts
 * as `max(1 / 1000, bytes / 1 MiB) ÷ REFERENCE_ENTRY_SHARE` such entries.
 */
export const REFERENCE_ENTRY_SHARE = 1 / 20;
/**
 * Throttling feedback: the shard's rate is multiplied by this for each throttled entry of
 * {@link REFERENCE_ENTRY_SHARE} (in proportion for other sizes, taken as the mean size of the
 * shard's recent entries), and the tokens saved up are dropped.
 */
export const THROTTLE_DECREASE = 0.85;
/**
 * Throttling feedback: the shard's rate is multiplied by this for each entry of
 * {@link REFERENCE_ENTRY_SHARE} released (in proportion for other sizes), up to `rateLimit`.
 * With {@link THROTTLE_DECREASE} it sets the share of entries throttled at a steady rate
 * (≈ 1.8 %). In limiter.test.ts's simulation of 1, 2, 4 and 8 producers on one shard, 1.003
 * throttled 2.3 %, 2.6 %, 4.4 % and 7.2 % of entries (1.002: 2.1–5.3 %, 1.005: 3.0–6.4 %; the
 * earlier +10 %/s recovery: 2.9 %, 9.5 %, 24 % and 47 %), all at 99–100 % of the shard's capacity.
 */
export const SEND_INCREASE = 1.003;
/** Throttling feedback: the rate never drops below this fraction of the nominal shard limits (5 %). */
export const THROTTLE_FLOOR = 0.05;
/**
 * Throttling feedback: once the hold after a throttle is over, a lowered rate climbs back by
 * this fraction of itself per second (+20 %/s, compounding) …
 */
export const RECOVERY_GROWTH_PER_SECOND = 0.2;
/** … plus this fraction of the nominal limits per second (+2 %/s), up to `rateLimit`. */
export const THROTTLE_RECOVERY_PER_SECOND = 0.02;
/**
 * Throttling feedback: the hold after a throttle before the time-based recovery starts, ms, at
 * the nominal rate; at a lower rate r (× the nominal limits) it is this ÷ r, at most
 * {@link RECOVERY_HOLD_MAX_MS} (a producer holding half of the shard or less waits 4 s);
 * jittered by ±{@link RECOVERY_HOLD_JITTER}.
 */
export const RECOVERY_HOLD_MS = 2000;
/**
 * Throttling feedback: the longest hold after a throttle, ms. The hold is what a backlog pays
 * once the other writers leave: with 4 processes at twice a 4-shard stream's capacity for 10 s
 * (100 000 records outstanding each), a 10 s cap left the slowest record 26–30 s old against the
 * 30 s TTL, 4 s 22–26 s and 3 s 20–23 s, with 5.0–5.4 %, 6.0–6.5 % and 6.3–6.9 % of entries
 * throttled over the whole run; in the bench's window (bench/RESULTS.md, fleet) 4 s throttled
 * 7.4 % and 3 s 8.0 % (docs/operations.md, "Many producers on one stream").
 */
export const RECOVERY_HOLD_MAX_MS = 4000;
/** Jitter of the hold: it is drawn uniformly from (1 ± this) × the hold. */
export const RECOVERY_HOLD_JITTER = 0.25;
/**
 * Throttling feedback: the time constant, ms, of the decaying averages of the entries released
 * and throttled per shard, from which the accepted rate and the mean entry size are estimated.
 */
export const ACCEPTED_WINDOW_MS = 1000;
/** Throttling feedback: the cut to the accepted rate lowers the rate by at most this factor, once per wave of throttles. */
export const ACCEPTED_CUT_LIMIT = 0.5;
/**
 * Shortest delay between two limiter wake-ups, ms (the KPL's drain poll). The limiter has one
 * timer, armed only while records are queued. Rather than polling blindly it computes when the
 * earliest queued head can be paid (counting rate recovery) or the earliest queued record
 * expires, and wakes then — but never sooner than this, so a saturated shard is served in
 * batches rather than one record per millisecond, and a head that needs seconds of tokens costs
 * one wake-up, not hundreds. An expired record is therefore noticed within this of its expiry.
 */
export const POLL_INTERVAL_MS = 25;

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
   * Throttling feedback for one throttled entry of a shard (it answered
   * `ProvisionedThroughputExceededException`): multiplies the shard's rate by
   * {@link THROTTLE_DECREASE} (to the power of the entry's size in entries of
   * {@link REFERENCE_ENTRY_SHARE}), drops the tokens saved up, and holds the time-based recovery
   * for {@link RECOVERY_HOLD_MS} ÷ the rate (at most {@link RECOVERY_HOLD_MAX_MS}, jittered). The
   * first signal of a wave also cuts the rate to the rate accepted over the last second (by at most
   * {@link ACCEPTED_CUT_LIMIT}); a signal whose request started after the last cut opens a new
   * wave, so the entries of one response, or of requests already in flight when the rate was cut,
   * cut once. The rate never drops below {@link THROTTLE_FLOOR} of the nominal limits (or the
   * configured rate if lower). Released entries raise it by {@link SEND_INCREASE}; after the hold
   * it also climbs by {@link RECOVERY_GROWTH_PER_SECOND} of itself plus
   * {@link THROTTLE_RECOVERY_PER_SECOND} of the nominal limits per second, up to `rateLimit`.
   * @param shardNumber - the throttled shard
   * @param seenAt - clock time the request that was throttled started; defaults to now, which
   *   still counts all entries of one response handled in the same tick as one wave. Pass it when known.
   * @param bytes - the throttled entry's data size; defaults to the mean of the shard's recent entries
   */
  onThrottled(shardNumber: number, seenAt?: number, bytes?: number): void;
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
}

interface ShardLimiter {
  readonly bucket: TokenBucket;
  readonly queue: DeadlineQueue;
  /** Clock time of the last cut to the accepted rate (the start of the current wave of throttles). */
  lastCutAt: number;
  /** Decaying sums (time constant {@link ACCEPTED_WINDOW_MS}) of the records and bytes released and of the entries throttled, as of `statsAt`. */
  sentRecords: number;
  sentBytes: number;
  throttles: number;
  statsAt: number;
  /** Clock time the shard's averages started (they are corrected for the shorter history until a window has passed). */
  readonly createdAt: number;
  /** Queued for service in the current pump. */
  dirty: boolean;
}

/** Creates a limiter (`rateLimit` is validated with the producer's options, docs/architecture.md "Configuration"). */
export function createLimiter(deps: LimiterDeps): Limiter {
  const { clock } = deps;
  const rateLimit = deps.rateLimit;
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
  const timer = new DeadlineTimer(clock, serveAll);

  function shardOf(shardNumber: number): ShardLimiter {
    let shard = shards.get(shardNumber);
    if (shard === undefined) {
      const now = clock.now();
      shard = {
        bucket: createTokenBucket({
          recordCapacity: RECORD_BUCKET_CAPACITY,
          byteCapacity: BYTE_BUCKET_CAPACITY,
          recordsPerSecond: SHARD_RECORDS_PER_SECOND,
          bytesPerSecond: SHARD_BYTES_PER_SECOND,
          rate: multiplier,
          recoveryPerSecond: THROTTLE_RECOVERY_PER_SECOND,
          growthPerSecond: RECOVERY_GROWTH_PER_SECOND,
          now,
        }),
        queue: createDeadlineQueue(),
        lastCutAt: -Infinity,
        sentRecords: 0,
        sentBytes: 0,
        throttles: 0,
        statsAt: now,
        createdAt: now,
        dirty: false,
      };
      shards.set(shardNumber, shard);
    }
    return shard;
  }

  /** Decays the shard's averages to `now`. */
  function age(shard: ShardLimiter, now: number): void {
    const elapsed = now - shard.statsAt;
    if (elapsed <= 0) return;
    const kept = Math.exp(-elapsed / ACCEPTED_WINDOW_MS);
    shard.sentRecords *= kept;
    shard.sentBytes *= kept;
    shard.throttles *= kept;
    shard.statsAt = now;
  }

  /** An entry of `bytes` counts as this many entries of {@link REFERENCE_ENTRY_SHARE}. */
  function weight(bytes: number): number {
    return Math.max(1 / SHARD_RECORDS_PER_SECOND, bytes / SHARD_BYTES_PER_SECOND) / REFERENCE_ENTRY_SHARE;
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
      const bytes = head.dataLength;
      if (!bucket.canTake(1, bytes)) {
        if (queue.earliestExpiry === Infinity) return now + bucket.waitMs(1, bytes);
        return Math.min(now + bucket.waitMs(1, bytes), queue.earliestExpiry + 1);
      }
      bucket.take(1, bytes);
      age(shard, now);
      shard.sentRecords += 1;
      shard.sentBytes += bytes;
      if (bucket.rate < bucket.ceiling) bucket.setRate(bucket.rate * SEND_INCREASE ** weight(bytes), now);
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
    if (queued === 0 || closed) timer.cancel();
    else timer.armBy(Math.max(wake, clock.now() + POLL_INTERVAL_MS));
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
    onThrottled(shardNumber: number, seenAt?: number, bytes?: number): void {
      const now = clock.now();
      const shard = shardOf(shardNumber);
      const bucket = shard.bucket;
      age(shard, now);
      shard.throttles += 1;
      // The throttled entry's data size when the caller gives it; else the mean of the shard's
      // recent entries stands in (a reference entry when nothing was released yet).
      const entries = bytes !== undefined ? weight(bytes) : shard.sentRecords > 0 ? weight(shard.sentBytes / shard.sentRecords) : 1;
      let next = bucket.rate * THROTTLE_DECREASE ** entries;
      if ((seenAt ?? now) > shard.lastCutAt) {
        shard.lastCutAt = now;
        // What this producer got through over the last second, as a multiplier of the nominal limits.
        const history = 1 - Math.exp(-Math.max(now - shard.createdAt, 1) / ACCEPTED_WINDOW_MS);
        const perWindow = Math.max(shard.sentRecords / SHARD_RECORDS_PER_SECOND, shard.sentBytes / SHARD_BYTES_PER_SECOND) / history;
        const accepted = (perWindow * 1000) / ACCEPTED_WINDOW_MS * Math.max(0, 1 - shard.throttles / Math.max(1, shard.sentRecords));
        next = Math.min(next, Math.max(accepted, bucket.rate * ACCEPTED_CUT_LIMIT));
      }
      const lowered = Math.max(floor, next);
      // A producer with a smaller share of the shard gets proportionally fewer throttles: its
      // quiet spells are longer without meaning that the shard has room, so its hold is longer.
      const hold = Math.min(RECOVERY_HOLD_MAX_MS, RECOVERY_HOLD_MS / Math.min(1, lowered));
      bucket.setRate(lowered, now, hold * (1 + RECOVERY_HOLD_JITTER * (2 * clock.random() - 1)));
      // The shard just said it is full: tokens saved up while it was not must not be spent at
      // once, or the lowered rate only takes effect once they are gone.
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
