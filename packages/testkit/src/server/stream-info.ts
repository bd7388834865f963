import { formatSequenceNumber } from '../model/sequence-number.js';
import type { Shard } from '../model/shard.js';
import type { RecordDistributionStrategy, Stream, StreamMode } from '../model/stream.js';

/** A shard as the programmatic API shows it. */
export interface ShardInfo {
  /** The shard's ID, e.g. `shardId-000000000000`. */
  shardId: string;
  /** The shard this one was split from, or one of the two it was merged from; undefined for an original shard. */
  parentShardId: string | undefined;
  /** The other shard of a merge; undefined otherwise. */
  adjacentParentShardId: string | undefined;
  /** Decimal. */
  startingHashKey: string;
  /** Decimal. */
  endingHashKey: string;
  /** Whether the shard accepts writes (false once split or merged away). */
  open: boolean;
  /** The first sequence number of the shard. */
  startingSequenceNumber: string;
  /** Present once the shard is closed. */
  endingSequenceNumber: string | undefined;
}

/** A stream as the programmatic API shows it. */
export interface StreamInfo {
  /** The stream's name. */
  streamName: string;
  /** The stream's ARN, built from the fake's region and account ID. */
  streamARN: string;
  /** `PROVISIONED` or `ON_DEMAND`. */
  mode: StreamMode;
  /** The largest record the stream accepts (data + partition key), in KiB. */
  maxRecordSizeInKiB: number;
  /** `USER_PARTITION_KEY` (records routed by hash key) or `AUTO` (placed without regard to keys). */
  recordDistributionStrategy: RecordDistributionStrategy;
  /** Whether the shard limits apply to this stream now. */
  shardLimitsEnforced: boolean;
  /** Whether the stream was deleted (a snapshot taken before the deletion keeps false). */
  deleted: boolean;
  /** Shards that accept writes now. */
  openShardCount: number;
  /** Every shard ever created, by shard number. */
  shards: ShardInfo[];
}

/** Snapshot of a shard. */
export function shardInfo(stream: Stream, shard: Shard): ShardInfo {
  return {
    shardId: shard.shardId,
    parentShardId: shard.parentShardId,
    adjacentParentShardId: shard.adjacentParentShardId,
    startingHashKey: shard.startingHashKey.toString(),
    endingHashKey: shard.endingHashKey.toString(),
    open: shard.isOpen,
    startingSequenceNumber: formatSequenceNumber(stream.id, shard.startingCounter, shard.shardNumber),
    endingSequenceNumber: shard.endingCounter === undefined ? undefined : formatSequenceNumber(stream.id, shard.endingCounter, shard.shardNumber),
  };
}

/** Snapshot of a stream. */
export function streamInfo(stream: Stream, limitsEnforced: boolean): StreamInfo {
  return {
    streamName: stream.name,
    streamARN: stream.arn,
    mode: stream.mode,
    maxRecordSizeInKiB: stream.maxRecordSizeInKiB,
    recordDistributionStrategy: stream.recordDistributionStrategy,
    shardLimitsEnforced: limitsEnforced,
    deleted: stream.deleted,
    openShardCount: stream.openShards.length,
    shards: stream.shards.map((shard) => shardInfo(stream, shard)),
  };
}
