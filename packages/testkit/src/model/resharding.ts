import { invalidArgument, KinesisServiceError, resourceNotFound } from '../errors.js';
import { evenHashKeyRanges } from './hash-key.js';
import type { Shard } from './shard.js';
import type { Stream } from './stream.js';

/** Most shards a stream may have open. */
export const MAX_OPEN_SHARDS = 10000;

function sortOpen(stream: Stream): void {
  stream.openShards = stream.shards.filter((shard) => shard.isOpen).sort((a, b) => (a.startingHashKey < b.startingHashKey ? -1 : 1));
}

function openShard(stream: Stream, shardId: string, parameter: string): Shard {
  const shard = stream.shardById(shardId);
  if (shard === undefined) {
    throw resourceNotFound(`Could not find shard ${shardId} in stream ${stream.name} under account ${stream.arn.split(':')[4] ?? ''}.`);
  }
  if (!shard.isOpen) {
    throw new KinesisServiceError('ResourceInUseException', `${parameter} ${shardId} in stream ${stream.name} is already closed.`);
  }
  return shard;
}

/** SplitShard: closes `shardId` and opens two children split at `newStartingHashKey`. */
export function splitShard(stream: Stream, shardId: string, newStartingHashKey: bigint, nowMs: number): [Shard, Shard] {
  const parent = openShard(stream, shardId, 'ShardToSplit');
  if (newStartingHashKey <= parent.startingHashKey || newStartingHashKey > parent.endingHashKey) {
    throw invalidArgument(
      `NewStartingHashKey ${newStartingHashKey} must be greater than ${parent.startingHashKey} and at most ${parent.endingHashKey} (the range of ${shardId}).`,
    );
  }
  if (stream.openShards.length + 1 > MAX_OPEN_SHARDS) {
    throw new KinesisServiceError('LimitExceededException', `Stream ${stream.name} cannot have more than ${MAX_OPEN_SHARDS} open shards.`);
  }
  stream.closeShard(parent, nowMs);
  const low = stream.addShard(parent.startingHashKey, newStartingHashKey - 1n, parent.shardId, undefined, nowMs);
  const high = stream.addShard(newStartingHashKey, parent.endingHashKey, parent.shardId, undefined, nowMs);
  sortOpen(stream);
  return [low, high];
}

/** MergeShards: closes two adjacent open shards and opens their union as one child. */
export function mergeShards(stream: Stream, shardToMerge: string, adjacentShardToMerge: string, nowMs: number): Shard {
  const first = openShard(stream, shardToMerge, 'ShardToMerge');
  const second = openShard(stream, adjacentShardToMerge, 'AdjacentShardToMerge');
  const [low, high] = first.startingHashKey < second.startingHashKey ? [first, second] : [second, first];
  if (low.endingHashKey + 1n !== high.startingHashKey) {
    throw invalidArgument(`Shards ${shardToMerge} and ${adjacentShardToMerge} in stream ${stream.name} are not adjacent: their hash key ranges do not touch.`);
  }
  stream.closeShard(first, nowMs);
  stream.closeShard(second, nowMs);
  const child = stream.addShard(low.startingHashKey, high.endingHashKey, first.shardId, second.shardId, nowMs);
  sortOpen(stream);
  return child;
}

/**
 * UpdateShardCount with UNIFORM_SCALING: closes every open shard and opens `target` evenly sized
 * ones at once (the service gets there through intermediate splits and merges; the end state is the
 * same ranges). Each new shard's parent is the old shard holding its starting hash key, its adjacent
 * parent the old shard holding its ending hash key when different.
 */
export function updateShardCount(stream: Stream, target: number, nowMs: number): void {
  const current = stream.openShards.length;
  if (!Number.isInteger(target) || target < 1 || target > MAX_OPEN_SHARDS) {
    throw invalidArgument(`TargetShardCount must be an integer between 1 and ${MAX_OPEN_SHARDS}, received ${target}.`);
  }
  if (target > current * 2 || target < Math.ceil(current / 2)) {
    throw invalidArgument(
      `TargetShardCount ${target} for stream ${stream.name} must be between half (${Math.ceil(current / 2)}) and double (${current * 2}) the current open shard count ${current}.`,
    );
  }
  const old = stream.openShards.slice();
  const holder = (key: bigint): Shard => old.find((shard) => shard.startingHashKey <= key && key <= shard.endingHashKey)!;
  for (const shard of old) stream.closeShard(shard, nowMs);
  for (const range of evenHashKeyRanges(target)) {
    const parent = holder(range.start);
    const adjacent = holder(range.end);
    stream.addShard(range.start, range.end, parent.shardId, adjacent === parent ? undefined : adjacent.shardId, nowMs);
  }
  sortOpen(stream);
}
