import type { RecordDistributionStrategy, ShardLimitsOptions, StreamMode } from '../config/options.js';
import { evenHashKeyRanges } from './hash-key.js';
import { formatSequenceNumber, parseShardId } from './sequence-number.js';
import { Shard } from './shard.js';

export type { RecordDistributionStrategy, StreamMode } from '../config/options.js';

/** Parameters of a new {@link Stream}. */
export interface StreamInit {
  id: number;
  name: string;
  arn: string;
  mode: StreamMode;
  shardCount: number;
  maxRecordSizeInKiB: number;
  recordDistributionStrategy: RecordDistributionStrategy;
  enforceShardLimits: boolean | undefined;
  createdAtMs: number;
  limits: Readonly<Required<ShardLimitsOptions>>;
}

/** One stream: its shards (all, by number), the open ones sorted by hash key, and its sequence counter. */
export class Stream {
  readonly id: number;
  readonly name: string;
  readonly arn: string;
  mode: StreamMode;
  maxRecordSizeInKiB: number;
  recordDistributionStrategy: RecordDistributionStrategy;
  /** Per-stream override of the server's `enforceShardLimits`; undefined follows the server. */
  enforceShardLimits: boolean | undefined;
  readonly createdAtMs: number;
  deleted = false;
  /** Every shard ever created, indexed by shard number. */
  readonly shards: Shard[] = [];
  /** Open shards sorted by starting hash key (they tile 0 … 2^128 − 1). */
  openShards: Shard[] = [];
  /** Next value of the stream-wide sequence counter. */
  nextCounter = 1;
  private nextAutoIndex = 0;
  readonly limits: Readonly<Required<ShardLimitsOptions>>;

  constructor(init: StreamInit) {
    this.id = init.id;
    this.name = init.name;
    this.arn = init.arn;
    this.mode = init.mode;
    this.maxRecordSizeInKiB = init.maxRecordSizeInKiB;
    this.recordDistributionStrategy = init.recordDistributionStrategy;
    this.enforceShardLimits = init.enforceShardLimits;
    this.createdAtMs = init.createdAtMs;
    this.limits = init.limits;
    for (const range of evenHashKeyRanges(init.shardCount)) {
      this.addShard(range.start, range.end, undefined, undefined, init.createdAtMs);
    }
    this.openShards = this.shards.slice();
  }

  /** Creates a shard with the next shard number (the caller updates {@link openShards}). */
  addShard(start: bigint, end: bigint, parentShardId: string | undefined, adjacentParentShardId: string | undefined, nowMs: number): Shard {
    const shard = new Shard({
      shardNumber: this.shards.length,
      startingHashKey: start,
      endingHashKey: end,
      parentShardId,
      adjacentParentShardId,
      startingCounter: this.nextCounter,
      createdAtMs: nowMs,
      limits: this.limits,
    });
    this.shards.push(shard);
    return shard;
  }

  /** Closes a shard: no more writes; its EndingSequenceNumber is the last counter used. */
  closeShard(shard: Shard, nowMs: number): void {
    shard.endingCounter = Math.max(shard.startingCounter, this.nextCounter - 1);
    shard.closedAtMs = nowMs;
    // Later records must get a counter above the closed shard's ending number.
    if (this.nextCounter <= shard.endingCounter) this.nextCounter = shard.endingCounter + 1;
  }

  /** The open shard whose range contains `hashKey` (binary search), or the next one for AUTO streams. */
  route(hashKey: bigint): Shard {
    const open = this.openShards;
    if (this.recordDistributionStrategy === 'AUTO') {
      const shard = open[this.nextAutoIndex % open.length]!;
      this.nextAutoIndex = (this.nextAutoIndex + 1) % open.length;
      return shard;
    }
    let low = 0;
    let high = open.length - 1;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if (open[middle]!.endingHashKey < hashKey) low = middle + 1;
      else high = middle;
    }
    return open[low]!;
  }

  /** The shard with this id, or undefined. */
  shardById(shardId: string): Shard | undefined {
    const shardNumber = parseShardId(shardId);
    return shardNumber === undefined ? undefined : this.shards[shardNumber];
  }

  /** Sequence number for `counter` on `shard`. */
  sequenceNumber(counter: number, shard: Shard): string {
    return formatSequenceNumber(this.id, counter, shard.shardNumber);
  }
}
