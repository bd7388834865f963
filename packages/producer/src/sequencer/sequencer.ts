/**
 * The sequencer: ordered delivery (`ordering: 'shard'`, docs/architecture.md "Ordered delivery").
 * It takes the aggregator's place in a stream's pipeline. Records wait in one lane per predicted
 * shard, in the order they were admitted. A lane has at most one Kinesis record (an aggregate,
 * or a record sent alone) unresolved, and builds the next one only when every member of the
 * previous one has its final outcome or is back at the head of the lane to be retried: a failed
 * record is re-sent before anything admitted after it, and no record overtakes an earlier one of
 * its shard. Kinesis records of different shards still share PutRecords requests.
 *
 * Throughput comes from aggregation: while a shard's Kinesis record is in flight, the next one
 * fills (up to the aggregate size limit), so one aggregate per round trip carries the shard.
 *
 * Resharding: the lanes belong to one shard-map generation (or, all together, to records sent
 * unpredicted). A record predicted with another generation starts a drain: new records are held,
 * the lanes send nothing but their retries, and once nothing is unresolved every queued and held
 * record is routed again, in order, with the current map. So no record leaves for a child shard
 * while a record of the same hash range is unresolved on its parent.
 */
import { AggregateBuilder } from '@tskpl/agg-codec';
import type { Clock } from '../clock/clock.js';
import { singleKinesisRecord, userRecordBytesOf, type KinesisRecordState, type StreamContext, type UserRecordState } from '../record/user-record.js';
import { Lane, type LaneHost } from './lane.js';

/** What one stream's sequencer needs. */
export interface SequencerDeps {
  readonly owner: StreamContext;
  readonly clock: Clock;
  /** Maximum exact serialized size of an aggregate, bytes; read at every send (it follows the stream's record size limit). */
  maxSize(): number;
  /** Maximum user records per Kinesis record; 1 when aggregation is off. */
  readonly maxCount: number;
  /** Kinesis records go here (the limiter). */
  emit(record: KinesisRecordState): void;
  /** A record expired while waiting in its lane: fail it. */
  expire(record: UserRecordState): void;
  /** Whether a pending flush waits for a record: its lane then sends without waiting for the buffering deadline. */
  isUrgent(record: UserRecordState): boolean;
  /**
   * After a drain: routes these records again, in this order, with the current shard map, and
   * before any record that waits for the map (they were admitted before it).
   */
  reroute(records: UserRecordState[]): void;
}

/** One stream's sequencer. Created by {@link createSequencer}. */
export interface Sequencer {
  /** Queues a record predicted to `record.predictedShard` (-1: unpredicted) with the map generation `record.mapGeneration`. */
  add(record: UserRecordState): void;
  /** Sends now from every lane that has nothing in flight. */
  flush(): void;
  /** Sends now from the lanes with nothing in flight whose oldest record is urgent. */
  flushUrgent(): void;
  /** Kinesis records unresolved, over all lanes. */
  readonly inFlight: number;
  /** True while a change of shard-map generation holds new records back. */
  readonly draining: boolean;
  /** Cancels the lanes' timers. */
  close(): void;
}

/** Creates one stream's sequencer. */
export function createSequencer(deps: SequencerDeps): Sequencer {
  const { clock } = deps;
  const lanes = new Map<number, Lane>();
  const builder = new AggregateBuilder();
  /** The generation the lanes belong to (-1: unpredicted records); undefined while every lane is empty. */
  let mode: number | undefined;
  let draining = false;
  /** Records admitted during a drain, in order. */
  let held: UserRecordState[] = [];
  let inFlight = 0;
  let closed = false;

  const host: LaneHost = {
    due(lane) {
      pump(lane, false);
    },
    resolved(lane) {
      const members = lane.inFlight!;
      lane.inFlight = undefined;
      inFlight--;
      let returned: UserRecordState[] | undefined;
      for (const member of members) if (!member.settled) (returned ??= []).push(member);
      if (returned !== undefined) {
        lane.retrying = lane.retrying.length === 0 ? returned : returned.concat(lane.retrying);
        lane.retryAt = lane.dueAt;
        if (lane.uncertain) lane.replayOnly = true;
        if (lane.split) {
          const first = Math.ceil(returned.length / 2);
          lane.probes.unshift(first, returned.length - first);
        } else if (lane.probing) {
          lane.probes.unshift(returned.length);
        }
      }
      lane.dueAt = -Infinity;
      lane.uncertain = false;
      lane.split = false;
      lane.probing = false;
      pump(lane, false);
    },
  };

  function laneFor(shard: number): Lane {
    let lane = lanes.get(shard);
    if (lane === undefined) {
      lane = new Lane(shard, host, clock);
      lanes.set(shard, lane);
    }
    return lane;
  }

  function isBusy(lane: Lane): boolean {
    return lane.inFlight !== undefined || lane.retrying.length > 0 || lane.head < lane.queue.length;
  }

  function add(record: UserRecordState): void {
    if (draining) {
      held.push(record);
      return;
    }
    const recordMode = record.predictedShard < 0 ? -1 : record.mapGeneration;
    if (recordMode !== mode) {
      if (mode !== undefined && [...lanes.values()].some(isBusy)) {
        held.push(record);
        startDrain();
        return;
      }
      mode = recordMode;
    }
    const lane = laneFor(record.predictedShard < 0 ? -1 : record.predictedShard);
    const wasEmpty = lane.head === lane.queue.length;
    lane.queue.push(record);
    lane.queuedBytes += userRecordBytesOf(record);
    if (wasEmpty) pump(lane, false);
    else if (lane.inFlight === undefined && lane.retrying.length === 0 && (lane.queuedBytes >= deps.maxSize() || lane.queue.length - lane.head >= deps.maxCount)) pump(lane, false);
  }

  /** Expires, sends if the lane may, and re-arms its timer. Re-entrant calls (from a send or an expiry) run once more after the current one. */
  function pump(lane: Lane, force: boolean): void {
    if (closed) return;
    if (lane.pumping) {
      lane.pumpAgain = true;
      if (force) lane.forceAgain = true;
      return;
    }
    lane.pumping = true;
    try {
      let again = true;
      while (again) {
        lane.pumpAgain = false;
        const now = clock.now();
        expireWaiting(lane, now);
        if (lane.inFlight === undefined) {
          if (lane.retrying.length > 0) {
            if (now >= lane.retryAt) send(lane, now);
          } else if (!draining && lane.head < lane.queue.length && (force || dueToSend(lane, now))) {
            send(lane, now);
          }
        }
        schedule(lane);
        again = lane.pumpAgain;
        force = lane.forceAgain;
        lane.forceAgain = false;
      }
    } finally {
      lane.pumping = false;
    }
    if (draining && lane.inFlight === undefined && lane.retrying.length === 0) checkDrain();
  }

  function dueToSend(lane: Lane, now: number): boolean {
    const head = lane.queue[lane.head]!;
    return now >= head.deadline || lane.queuedBytes >= deps.maxSize() || lane.queue.length - lane.head >= deps.maxCount || deps.isUrgent(head);
  }

  /** Fails the waiting records that expired: the retrying ones, and the queue's head run (the queue is in admission order, so in expiry order). */
  function expireWaiting(lane: Lane, now: number): void {
    if (lane.retrying.length > 0) {
      let expired = false;
      for (const record of lane.retrying) if (now > record.expiresAt) expired = true;
      if (expired) {
        const kept: UserRecordState[] = [];
        const gone: UserRecordState[] = [];
        for (const record of lane.retrying) (now > record.expiresAt ? gone : kept).push(record);
        lane.retrying = kept;
        lane.probes.length = 0;
        if (kept.length === 0) lane.replayOnly = false;
        for (const record of gone) deps.expire(record);
      }
    }
    while (lane.head < lane.queue.length && now > lane.queue[lane.head]!.expiresAt) {
      const record = takeFromQueue(lane);
      deps.expire(record);
    }
  }

  function takeFromQueue(lane: Lane): UserRecordState {
    const record = lane.queue[lane.head]!;
    lane.queue[lane.head++] = undefined as unknown as UserRecordState;
    lane.queuedBytes -= userRecordBytesOf(record);
    if (lane.head === lane.queue.length) {
      lane.queue = [];
      lane.head = 0;
      lane.queuedBytes = 0;
    } else if (lane.head > 1024 && lane.head * 2 > lane.queue.length) {
      lane.queue = lane.queue.slice(lane.head);
      lane.head = 0;
    }
    return record;
  }

  /** Builds the lane's next Kinesis record from its head (retries first) and hands it to the limiter. */
  function send(lane: Lane, now: number): void {
    const fromRetry = lane.retrying.length > 0;
    let limit = deps.maxCount;
    let probing = false;
    if (fromRetry && lane.probes.length > 0) {
      limit = Math.min(limit, lane.probes.shift()!);
      probing = true;
    }
    const first = fromRetry ? lane.retrying[0]! : lane.queue[lane.head]!;
    const members: UserRecordState[] = [];
    let kinesisRecord: KinesisRecordState;
    if (first.predictedShard < 0 || limit === 1) {
      if (fromRetry) lane.retrying.shift();
      else takeFromQueue(lane);
      members.push(first);
      kinesisRecord = singleKinesisRecord(first);
    } else {
      const maxSize = deps.maxSize();
      const shard = first.predictedShard;
      builder.reset();
      const fits = (record: UserRecordState): boolean =>
        members.length < limit && record.predictedShard === shard && (members.length === 0 || builder.sizeWith(record) <= maxSize);
      let taken = 0;
      const retrying = lane.retrying;
      while (taken < retrying.length && fits(retrying[taken]!)) {
        builder.add(retrying[taken]!);
        members.push(retrying[taken++]!);
      }
      if (taken > 0) lane.retrying = taken === retrying.length ? [] : retrying.slice(taken);
      // Queued records join retried ones only when the retried attempt is known not to be stored.
      if (lane.retrying.length === 0 && !(fromRetry && lane.replayOnly) && !probing && !draining) {
        while (lane.head < lane.queue.length && fits(lane.queue[lane.head]!)) {
          const record = takeFromQueue(lane);
          builder.add(record);
          members.push(record);
        }
      }
      const entry = builder.build();
      builder.reset();
      let expiresAt = Infinity;
      let mapGeneration = Infinity;
      for (const member of members) {
        if (member.expiresAt < expiresAt) expiresAt = member.expiresAt;
        if (member.mapGeneration < mapGeneration) mapGeneration = member.mapGeneration;
      }
      // Fields in the aggregator's order: one object shape for the stages downstream.
      kinesisRecord = {
        owner: deps.owner,
        records: members,
        predictedShard: shard,
        partitionKey: entry.partitionKey,
        explicitHashKey: entry.explicitHashKey,
        data: entry.data,
        dataLength: entry.data.length,
        deadline: now,
        expiresAt,
        mapGeneration,
      };
    }
    if (lane.retrying.length === 0) lane.replayOnly = false;
    // It waited in the lane already: the collector sends it with the next batch, without more buffering.
    kinesisRecord.deadline = now;
    for (const member of members) member.lane = lane;
    lane.inFlight = members;
    lane.unresolved = members.length;
    lane.probing = probing;
    inFlight++;
    deps.emit(kinesisRecord);
  }

  /** One timer per lane: the oldest waiting record's expiry, and when the lane is idle, its next send (retry backoff, or the head's buffering deadline). */
  function schedule(lane: Lane): void {
    const retried = lane.retrying[0];
    const queued = lane.head < lane.queue.length ? lane.queue[lane.head] : undefined;
    let at = Infinity;
    if (retried !== undefined) at = retried.expiresAt + 1;
    if (queued !== undefined && queued.expiresAt + 1 < at) at = queued.expiresAt + 1;
    if (lane.inFlight === undefined) {
      if (retried !== undefined) at = Math.min(at, lane.retryAt);
      else if (queued !== undefined && !draining) at = Math.min(at, queued.deadline);
    }
    if (at === Infinity) lane.timer.cancel();
    // An earlier timer stays: waking early costs one pump that re-arms.
    else lane.timer.armBy(at);
  }

  function startDrain(): void {
    draining = true;
    checkDrain();
  }

  /** Ends a drain once no lane has a Kinesis record unresolved or records to re-send. */
  function checkDrain(): void {
    if (!draining) return;
    for (const lane of lanes.values()) if (lane.inFlight !== undefined || lane.retrying.length > 0) return;
    draining = false;
    mode = undefined;
    const records: UserRecordState[] = [];
    for (const lane of lanes.values()) {
      for (let index = lane.head; index < lane.queue.length; index++) records.push(lane.queue[index]!);
      lane.queue = [];
      lane.head = 0;
      lane.queuedBytes = 0;
      lane.probes.length = 0;
      lane.timer.cancel();
    }
    // Shard numbers of the old generation may name other ranges in the new one.
    lanes.clear();
    for (const record of held) records.push(record);
    held = [];
    // Records held during the drain wait at most until every unresolved record (admitted before
    // them) is resolved, which its own expiry bounds; they are checked for expiry on their way out.
    deps.reroute(records);
  }

  return {
    add,
    flush() {
      for (const lane of [...lanes.values()]) pump(lane, true);
    },
    flushUrgent() {
      for (const lane of [...lanes.values()]) pump(lane, false);
    },
    get inFlight() {
      return inFlight;
    },
    get draining() {
      return draining;
    },
    close() {
      closed = true;
      for (const lane of lanes.values()) lane.timer.cancel();
    },
  };
}
