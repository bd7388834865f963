import {
  CreateStreamCommand,
  DeleteStreamCommand,
  DescribeStreamSummaryCommand,
  GetRecordsCommand,
  GetShardIteratorCommand,
  ListShardsCommand,
  ListStreamsCommand,
  MergeShardsCommand,
  PutRecordCommand,
  PutRecordsCommand,
  SplitShardCommand,
  UpdateMaxRecordSizeCommand,
  UpdateShardCountCommand,
  type Shard,
} from '@aws-sdk/client-kinesis';
import { describe, expect, it } from 'vitest';
import { entries, rejectionOf, startHarness } from '../__tests__/harness.js';

const MAX = (1n << 128n) - 1n;

function expectTiling(shards: Shard[]): void {
  const ranges = shards
    .map((shard) => [BigInt(shard.HashKeyRange!.StartingHashKey!), BigInt(shard.HashKeyRange!.EndingHashKey!)] as const)
    .sort((a, b) => (a[0] < b[0] ? -1 : 1));
  expect(ranges[0]![0]).toBe(0n);
  expect(ranges.at(-1)![1]).toBe(MAX);
  for (let index = 1; index < ranges.length; index++) expect(ranges[index]![0]).toBe(ranges[index - 1]![1] + 1n);
}

describe('CreateStream and DescribeStreamSummary', () => {
  it('creates a provisioned stream and describes it by name and by ARN', async () => {
    const { client, fake } = await startHarness();
    await client.send(new CreateStreamCommand({ StreamName: 'orders', ShardCount: 3 }));
    const byName = (await client.send(new DescribeStreamSummaryCommand({ StreamName: 'orders' }))).StreamDescriptionSummary!;
    expect(byName).toMatchObject({
      StreamName: 'orders',
      StreamARN: `arn:aws:kinesis:us-east-1:000000000000:stream/orders`,
      StreamStatus: 'ACTIVE',
      OpenShardCount: 3,
      MaxRecordSizeInKiB: 1024,
      StreamModeDetails: { StreamMode: 'PROVISIONED' },
    });
    expect(byName.StreamCreationTimestamp).toBeInstanceOf(Date);
    const byArn = await client.send(new DescribeStreamSummaryCommand({ StreamARN: byName.StreamARN }));
    expect(byArn.StreamDescriptionSummary!.StreamName).toBe('orders');
    expect(fake.stream('orders')!.openShardCount).toBe(3);
  });

  it('gives an ON_DEMAND stream 4 shards and honours MaxRecordSizeInKiB', async () => {
    const { client } = await startHarness();
    await client.send(new CreateStreamCommand({ StreamName: 'od', StreamModeDetails: { StreamMode: 'ON_DEMAND' }, MaxRecordSizeInKiB: 4096 }));
    const summary = (await client.send(new DescribeStreamSummaryCommand({ StreamName: 'od' }))).StreamDescriptionSummary!;
    expect(summary.OpenShardCount).toBe(4);
    expect(summary.MaxRecordSizeInKiB).toBe(4096);
    expect(summary.StreamModeDetails?.StreamMode).toBe('ON_DEMAND');
    expect(summary.RecordDistributionStrategy).toBe('USER_PARTITION_KEY');
    await client.send(new UpdateMaxRecordSizeCommand({ StreamARN: summary.StreamARN, MaxRecordSizeInKiB: 10240 }));
    expect((await client.send(new DescribeStreamSummaryCommand({ StreamName: 'od' }))).StreamDescriptionSummary!.MaxRecordSizeInKiB).toBe(10240);
  });

  it('answers errors in the AWS JSON shape so the SDK rebuilds the exception', async () => {
    const { client } = await startHarness({ streams: [{ streamName: 'taken', shardCount: 1 }] });
    const missing = await rejectionOf(client.send(new DescribeStreamSummaryCommand({ StreamName: 'nope' })));
    expect(missing.name).toBe('ResourceNotFoundException');
    expect(missing.$metadata?.httpStatusCode).toBe(400);
    expect(missing.$fault).toBe('client');
    expect((await rejectionOf(client.send(new CreateStreamCommand({ StreamName: 'taken', ShardCount: 1 })))).name).toBe('ResourceInUseException');
    expect((await rejectionOf(client.send(new CreateStreamCommand({ StreamName: 'bad name!', ShardCount: 1 })))).name).toBe('ValidationException');
    const wrongArn = await rejectionOf(client.send(new DescribeStreamSummaryCommand({ StreamARN: 'arn:aws:kinesis:eu-west-1:111111111111:stream/taken' })));
    expect(wrongArn.name).toBe('ResourceNotFoundException');
  });
});

describe('ListShards', () => {
  it('lists shards in Kinesis format with hash key ranges tiling the key space', async () => {
    const { client } = await startHarness({ streams: [{ streamName: 's', shardCount: 3 }] });
    const { Shards } = await client.send(new ListShardsCommand({ StreamName: 's' }));
    expect(Shards!.map((shard) => shard.ShardId)).toEqual(['shardId-000000000000', 'shardId-000000000001', 'shardId-000000000002']);
    // Kinesis's own split of 3 shards: the first ends at floor(2^128 / 3) - 1.
    expect(Shards![0]!.HashKeyRange!.EndingHashKey).toBe('113427455640312821154458202477256070484');
    expect(Shards![0]!.SequenceNumberRange!.StartingSequenceNumber).toMatch(/^\d{56}$/);
    expect(Shards![0]!.SequenceNumberRange!.EndingSequenceNumber).toBeUndefined();
    expectTiling(Shards!);
  });

  it('paginates with NextToken alone and rejects NextToken together with StreamName', async () => {
    const { client } = await startHarness({ streams: [{ streamName: 's', shardCount: 5 }] });
    const first = await client.send(new ListShardsCommand({ StreamName: 's', MaxResults: 2 }));
    expect(first.Shards).toHaveLength(2);
    expect(first.NextToken).toBeTypeOf('string');
    const rejected = await rejectionOf(client.send(new ListShardsCommand({ StreamName: 's', NextToken: first.NextToken, MaxResults: 2 })));
    expect(rejected.name).toBe('InvalidArgumentException');
    const second = await client.send(new ListShardsCommand({ NextToken: first.NextToken, MaxResults: 2 }));
    const third = await client.send(new ListShardsCommand({ NextToken: second.NextToken, MaxResults: 2 }));
    expect(third.NextToken).toBeUndefined();
    const ids = [...first.Shards!, ...second.Shards!, ...third.Shards!].map((shard) => shard.ShardId);
    expect(ids).toEqual([0, 1, 2, 3, 4].map((index) => `shardId-00000000000${index}`));
  });

  it('AT_LATEST leaves out the closed parent after a split; AT_TRIM_HORIZON keeps the lineage', async () => {
    const { client } = await startHarness({ streams: [{ streamName: 's', shardCount: 2 }] });
    await client.send(new SplitShardCommand({ StreamName: 's', ShardToSplit: 'shardId-000000000000', NewStartingHashKey: String(1n << 126n) }));
    const latest = (await client.send(new ListShardsCommand({ StreamName: 's', ShardFilter: { Type: 'AT_LATEST' } }))).Shards!;
    expect(latest.map((shard) => shard.ShardId)).toEqual(['shardId-000000000001', 'shardId-000000000002', 'shardId-000000000003']);
    expectTiling(latest);
    expect(latest[1]).toMatchObject({ ParentShardId: 'shardId-000000000000', HashKeyRange: { StartingHashKey: '0', EndingHashKey: String((1n << 126n) - 1n) } });
    const all = (await client.send(new ListShardsCommand({ StreamName: 's', ShardFilter: { Type: 'AT_TRIM_HORIZON' } }))).Shards!;
    expect(all).toHaveLength(4);
    expect(all[0]!.SequenceNumberRange!.EndingSequenceNumber).toMatch(/^\d{56}$/);
    const after = (await client.send(new ListShardsCommand({ StreamName: 's', ShardFilter: { Type: 'AFTER_SHARD_ID', ShardId: 'shardId-000000000001' } }))).Shards!;
    expect(after.map((shard) => shard.ShardId)).toEqual(['shardId-000000000002', 'shardId-000000000003']);
  });
});

describe('PutRecord, PutRecords, GetShardIterator, GetRecords', () => {
  it('stores records and reads them back with data, key, sequence number and arrival time', async () => {
    const { client } = await startHarness({ streams: [{ streamName: 's', shardCount: 1 }] });
    const single = await client.send(new PutRecordCommand({ StreamName: 's', PartitionKey: 'k', Data: new TextEncoder().encode('one') }));
    expect(single.ShardId).toBe('shardId-000000000000');
    const batch = await client.send(new PutRecordsCommand({ StreamName: 's', Records: entries(3, 4) }));
    expect(batch.FailedRecordCount).toBe(0);
    const sequenceNumbers = [single.SequenceNumber!, ...batch.Records!.map((record) => record.SequenceNumber!)];
    const { ShardIterator } = await client.send(new GetShardIteratorCommand({ StreamName: 's', ShardId: 'shardId-000000000000', ShardIteratorType: 'TRIM_HORIZON' }));
    const read = await client.send(new GetRecordsCommand({ ShardIterator }));
    expect(read.Records!.map((record) => record.SequenceNumber)).toEqual(sequenceNumbers);
    expect(new TextDecoder().decode(read.Records![0]!.Data)).toBe('one');
    expect(read.Records![1]).toMatchObject({ PartitionKey: 'key-0', Data: new Uint8Array(4).fill(0) });
    expect(read.Records![0]!.ApproximateArrivalTimestamp).toBeInstanceOf(Date);
    expect(read.NextShardIterator).toBeTypeOf('string');
    expect(read.MillisBehindLatest).toBe(0);

    const at = await client.send(new GetShardIteratorCommand({ StreamName: 's', ShardId: 'shardId-000000000000', ShardIteratorType: 'AT_SEQUENCE_NUMBER', StartingSequenceNumber: sequenceNumbers[2] }));
    expect((await client.send(new GetRecordsCommand({ ShardIterator: at.ShardIterator }))).Records!.map((record) => record.SequenceNumber)).toEqual(sequenceNumbers.slice(2));
    const after = await client.send(new GetShardIteratorCommand({ StreamName: 's', ShardId: 'shardId-000000000000', ShardIteratorType: 'AFTER_SEQUENCE_NUMBER', StartingSequenceNumber: sequenceNumbers[2] }));
    const afterRead = await client.send(new GetRecordsCommand({ ShardIterator: after.ShardIterator, Limit: 1 }));
    expect(afterRead.Records!.map((record) => record.SequenceNumber)).toEqual([sequenceNumbers[3]]);

    const latest = await client.send(new GetShardIteratorCommand({ StreamName: 's', ShardId: 'shardId-000000000000', ShardIteratorType: 'LATEST' }));
    expect((await client.send(new GetRecordsCommand({ ShardIterator: latest.ShardIterator }))).Records).toEqual([]);
    const late = await client.send(new PutRecordCommand({ StreamName: 's', PartitionKey: 'k', Data: new Uint8Array([9]) }));
    expect((await client.send(new GetRecordsCommand({ ShardIterator: latest.ShardIterator }))).Records!.map((record) => record.SequenceNumber)).toEqual([late.SequenceNumber]);
  });

  it('ends a closed shard: NextShardIterator absent once exhausted, children listed', async () => {
    const { client } = await startHarness({ streams: [{ streamName: 's', shardCount: 1 }] });
    await client.send(new PutRecordsCommand({ StreamName: 's', Records: entries(2) }));
    const { ShardIterator } = await client.send(new GetShardIteratorCommand({ StreamName: 's', ShardId: 'shardId-000000000000', ShardIteratorType: 'TRIM_HORIZON' }));
    await client.send(new SplitShardCommand({ StreamName: 's', ShardToSplit: 'shardId-000000000000', NewStartingHashKey: String(1n << 127n) }));
    const first = await client.send(new GetRecordsCommand({ ShardIterator, Limit: 1 }));
    expect(first.NextShardIterator).toBeTypeOf('string');
    const last = await client.send(new GetRecordsCommand({ ShardIterator: first.NextShardIterator }));
    expect(last.Records).toHaveLength(1);
    expect(last.NextShardIterator).toBeUndefined();
    expect(last.ChildShards!.map((child) => child.ShardId)).toEqual(['shardId-000000000001', 'shardId-000000000002']);
    const putAfter = await client.send(new PutRecordsCommand({ StreamName: 's', Records: entries(20) }));
    expect(new Set(putAfter.Records!.map((record) => record.ShardId))).toEqual(new Set(['shardId-000000000001', 'shardId-000000000002']));
    const parentEnd = BigInt((await client.send(new ListShardsCommand({ StreamName: 's' }))).Shards![0]!.SequenceNumberRange!.EndingSequenceNumber!);
    for (const record of putAfter.Records!) expect(BigInt(record.SequenceNumber!)).toBeGreaterThan(parentEnd);
  });
});

describe('resharding and stream lifecycle', () => {
  it('merges adjacent shards and refuses non-adjacent ones', async () => {
    const { client } = await startHarness({ streams: [{ streamName: 's', shardCount: 3 }] });
    const notAdjacent = await rejectionOf(client.send(new MergeShardsCommand({ StreamName: 's', ShardToMerge: 'shardId-000000000000', AdjacentShardToMerge: 'shardId-000000000002' })));
    expect(notAdjacent.name).toBe('InvalidArgumentException');
    await client.send(new MergeShardsCommand({ StreamName: 's', ShardToMerge: 'shardId-000000000001', AdjacentShardToMerge: 'shardId-000000000000' }));
    const open = (await client.send(new ListShardsCommand({ StreamName: 's', ShardFilter: { Type: 'AT_LATEST' } }))).Shards!;
    expect(open.map((shard) => shard.ShardId)).toEqual(['shardId-000000000002', 'shardId-000000000003']);
    expect(open[1]).toMatchObject({ ParentShardId: 'shardId-000000000001', AdjacentParentShardId: 'shardId-000000000000' });
    expectTiling(open);
    const closed = await rejectionOf(client.send(new SplitShardCommand({ StreamName: 's', ShardToSplit: 'shardId-000000000000', NewStartingHashKey: '1' })));
    expect(closed.name).toBe('ResourceInUseException');
  });

  it('scales uniformly with UpdateShardCount within half to double', async () => {
    const { client } = await startHarness({ streams: [{ streamName: 's', shardCount: 2 }] });
    const output = await client.send(new UpdateShardCountCommand({ StreamName: 's', TargetShardCount: 4, ScalingType: 'UNIFORM_SCALING' }));
    expect(output).toMatchObject({ CurrentShardCount: 2, TargetShardCount: 4 });
    const open = (await client.send(new ListShardsCommand({ StreamName: 's', ShardFilter: { Type: 'AT_LATEST' } }))).Shards!;
    expect(open).toHaveLength(4);
    expectTiling(open);
    expect(open.map((shard) => shard.ParentShardId)).toEqual(['shardId-000000000000', 'shardId-000000000000', 'shardId-000000000001', 'shardId-000000000001']);
    const tooMany = await rejectionOf(client.send(new UpdateShardCountCommand({ StreamName: 's', TargetShardCount: 9, ScalingType: 'UNIFORM_SCALING' })));
    expect(tooMany.name).toBe('InvalidArgumentException');
  });

  it('deletes a stream: later calls get ResourceNotFoundException; ListStreams pages', async () => {
    const { client } = await startHarness({ streams: ['a', 'b', 'c'].map((streamName) => ({ streamName, shardCount: 1 })) });
    const page = await client.send(new ListStreamsCommand({ Limit: 2 }));
    expect(page).toMatchObject({ StreamNames: ['a', 'b'], HasMoreStreams: true });
    expect((await client.send(new ListStreamsCommand({ NextToken: page.NextToken }))).StreamNames).toEqual(['c']);
    await client.send(new DeleteStreamCommand({ StreamName: 'b' }));
    expect((await rejectionOf(client.send(new PutRecordsCommand({ StreamName: 'b', Records: entries(1) })))).name).toBe('ResourceNotFoundException');
    expect((await client.send(new ListStreamsCommand({}))).StreamNames).toEqual(['a', 'c']);
  });
});
