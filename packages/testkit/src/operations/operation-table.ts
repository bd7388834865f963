import type { OperationHandler } from './context.js';
import { getRecords, getShardIterator } from './get-records.js';
import { listShards } from './list-shards.js';
import { putRecord, putRecords } from './put-records.js';
import { mergeShards, splitShard, updateShardCount } from './resharding.js';
import { createStream, deleteStream, describeStreamSummaryOperation, listStreams, updateMaxRecordSize } from './streams.js';

/** Every operation the fake serves, by the name after `Kinesis_20131202.` in `x-amz-target`. */
export const OPERATIONS: ReadonlyMap<string, OperationHandler> = new Map<string, OperationHandler>([
  ['CreateStream', createStream],
  ['DeleteStream', deleteStream],
  ['DescribeStreamSummary', describeStreamSummaryOperation],
  ['ListStreams', listStreams],
  ['UpdateMaxRecordSize', updateMaxRecordSize],
  ['ListShards', listShards],
  ['PutRecord', putRecord],
  ['PutRecords', putRecords],
  ['GetShardIterator', getShardIterator],
  ['GetRecords', getRecords],
  ['SplitShard', splitShard],
  ['MergeShards', mergeShards],
  ['UpdateShardCount', updateShardCount],
]);
