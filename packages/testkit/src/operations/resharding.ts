import { invalidArgument, validationError } from '../errors.js';
import { matchesExplicitHashKeyPattern, parseHashKey } from '../model/hash-key.js';
import { mergeShards as mergeStreamShards, splitShard as splitStreamShard, updateShardCount as updateStreamShardCount } from '../model/resharding.js';
import { optionalInteger, optionalString, requiredString } from '../protocol/input.js';
import type { OperationHandler } from './context.js';

/** SplitShard: ShardToSplit, NewStartingHashKey (decimal). Applied at once; the stream stays ACTIVE. */
export const splitShard: OperationHandler = (input, context) => {
  const stream = context.registry.resolve(input.StreamName, input.StreamARN);
  const shardId = requiredString(input, 'ShardToSplit', 1, 128);
  const text = requiredString(input, 'NewStartingHashKey');
  const key = matchesExplicitHashKeyPattern(text) ? parseHashKey(text) : undefined;
  if (key === undefined) throw validationError(`NewStartingHashKey must be a decimal between 0 and 2^128-1, received ${text}.`);
  splitStreamShard(stream, shardId, key, context.config.clock.now());
  return {};
};

/** MergeShards: ShardToMerge and AdjacentShardToMerge must be open and adjacent. */
export const mergeShards: OperationHandler = (input, context) => {
  const stream = context.registry.resolve(input.StreamName, input.StreamARN);
  mergeStreamShards(stream, requiredString(input, 'ShardToMerge', 1, 128), requiredString(input, 'AdjacentShardToMerge', 1, 128), context.config.clock.now());
  return {};
};

/** UpdateShardCount: UNIFORM_SCALING to between half and double the open shard count. */
export const updateShardCount: OperationHandler = (input, context) => {
  const stream = context.registry.resolve(input.StreamName, input.StreamARN);
  const target = optionalInteger(input, 'TargetShardCount', 1, 100000);
  if (target === undefined) throw validationError(`1 validation error detected: Value null at 'targetShardCount' failed to satisfy constraint: Member must not be null.`);
  const scalingType = optionalString(input, 'ScalingType') ?? 'UNIFORM_SCALING';
  if (scalingType !== 'UNIFORM_SCALING') throw invalidArgument(`ScalingType must be UNIFORM_SCALING, received ${scalingType}.`);
  const current = stream.openShards.length;
  updateStreamShardCount(stream, target, context.config.clock.now());
  return { StreamName: stream.name, StreamARN: stream.arn, CurrentShardCount: current, TargetShardCount: target };
};
