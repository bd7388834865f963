import { formatSequenceNumber } from '../model/sequence-number.js';
import type { Shard } from '../model/shard.js';
import type { RecordDistributionStrategy, Stream, StreamMode } from '../model/stream.js';

/** A shard as the programmatic API shows it. */
export interface ShardInfo {
  shardId: string;
  parentShardId: string | undefined;
  adjacentParentShardId: string | undefined;
  /** Decimal. */
  startingHashKey: string;
  /** Decimal. */
  endingHashKey: string;
  open: boolean;
  startingSequenceNumber: string;
  /** Present once the shard is closed. */
  endingSequenceNumber: string | undefined;
}

/** A stream as the programmatic API shows it. */
export interface StreamInfo {
  streamName: string;
  streamARN: string;
  mode: StreamMode;
  maxRecordSizeInKiB: number;
  recordDistributionStrategy: RecordDistributionStrategy;
  /** Whether the shard limits apply to this stream now. */
  shardLimitsEnforced: boolean;
  deleted: boolean;
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
