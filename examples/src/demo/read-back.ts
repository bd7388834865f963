import { GetRecordsCommand, GetShardIteratorCommand, ListShardsCommand, type KinesisClient } from '@aws-sdk/client-kinesis';
import { deaggregate } from '@tskpl/agg-codec';

/** One user record found in the stream. */
export interface StoredUserRecord {
  readonly shardId: string;
  readonly sequenceNumber: string;
  readonly subSequenceNumber: number;
  readonly partitionKey: string;
  readonly data: Uint8Array;
}

/** Everything in a stream, deaggregated. */
export interface StreamContents {
  readonly kinesisRecords: number;
  readonly shards: number;
  readonly userRecords: readonly StoredUserRecord[];
}

/** Where to start and how fast to read. */
export interface ReadOptions {
  /** Read from this time (AT_TIMESTAMP) instead of TRIM_HORIZON: a real stream holds other records. */
  readonly from?: Date;
  /** Pause between GetRecords calls of a shard, ms (a real shard allows 5 per second). @defaultValue 0 */
  readonly pauseMs?: number;
}

/**
 * Reads every shard of `streamName` from TRIM_HORIZON (or `options.from`) until it is caught up, and splits
 * aggregates into their user records as a KCL consumer would.
 * @param client - a Kinesis client
 * @param streamName - the stream
 */
export async function readStream(client: KinesisClient, streamName: string, options: ReadOptions = {}): Promise<StreamContents> {
  const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
  const shardIds: string[] = [];
  let nextToken: string | undefined;
  do {
    const page = await client.send(new ListShardsCommand(nextToken === undefined ? { StreamName: streamName } : { NextToken: nextToken }));
    for (const shard of page.Shards ?? []) if (shard.ShardId !== undefined) shardIds.push(shard.ShardId);
    nextToken = page.NextToken;
  } while (nextToken !== undefined);

  const userRecords: StoredUserRecord[] = [];
  let kinesisRecords = 0;
  for (const shardId of shardIds) {
    const start = await client.send(
      new GetShardIteratorCommand(
        options.from === undefined
          ? { StreamName: streamName, ShardId: shardId, ShardIteratorType: 'TRIM_HORIZON' }
          : { StreamName: streamName, ShardId: shardId, ShardIteratorType: 'AT_TIMESTAMP', Timestamp: options.from },
      ),
    );
    let iterator = start.ShardIterator;
    while (iterator !== undefined) {
      const page = await client.send(new GetRecordsCommand({ ShardIterator: iterator, Limit: 10_000 }));
      const records = page.Records ?? [];
      for (const record of records) {
        if (record.Data === undefined || record.PartitionKey === undefined || record.SequenceNumber === undefined) continue;
        kinesisRecords += 1;
        for (const member of deaggregate({ data: record.Data, partitionKey: record.PartitionKey, sequenceNumber: record.SequenceNumber })) {
          userRecords.push({ shardId, sequenceNumber: record.SequenceNumber, subSequenceNumber: member.subSequenceNumber, partitionKey: member.partitionKey, data: member.data });
        }
      }
      const caughtUp = records.length === 0 && (page.MillisBehindLatest ?? 0) === 0;
      iterator = caughtUp ? undefined : page.NextShardIterator;
      if (iterator !== undefined && options.pauseMs) await pause(options.pauseMs);
    }
  }
  return { kinesisRecords, shards: shardIds.length, userRecords };
}
