// The predictor against @tskpl/testkit's fake Kinesis: random shard layouts reached by real
// SplitShard, MergeShards and UpdateShardCount calls, the shard list read back with the AWS SDK's
// ListShards (every page, with and without AT_LATEST), and the ShardId that PutRecords answers for
// random records compared with the prediction.
import { KinesisClient, ListShardsCommand, PutRecordsCommand } from '@aws-sdk/client-kinesis';
import type { Shard } from '@aws-sdk/client-kinesis';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { startFakeKinesis } from '@tskpl/testkit';
import type { FakeKinesis, ShardInfo } from '@tskpl/testkit';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashKeyArbitrary } from './__tests__/layouts.js';
import { createShardPredictor } from './shard-predictor.js';

type Reshard =
  | { kind: 'split'; pick: number; at: bigint }
  | { kind: 'merge'; pick: number }
  | { kind: 'scale'; percent: number };

const reshardArbitrary: fc.Arbitrary<Reshard> = fc.oneof(
  fc.record({ kind: fc.constant('split' as const), pick: fc.nat(), at: hashKeyArbitrary }),
  fc.record({ kind: fc.constant('merge' as const), pick: fc.nat() }),
  fc.record({ kind: fc.constant('scale' as const), percent: fc.integer({ min: 50, max: 200 }) }),
);

const MAX_OPEN = 48;

function openShards(fake: FakeKinesis, streamName: string): ShardInfo[] {
  return fake.stream(streamName)!.shards.filter((shard) => shard.open).sort((a, b) => (BigInt(a.startingHashKey) < BigInt(b.startingHashKey) ? -1 : 1));
}

function reshard(fake: FakeKinesis, streamName: string, step: Reshard): void {
  const open = openShards(fake, streamName);
  if (step.kind === 'split') {
    const shard = open[step.pick % open.length]!;
    const start = BigInt(shard.startingHashKey);
    const width = BigInt(shard.endingHashKey) - start;
    if (width === 0n || open.length >= MAX_OPEN) return;
    fake.splitShard(streamName, shard.shardId, (start + 1n + (step.at % width)).toString());
  } else if (step.kind === 'merge') {
    if (open.length < 2) return;
    const low = step.pick % (open.length - 1);
    fake.mergeShards(streamName, open[low + 1]!.shardId, open[low]!.shardId);
  } else {
    const target = Math.min(MAX_OPEN, Math.max(Math.ceil(open.length / 2), Math.min(2 * open.length, Math.round((open.length * step.percent) / 100))));
    fake.updateShardCount(streamName, target);
  }
}

async function listShards(client: KinesisClient, streamName: string, atLatest: boolean, pageSize: number): Promise<Shard[]> {
  const shards: Shard[] = [];
  let nextToken: string | undefined;
  do {
    const page = await client.send(
      new ListShardsCommand(
        nextToken === undefined
          ? { StreamName: streamName, MaxResults: pageSize, ...(atLatest ? { ShardFilter: { Type: 'AT_LATEST' } } : {}) }
          : { NextToken: nextToken, MaxResults: pageSize },
      ),
    );
    shards.push(...(page.Shards ?? []));
    nextToken = page.NextToken;
  } while (nextToken !== undefined);
  return shards;
}

describe('predictions against @tskpl/testkit routing', () => {
  let fake: FakeKinesis;
  let client: KinesisClient;
  let streams = 0;

  beforeAll(async () => {
    fake = await startFakeKinesis({ enforceShardLimits: false });
    client = new KinesisClient({ ...fake.clientConfig(), maxAttempts: 1, requestHandler: new NodeHttpHandler({ requestTimeout: 5000, connectionTimeout: 2000 }) });
  });

  afterAll(async () => {
    client?.destroy();
    await fake?.close();
  });

  it('names the shard that PutRecords stores each record in, after random splits, merges and scaling', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 12 }),
        fc.array(reshardArbitrary, { maxLength: 8 }),
        fc.boolean(),
        fc.integer({ min: 1, max: 20 }),
        fc.array(fc.string({ unit: 'binary', minLength: 1, maxLength: 40 }), { minLength: 1, maxLength: 60 }),
        fc.array(hashKeyArbitrary, { maxLength: 30 }),
        async (shardCount, steps, atLatest, pageSize, partitionKeys, explicitHashKeys) => {
          const streamName = `routing-${streams++}`;
          fake.createStream({ streamName, shardCount });
          for (const step of steps) reshard(fake, streamName, step);
          const predictor = createShardPredictor(await listShards(client, streamName, atLatest, pageSize));

          const open = openShards(fake, streamName);
          expect(predictor.shards.map((shard) => shard.shardId)).toEqual(open.map((shard) => shard.shardId));
          // The testkit's own camelCase view of every shard (closed ones with endingSequenceNumber) predicts the same.
          expect(createShardPredictor(fake.stream(streamName)!.shards).shards).toEqual(predictor.shards);
          const records = [
            ...partitionKeys.map((partitionKey) => ({ partitionKey, explicitHashKey: undefined as string | undefined })),
            ...explicitHashKeys.map((key) => ({ partitionKey: 'k', explicitHashKey: key.toString() })),
            // Both ends of every open shard, and the key the predictor pins to it.
            ...open.flatMap((shard) => [shard.startingHashKey, shard.endingHashKey, predictor.explicitHashKeyFor(shard.shardId)]).map((explicitHashKey) => ({ partitionKey: 'k', explicitHashKey })),
          ];
          const output = await client.send(
            new PutRecordsCommand({
              StreamName: streamName,
              Records: records.map((record) => ({ PartitionKey: record.partitionKey, ExplicitHashKey: record.explicitHashKey, Data: new Uint8Array([1]) })),
            }),
          );
          expect(output.FailedRecordCount).toBe(0);
          const stored = output.Records!.map((result) => result.ShardId);
          expect(records.map((record) => predictor.shardIdFor(record.partitionKey, record.explicitHashKey))).toEqual(stored);
          fake.deleteStream(streamName);
        },
      ),
      { numRuns: 40 },
    );
  }, 120_000);
});
