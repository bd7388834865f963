import { invalidArgument, validationError } from '../errors.js';
import { MAX_OPEN_SHARDS } from '../model/resharding.js';
import type { StreamSpec } from '../model/registry.js';
import type { RecordDistributionStrategy, StreamMode } from '../model/stream.js';
import type { FakeKinesisConfig } from '../config/options.js';
import { optionalInteger, optionalObject, optionalString, requiredString, type JsonObject } from '../protocol/input.js';
import type { OperationHandler } from './context.js';
import { describeStreamSummary } from './describe.js';

/** Fields of a stream creation, from the wire or from the programmatic API. */
export interface StreamCreationFields {
  name: string;
  shardCount: number | undefined;
  mode: string | undefined;
  maxRecordSizeInKiB: number | undefined;
  recordDistributionStrategy: string | undefined;
  enforceShardLimits: boolean | undefined;
}

/** Applies the service's CreateStream rules (and the server's defaults) to `fields`. */
export function streamSpecOf(fields: StreamCreationFields, config: FakeKinesisConfig): StreamSpec {
  const mode = (fields.mode ?? 'PROVISIONED') as StreamMode;
  if (mode !== 'PROVISIONED' && mode !== 'ON_DEMAND') {
    throw validationError(`StreamMode must be PROVISIONED or ON_DEMAND, received ${JSON.stringify(fields.mode)}.`);
  }
  let shardCount = fields.shardCount;
  if (mode === 'PROVISIONED' && shardCount === undefined) {
    throw invalidArgument('ShardCount is required for a PROVISIONED stream.');
  }
  if (mode === 'ON_DEMAND') {
    if (shardCount !== undefined) throw invalidArgument('ShardCount must not be given for an ON_DEMAND stream.');
    shardCount = config.onDemandShardCount;
  }
  if (shardCount === undefined || !Number.isInteger(shardCount) || shardCount < 1 || shardCount > MAX_OPEN_SHARDS) {
    throw validationError(`ShardCount must be an integer between 1 and ${MAX_OPEN_SHARDS}, received ${String(shardCount)}.`);
  }
  const maxRecordSizeInKiB = fields.maxRecordSizeInKiB ?? config.defaultMaxRecordSizeInKiB;
  if (!Number.isInteger(maxRecordSizeInKiB) || maxRecordSizeInKiB < 1024 || maxRecordSizeInKiB > 10240) {
    throw validationError(`MaxRecordSizeInKiB must be an integer between 1024 and 10240, received ${String(maxRecordSizeInKiB)}.`);
  }
  const strategy = (fields.recordDistributionStrategy ?? 'USER_PARTITION_KEY') as RecordDistributionStrategy;
  if (strategy !== 'USER_PARTITION_KEY' && strategy !== 'AUTO') {
    throw validationError(`RecordDistributionStrategy must be AUTO or USER_PARTITION_KEY, received ${JSON.stringify(strategy)}.`);
  }
  if (strategy === 'AUTO' && mode !== 'ON_DEMAND') {
    throw invalidArgument('RecordDistributionStrategy AUTO is only supported for ON_DEMAND streams.');
  }
  return { name: fields.name, mode, shardCount, maxRecordSizeInKiB, recordDistributionStrategy: strategy, enforceShardLimits: fields.enforceShardLimits };
}

/** CreateStream: ShardCount, or StreamModeDetails ON_DEMAND; MaxRecordSizeInKiB; RecordDistributionStrategy. */
export const createStream: OperationHandler = (input, context) => {
  const modeDetails = optionalObject(input, 'StreamModeDetails');
  const spec = streamSpecOf(
    {
      name: requiredString(input, 'StreamName', 1, 128),
      shardCount: optionalInteger(input, 'ShardCount', 1, Number.MAX_SAFE_INTEGER),
      mode: modeDetails === undefined ? undefined : requiredString(modeDetails, 'StreamMode'),
      maxRecordSizeInKiB: optionalInteger(input, 'MaxRecordSizeInKiB', 1, Number.MAX_SAFE_INTEGER),
      recordDistributionStrategy: optionalString(input, 'RecordDistributionStrategy'),
      enforceShardLimits: undefined,
    },
    context.config,
  );
  context.registry.create(spec);
  return {};
};

/** DeleteStream: the stream disappears at once (the ledger keeps its records). */
export const deleteStream: OperationHandler = (input, context) => {
  context.registry.delete(context.registry.resolve(input.StreamName, input.StreamARN));
  return {};
};

/** DescribeStreamSummary (StreamName or StreamARN). */
export const describeStreamSummaryOperation: OperationHandler = (input, context) => ({
  StreamDescriptionSummary: describeStreamSummary(context.registry.resolve(input.StreamName, input.StreamARN)),
});

/** UpdateMaxRecordSize: 1024–10240 KiB. */
export const updateMaxRecordSize: OperationHandler = (input, context) => {
  const stream = context.registry.resolve(input.StreamName, input.StreamARN);
  const value = input.MaxRecordSizeInKiB;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1024 || value > 10240) {
    throw validationError(`MaxRecordSizeInKiB must be an integer between 1024 and 10240, received ${String(value)}.`);
  }
  stream.maxRecordSizeInKiB = value;
  return {};
};

interface ListStreamsToken {
  after: string;
}

/** ListStreams: Limit (default 100), ExclusiveStartStreamName, NextToken. */
export const listStreams: OperationHandler = (input: JsonObject, context) => {
  const limit = optionalInteger(input, 'Limit', 1, 10000) ?? 100;
  const token = optionalString(input, 'NextToken');
  let after = optionalString(input, 'ExclusiveStartStreamName');
  if (token !== undefined) {
    try {
      after = (JSON.parse(Buffer.from(token, 'base64').toString('utf8')) as ListStreamsToken).after;
    } catch {
      throw invalidArgument(`NextToken ${token} is not valid.`);
    }
  }
  const streams = context.registry.liveStreams().sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const remaining = after === undefined ? streams : streams.filter((stream) => stream.name > after);
  const page = remaining.slice(0, limit);
  const hasMore = remaining.length > page.length;
  const output: Record<string, unknown> = {
    StreamNames: page.map((stream) => stream.name),
    HasMoreStreams: hasMore,
    StreamSummaries: page.map((stream) => ({
      StreamName: stream.name,
      StreamARN: stream.arn,
      StreamStatus: 'ACTIVE',
      StreamModeDetails: { StreamMode: stream.mode },
      StreamCreationTimestamp: stream.createdAtMs / 1000,
    })),
  };
  if (hasMore) output.NextToken = Buffer.from(JSON.stringify({ after: page[page.length - 1]!.name } satisfies ListStreamsToken)).toString('base64');
  return output;
};
