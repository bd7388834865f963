// Facts about kinesis-local 0.6.2 that the producer relies on or must work around. Each test pins
// one observed behaviour, so an emulator upgrade that changes it fails here first. The numbers
// in README.md come from the `console.info` lines of these tests.
import { createHash, randomBytes } from 'node:crypto';
import {
  CreateStreamCommand,
  DescribeStreamSummaryCommand,
  ListShardsCommand,
  MergeShardsCommand,
  PutRecordsCommand,
  SplitShardCommand,
  UpdateShardCountCommand,
  type KinesisClient,
} from '@aws-sdk/client-kinesis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createKinesisClient,
  createStream,
  listAllShards,
  readAllRecords,
  uniqueStreamName,
  waitForStreamActive,
} from '../src/index.js';
import { startKinesisLocal, type KinesisLocal } from '@tskpl/testkit';

const reshardDelayMs = 1_000;

/** A small but well-formed KPL aggregate: magic, protobuf AggregatedRecord with two records, MD5. */
function aggregateBlob(): Uint8Array {
  const text = (tag: number, value: Uint8Array) => Buffer.concat([Buffer.from([tag, value.length]), value]);
  const record = (keyIndex: number, data: string) =>
    text(0x1a, Buffer.concat([Buffer.from([0x08, keyIndex]), text(0x1a, Buffer.from(data))]));
  const body = Buffer.concat([text(0x0a, Buffer.from('a')), text(0x0a, Buffer.from('b')), record(0, 'first'), record(1, 'second')]);
  return Buffer.concat([Buffer.from([0xf3, 0x89, 0x9a, 0xc2]), body, createHash('md5').update(body).digest()]);
}

describe('kinesis-local 0.6.2 facts', () => {
  let emulator: KinesisLocal;
  let client: KinesisClient;

  beforeAll(async () => {
    emulator = await startKinesisLocal({ reshardDelayMs });
    client = createKinesisClient(emulator.endpoint);
    console.info(`[facts] start-up ${emulator.startupMs} ms`);
  });

  afterAll(async () => {
    client?.destroy();
    await emulator?.stop();
  });

  it('creates a stream that is ACTIVE almost at once with CREATE_STREAM_DURATION=0ms', async () => {
    const timings: number[] = [];
    for (let index = 0; index < 5; index += 1) {
      const started = performance.now();
      await createStream(client, uniqueStreamName('create'), 4);
      timings.push(Math.round(performance.now() - started));
    }
    console.info(`[facts] createStream (4 shards) until ACTIVE: ${timings.join(', ')} ms`);
    expect(Math.min(...timings)).toBeLessThan(2_000);
  });

  it('returns aggregated blobs and arbitrary bytes from GetRecords unchanged', async () => {
    const streamName = uniqueStreamName('blobs');
    await createStream(client, streamName, 1);
    const blobs = [aggregateBlob(), randomBytes(4096), Uint8Array.from({ length: 256 }, (_, index) => index)];
    await client.send(
      new PutRecordsCommand({ StreamName: streamName, Records: blobs.map((Data) => ({ Data, PartitionKey: 'a', ExplicitHashKey: '12345' })) }),
    );
    const stored = await readAllRecords(client, streamName);
    expect(stored.map((record) => Buffer.from(record.data).toString('hex'))).toEqual(blobs.map((blob) => Buffer.from(blob).toString('hex')));
    expect(stored.map((record) => record.partitionKey)).toEqual(['a', 'a', 'a']);
  });

  it('has no MaxRecordSizeInKiB in DescribeStreamSummary unless the stream was created with one', async () => {
    const plain = uniqueStreamName('size');
    await createStream(client, plain, 1);
    const sized = uniqueStreamName('size');
    await client.send(new CreateStreamCommand({ StreamName: sized, ShardCount: 1, MaxRecordSizeInKiB: 2048 }));
    await waitForStreamActive(client, sized);
    const describe = async (name: string) => (await client.send(new DescribeStreamSummaryCommand({ StreamName: name }))).StreamDescriptionSummary;
    expect((await describe(plain))?.MaxRecordSizeInKiB).toBeUndefined();
    expect((await describe(sized))?.MaxRecordSizeInKiB).toBe(2048);
  });

  it('fails an over-size entry alone (InvalidArgumentException) and counts only the data, not the partition key', async () => {
    const streamName = uniqueStreamName('oversize');
    await createStream(client, streamName, 1);
    const exactly = new Uint8Array(1024 * 1024);
    const response = await client.send(
      new PutRecordsCommand({
        StreamName: streamName,
        Records: [
          { Data: exactly, PartitionKey: 'k'.repeat(256) }, // 1 MiB + 256 B: real Kinesis rejects it
          { Data: new Uint8Array(1024 * 1024 + 1), PartitionKey: 'k' },
          { Data: new Uint8Array(10), PartitionKey: 'k' },
        ],
      }),
    );
    expect(response.Records?.map((entry) => entry.ErrorCode ?? 'ok')).toEqual(['ok', 'InvalidArgumentException', 'ok']);
    expect(response.FailedRecordCount).toBe(1);
  });

  it('caps ListShards pages at 100 shards whatever MaxResults says, and paginates with NextToken', async () => {
    const streamName = uniqueStreamName('pages');
    await createStream(client, streamName, 120);
    const first = await client.send(new ListShardsCommand({ StreamName: streamName, MaxResults: 1000 }));
    expect(first.Shards).toHaveLength(100);
    expect(first.NextToken).toBeDefined();
    const small = await client.send(new ListShardsCommand({ StreamName: streamName, MaxResults: 7 }));
    expect(small.Shards).toHaveLength(7);
    expect(await listAllShards(client, streamName, { maxResults: 1000 })).toHaveLength(120);
    await expect(client.send(new ListShardsCommand({ StreamName: streamName, NextToken: first.NextToken }))).rejects.toMatchObject({
      name: 'InvalidArgumentException',
    });
  });

  it('closes a split parent at once, keeps the stream UPDATING for SPLIT_SHARD_DURATION, and accepts PutRecords meanwhile', async () => {
    const streamName = uniqueStreamName('split');
    await createStream(client, streamName, 3);
    const [, second] = await listAllShards(client, streamName);
    const range = second?.HashKeyRange;
    const middle = (BigInt(range?.StartingHashKey ?? '0') + BigInt(range?.EndingHashKey ?? '0')) / 2n;
    const started = performance.now();
    await client.send(new SplitShardCommand({ StreamName: streamName, ShardToSplit: second?.ShardId, NewStartingHashKey: middle.toString() }));
    const during = await client.send(new DescribeStreamSummaryCommand({ StreamName: streamName }));
    expect(during.StreamDescriptionSummary?.StreamStatus).toBe('UPDATING');
    const put = await client.send(new PutRecordsCommand({ StreamName: streamName, Records: [{ Data: new Uint8Array(1), PartitionKey: 'during-split', ExplicitHashKey: middle.toString() }] }));
    expect(put.FailedRecordCount).toBe(0);
    // The upper child already takes the parent's keys while the stream is UPDATING.
    expect(put.Records?.[0]?.ShardId).toBe('shardId-000000000004');

    const latest = await listAllShards(client, streamName, { shardFilter: { Type: 'AT_LATEST' } });
    expect(latest.map((shard) => shard.ShardId)).toEqual(['shardId-000000000000', 'shardId-000000000002', 'shardId-000000000003', 'shardId-000000000004']);
    await waitForStreamActive(client, streamName, { pollIntervalMs: 10 });
    console.info(`[facts] SplitShard until ACTIVE: ${Math.round(performance.now() - started)} ms (SPLIT_SHARD_DURATION=${reshardDelayMs}ms)`);

    // Reading follows the closed parent to its end and the children from their start.
    const stored = await readAllRecords(client, streamName);
    expect(stored.map((record) => record.partitionKey)).toEqual(['during-split']);
    expect(stored[0]?.shardId).toBe('shardId-000000000004');

    // AT_LATEST is honoured on the first page only: a NextToken page lists every shard after the
    // token's shard, closed ones included (the real service keeps the filter).
    const firstPage = await client.send(new ListShardsCommand({ StreamName: streamName, ShardFilter: { Type: 'AT_LATEST' }, MaxResults: 1 }));
    expect(firstPage.Shards?.map((shard) => shard.ShardId)).toEqual(['shardId-000000000000']);
    const secondPage = await client.send(new ListShardsCommand({ NextToken: firstPage.NextToken, MaxResults: 1 }));
    expect(secondPage.Shards?.[0]?.ShardId).toBe('shardId-000000000001');
    expect(secondPage.Shards?.[0]?.SequenceNumberRange?.EndingSequenceNumber).toBeDefined();
  });

  it('merges shards and updates the shard count with the same UPDATING window', async () => {
    const streamName = uniqueStreamName('reshard');
    await createStream(client, streamName, 2);
    let started = performance.now();
    await client.send(new MergeShardsCommand({ StreamName: streamName, ShardToMerge: 'shardId-000000000000', AdjacentShardToMerge: 'shardId-000000000001' }));
    expect((await listAllShards(client, streamName, { shardFilter: { Type: 'AT_LATEST' } })).map((shard) => shard.ShardId)).toEqual(['shardId-000000000002']);
    await waitForStreamActive(client, streamName, { pollIntervalMs: 10 });
    const mergeMs = Math.round(performance.now() - started);

    started = performance.now();
    await client.send(new UpdateShardCountCommand({ StreamName: streamName, TargetShardCount: 2, ScalingType: 'UNIFORM_SCALING' }));
    const openNow = await listAllShards(client, streamName, { shardFilter: { Type: 'AT_LATEST' } });
    expect(openNow).toHaveLength(2);
    await waitForStreamActive(client, streamName, { pollIntervalMs: 10 });
    console.info(`[facts] MergeShards until ACTIVE: ${mergeMs} ms; UpdateShardCount 1→2 until ACTIVE: ${Math.round(performance.now() - started)} ms`);
    expect(mergeMs).toBeGreaterThanOrEqual(reshardDelayMs - 50);
  });

  it('measures PutRecords throughput with ~50 KB records (2 MB in all)', async () => {
    const streamName = uniqueStreamName('throughput');
    await createStream(client, streamName, 2);
    const requests = 4;
    const perRequest = 10;
    const recordBytes = 50 * 1024;
    const started = performance.now();
    for (let request = 0; request < requests; request += 1) {
      const response = await client.send(
        new PutRecordsCommand({
          StreamName: streamName,
          Records: Array.from({ length: perRequest }, (_, index) => ({ Data: randomBytes(recordBytes), PartitionKey: `p-${request}-${index}` })),
        }),
      );
      expect(response.FailedRecordCount).toBe(0);
    }
    const seconds = (performance.now() - started) / 1000;
    const megabytes = (requests * perRequest * recordBytes) / 1024 / 1024;
    console.info(`[facts] PutRecords: ${megabytes.toFixed(1)} MiB in ${seconds.toFixed(2)} s = ${(megabytes / seconds).toFixed(2)} MiB/s, ${(requests / seconds).toFixed(1)} requests/s of ${perRequest} × 50 KiB`);
    const readStarted = performance.now();
    const stored = await readAllRecords(client, streamName);
    console.info(`[facts] readAllRecords of ${stored.length} records: ${Math.round(performance.now() - readStarted)} ms`);
    expect(stored).toHaveLength(requests * perRequest);
  });

  it('stops on SIGTERM when idle, but needs SIGKILL while a keep-alive connection is open', async () => {
    const idle = await startKinesisLocal({ stopGraceMs: 10_000 });
    let started = performance.now();
    await idle.stop();
    const idleStopMs = Math.round(performance.now() - started);
    console.info(`[facts] idle emulator start-up ${idle.startupMs} ms; stop() ${idleStopMs} ms`);

    const other = await startKinesisLocal({ stopGraceMs: 1_000 });
    const otherClient = createKinesisClient(other.endpoint);
    await createStream(otherClient, uniqueStreamName('stop'), 1); // leaves a keep-alive connection open
    started = performance.now();
    await other.stop();
    const stopMs = Math.round(performance.now() - started);
    otherClient.destroy();
    console.info(`[facts] second emulator start-up ${other.startupMs} ms; stop() with an open keep-alive connection: ${stopMs} ms`);
    expect(() => process.kill(other.pid, 0)).toThrow();
    expect(idleStopMs).toBeLessThan(10_000); // SIGTERM alone ended it: no SIGKILL after the grace
    expect(stopMs).toBeGreaterThanOrEqual(1_000);
  });
});
