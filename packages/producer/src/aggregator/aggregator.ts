/**
 * The aggregator: one batch per predicted shard, emitted when it reaches its deadline, its size
 * or its count (docs/kpl-compatibility.md, "Aggregator"). Members are deadline-sorted when emitted, as the KPL's reducer
 * does; records without a predicted shard are emitted at once as single-record Kinesis records.
 */
import { AggregateBuilder } from '@tskpl/agg-codec';
import type { Clock } from '../clock/clock.js';
import { DeadlineTimer } from '../clock/deadline-timer.js';
import { singleKinesisRecord, type KinesisRecordState, type StreamContext, type UserRecordState } from '../record/user-record.js';

/** Settings of one stream's aggregator. */
export interface AggregatorDeps {
  readonly owner: StreamContext;
  readonly clock: Clock;
  /** Maximum exact serialized size of an aggregate, bytes. */
  readonly maxSize: number;
  /** Maximum user records per aggregate. */
  readonly maxCount: number;
  /** Aggregation off: every record is emitted alone at once, keeping its predicted shard (so the limiter still paces it). @defaultValue false */
  readonly singles?: boolean;
  /** Emitted Kinesis records go here (the limiter). */
  emit(record: KinesisRecordState): void;
  /** Whether a record is to be hurried (a pending `flush()` waits for it); such a record's batch goes in {@link Aggregator.flushUrgent}. @defaultValue never */
  isUrgent?(record: UserRecordState): boolean;
}

/** One stream's aggregator. */
export interface Aggregator {
  /** Adds a record predicted to `record.predictedShard`; -1 emits it alone at once. */
  add(record: UserRecordState): void;
  /** Emits every batch now. */
  flush(): void;
  /** Emits now only the batches that hold an urgent record (see {@link AggregatorDeps.isUrgent}). */
  flushUrgent(): void;
  /** User records currently held. */
  readonly buffered: number;
}

interface ShardBatch {
  readonly shard: number;
  readonly builder: AggregateBuilder;
  records: UserRecordState[];
  deadline: number;
  expiresAt: number;
  mapGeneration: number;
  sorted: boolean;
  /** Holds a record a pending flush waits for. */
  urgent: boolean;
  /** Emits the batch by its deadline. */
  readonly timer: DeadlineTimer;
}

/** Creates one stream's aggregator. */
export function createAggregator(deps: AggregatorDeps): Aggregator {
  // Indexed by shard number (small integers): cheaper than a Map on the per-record path.
  const byShard: Array<ShardBatch | undefined> = [];
  const batches: ShardBatch[] = [];
  let buffered = 0;

  function batchFor(shard: number): ShardBatch {
    let batch = byShard[shard];
    if (batch === undefined) {
      const created: ShardBatch = {
        shard, builder: new AggregateBuilder(), records: [], deadline: Infinity, expiresAt: Infinity, mapGeneration: Infinity, sorted: true, urgent: false,
        timer: new DeadlineTimer(deps.clock, () => {
          if (created.records.length > 0) emitBatch(created);
        }),
      };
      batch = created;
      byShard[shard] = batch;
      batches.push(batch);
    }
    return batch;
  }

  function add(record: UserRecordState): void {
    if (record.predictedShard < 0 || deps.singles === true) {
      deps.emit(singleKinesisRecord(record));
      return;
    }
    const batch = batchFor(record.predictedShard);
    if (batch.records.length > 0 && batch.builder.sizeWith(record) > deps.maxSize) emitBatch(batch);
    const records = batch.records;
    if (records.length > 0 && record.deadline < records[records.length - 1]!.deadline) batch.sorted = false;
    batch.builder.add(record);
    records.push(record);
    buffered++;
    if (deps.isUrgent !== undefined && !batch.urgent && deps.isUrgent(record)) batch.urgent = true;
    if (record.deadline < batch.deadline) batch.deadline = record.deadline;
    if (record.expiresAt < batch.expiresAt) batch.expiresAt = record.expiresAt;
    if (record.mapGeneration < batch.mapGeneration) batch.mapGeneration = record.mapGeneration;
    if (records.length >= deps.maxCount || batch.builder.size >= deps.maxSize) {
      emitBatch(batch);
    } else {
      batch.timer.armBy(batch.deadline);
    }
  }

  function emitBatch(batch: ShardBatch): void {
    batch.timer.cancel();
    const records = batch.records;
    let leftover: UserRecordState[] = [];
    if (!batch.sorted) {
      records.sort(byDeadline);
      batch.builder.reset();
      for (const record of records) batch.builder.add(record);
      // Reordering can change index varint widths; keep the KPL's rule: trim the latest deadlines.
      while (records.length > 1 && batch.builder.size > deps.maxSize) {
        batch.builder.removeLast();
        leftover.push(records.pop()!);
      }
      leftover = leftover.reverse();
    }
    const entry = batch.builder.build();
    buffered -= records.length;
    deps.emit({
      owner: deps.owner,
      records,
      predictedShard: batch.shard,
      partitionKey: entry.partitionKey,
      explicitHashKey: entry.explicitHashKey,
      data: entry.data,
      dataLength: entry.data.length,
      deadline: batch.deadline,
      expiresAt: batch.expiresAt,
      mapGeneration: batch.mapGeneration,
    });
    batch.builder.reset();
    batch.records = [];
    batch.deadline = Infinity;
    batch.expiresAt = Infinity;
    batch.mapGeneration = Infinity;
    batch.sorted = true;
    batch.urgent = false;
    for (const record of leftover) add(record);
  }

  return {
    add,
    flush() {
      for (const batch of batches) if (batch.records.length > 0) emitBatch(batch);
    },
    flushUrgent() {
      for (const batch of batches) if (batch.urgent && batch.records.length > 0) emitBatch(batch);
    },
    get buffered() {
      return buffered;
    },
  };
}

function byDeadline(a: UserRecordState, b: UserRecordState): number {
  return a.deadline - b.deadline;
}
