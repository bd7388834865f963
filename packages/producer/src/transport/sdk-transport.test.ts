import type { ListShardsCommand} from '@aws-sdk/client-kinesis';
import { DescribeStreamSummaryCommand, PutRecordsCommand, type KinesisClient } from '@aws-sdk/client-kinesis';
import { describe, expect, it } from 'vitest';
import { createSdkTransport } from './sdk-transport.js';

/** A KinesisClient stand-in that records the commands it is sent and answers from a script. */
function scriptedClient(answers: Array<(command: unknown) => unknown>) {
  const sent: unknown[] = [];
  let destroyed = false;
  const client = {
    send: async (command: unknown) => {
      sent.push(command);
      return answers.shift()!(command);
    },
    destroy: () => {
      destroyed = true;
    },
  } as unknown as KinesisClient;
  return { client, sent, isDestroyed: () => destroyed };
}

const options = { maxConnections: 4, requestTimeoutMs: 1000, connectTimeoutMs: 1000 };

describe('the SDK transport over a user-supplied KinesisClient', () => {
  it('maps PutRecords entries and results both ways, by stream name or ARN', async () => {
    const { client, sent } = scriptedClient([
      () => ({ FailedRecordCount: 1, Records: [{ ShardId: 'shardId-000000000001', SequenceNumber: '42' }, { ErrorCode: 'InternalFailure', ErrorMessage: 'boom' }] }),
    ]);
    const transport = createSdkTransport({ ...options, kinesisClient: client });
    const data = new Uint8Array([1, 2, 3]);
    const response = await transport.putRecords({ streamARN: 'arn:aws:kinesis:us-east-1:123456789012:stream/s' }, [
      { partitionKey: 'a', explicitHashKey: '7', data },
      { partitionKey: 'b', explicitHashKey: '8', data },
    ]);
    const command = sent[0] as PutRecordsCommand;
    expect(command).toBeInstanceOf(PutRecordsCommand);
    expect(command.input).toEqual({
      StreamARN: 'arn:aws:kinesis:us-east-1:123456789012:stream/s',
      Records: [{ Data: data, PartitionKey: 'a', ExplicitHashKey: '7' }, { Data: data, PartitionKey: 'b', ExplicitHashKey: '8' }],
    });
    expect(response).toEqual({
      failedRecordCount: 1,
      records: [{ shardId: 'shardId-000000000001', sequenceNumber: '42' }, { errorCode: 'InternalFailure', errorMessage: 'boom' }],
    });
  });

  it('asks ListShards for open shards by stream on the first page and by NextToken alone after', async () => {
    const { client, sent } = scriptedClient([
      () => ({ Shards: [{ ShardId: 'shardId-000000000000', HashKeyRange: { StartingHashKey: '0', EndingHashKey: '9' } }], NextToken: 't1' }),
      () => ({ Shards: [{ ShardId: 'shardId-000000000001', HashKeyRange: { StartingHashKey: '10', EndingHashKey: '20' }, ParentShardId: 'shardId-000000000000' }] }),
    ]);
    const transport = createSdkTransport({ ...options, kinesisClient: client });
    const first = await transport.listShards({ stream: { streamName: 's' }, maxResults: 1000 });
    const second = await transport.listShards({ nextToken: first.nextToken!, maxResults: 1000 });
    expect((sent[0] as ListShardsCommand).input).toEqual({ StreamName: 's', MaxResults: 1000, ShardFilter: { Type: 'AT_LATEST' } });
    expect((sent[1] as ListShardsCommand).input).toEqual({ NextToken: 't1', MaxResults: 1000 });
    expect(second.shards).toEqual([{ shardId: 'shardId-000000000001', startingHashKey: '10', endingHashKey: '20', parentShardId: 'shardId-000000000000' }]);
    expect(second.nextToken).toBeUndefined();
  });

  it('reads the stream ARN, MaxRecordSizeInKiB and distribution strategy from DescribeStreamSummary', async () => {
    const { client, sent } = scriptedClient([
      () => ({ StreamDescriptionSummary: { StreamName: 's', StreamARN: 'arn:x', StreamStatus: 'ACTIVE', MaxRecordSizeInKiB: 4096, StreamModeDetails: { StreamMode: 'ON_DEMAND' } } }),
    ]);
    const transport = createSdkTransport({ ...options, kinesisClient: client });
    expect(await transport.describeStreamSummary({ streamName: 's' })).toEqual({ streamName: 's', streamARN: 'arn:x', streamStatus: 'ACTIVE', maxRecordSizeInKiB: 4096, streamMode: 'ON_DEMAND' });
    expect(sent[0]).toBeInstanceOf(DescribeStreamSummaryCommand);
  });

  it('never destroys a client the user passed in', () => {
    const { client, isDestroyed } = scriptedClient([]);
    createSdkTransport({ ...options, kinesisClient: client }).destroy();
    expect(isDestroyed()).toBe(false);
  });
});
