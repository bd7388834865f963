import { ShardLimiter } from '../limits/token-bucket.js';
import type { ShardLimitsOptions } from '../config/options.js';
import { formatShardId } from './sequence-number.js';
import type { StoredRecord } from './stored-record.js';

/** Per-shard counts kept for verification. */
export interface ShardCounts {
  /** Records stored. */
  accepted: number;
  /** Bytes stored (data + partition key). */
  acceptedBytes: number;
  /** Entries refused with `ProvisionedThroughputExceededException` (limits or injected). */
  throttled: number;
  /** Entries refused with any other per-entry error (e.g. injected `InternalFailure`). */
  failed: number;
}

/** Parameters of a new {@link Shard}. */
export interface ShardInit {
  shardNumber: number;
  startingHashKey: bigint;
  endingHashKey: bigint;
  parentShardId?: string | undefined;
  adjacentParentShardId?: string | undefined;
  startingCounter: number;
  createdAtMs: number;
  limits: Readonly<Required<ShardLimitsOptions>>;
}

/** One shard: its hash key range, lineage, stored records, counts and write limiter. */
export class Shard {
  readonly shardId: string;
  readonly shardNumber: number;
  readonly startingHashKey: bigint;
  readonly endingHashKey: bigint;
  readonly parentShardId: string | undefined;
  readonly adjacentParentShardId: string | undefined;
  /** Stream counter at creation: the shard's StartingSequenceNumber. */
  readonly startingCounter: number;
  /** Stream counter at closing (≥ every record's): the shard's EndingSequenceNumber; undefined while open. */
  endingCounter: number | undefined;
  readonly createdAtMs: number;
  closedAtMs: number | undefined;
  /** Records in arrival (= sequence) order. */
  records: StoredRecord[] = [];
  counts: ShardCounts = { accepted: 0, acceptedBytes: 0, throttled: 0, failed: 0 };
  readonly limiter: ShardLimiter;

  constructor(init: ShardInit) {
    this.shardNumber = init.shardNumber;
    this.shardId = formatShardId(init.shardNumber);
    this.startingHashKey = init.startingHashKey;
    this.endingHashKey = init.endingHashKey;
    this.parentShardId = init.parentShardId;
    this.adjacentParentShardId = init.adjacentParentShardId;
    this.startingCounter = init.startingCounter;
    this.createdAtMs = init.createdAtMs;
    this.limiter = new ShardLimiter(init.limits.recordsPerSecond, init.limits.bytesPerSecond, init.limits.burstSeconds, init.createdAtMs);
  }

  /** True until the shard is split, merged or scaled away. */
  get isOpen(): boolean {
    return this.endingCounter === undefined;
  }

  /** Index of the first record whose counter is ≥ `counter` (records.length when none). */
  indexAtOrAfter(counter: number): number {
    let low = 0;
    let high = this.records.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if (this.records[middle]!.counter < counter) low = middle + 1;
      else high = middle;
    }
    return low;
  }
}
