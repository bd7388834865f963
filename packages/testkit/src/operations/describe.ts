import { formatSequenceNumber } from '../model/sequence-number.js';
import type { Shard } from '../model/shard.js';
import type { Stream } from '../model/stream.js';

/** The `Shard` shape of ListShards / DescribeStream. */
export function describeShard(stream: Stream, shard: Shard): Record<string, unknown> {
  const result: Record<string, unknown> = { ShardId: shard.shardId };
  if (shard.parentShardId !== undefined) result.ParentShardId = shard.parentShardId;
  if (shard.adjacentParentShardId !== undefined) result.AdjacentParentShardId = shard.adjacentParentShardId;
  result.HashKeyRange = { StartingHashKey: shard.startingHashKey.toString(), EndingHashKey: shard.endingHashKey.toString() };
  const range: Record<string, string> = { StartingSequenceNumber: formatSequenceNumber(stream.id, shard.startingCounter, shard.shardNumber) };
  if (shard.endingCounter !== undefined) range.EndingSequenceNumber = formatSequenceNumber(stream.id, shard.endingCounter, shard.shardNumber);
  result.SequenceNumberRange = range;
  return result;
}

/** The `StreamDescriptionSummary` of DescribeStreamSummary. */
export function describeStreamSummary(stream: Stream): Record<string, unknown> {
  const summary: Record<string, unknown> = {
    StreamName: stream.name,
    StreamARN: stream.arn,
    StreamStatus: 'ACTIVE',
    StreamModeDetails: { StreamMode: stream.mode },
    RetentionPeriodHours: 24,
    StreamCreationTimestamp: stream.createdAtMs / 1000,
    EnhancedMonitoring: [{ ShardLevelMetrics: [] }],
    EncryptionType: 'NONE',
    OpenShardCount: stream.openShards.length,
    ConsumerCount: 0,
    MaxRecordSizeInKiB: stream.maxRecordSizeInKiB,
  };
  if (stream.mode === 'ON_DEMAND') summary.RecordDistributionStrategy = stream.recordDistributionStrategy;
  return summary;
}
