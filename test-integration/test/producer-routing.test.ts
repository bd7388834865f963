// Shard prediction against the real emulator: the producer's predicted shard must be where
// Kinesis stores each record, for every key, several shard counts and explicit hash keys; a
// wrong prediction would show as a second attempt ("Wrong Shard") or a result on another shard.
import type { KinesisClient } from '@aws-sdk/client-kinesis';
import { hashKeyOf } from '@tskpl/agg-codec';
import type { Producer } from '@tskpl/producer';
import { startKinesisLocal, type KinesisLocal } from '@tskpl/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createCapturingLogger,
  createEmulatorProducer,
  createKinesisClient,
  createStream,
  failureSummary,
  hashRangeOf,
  inRange,
  listAllShards,
  makeRecords,
  putAll,
  uniqueStreamName,
  type SentRecord,
} from '../src/index.js';

const maxHashKey = (1n << 128n) - 1n;

describe('shard prediction on kinesis-local', () => {
  let emulator: KinesisLocal;
  let client: KinesisClient;
  let producer: Producer;
  const logger = createCapturingLogger();

  beforeAll(async () => {
    emulator = await startKinesisLocal();
    client = createKinesisClient(emulator.endpoint);
    producer = createEmulatorProducer(emulator, { logger });
  });

  afterAll(async () => {
    await producer?.close();
    client?.destroy();
    await emulator?.stop();
  });

  it.each([1, 3, 5])('puts every record on the shard whose range holds its key, at the first attempt (%i shards)', async (shardCount) => {
    const streamName = uniqueStreamName(`predict${shardCount}`);
    await createStream(client, streamName, shardCount);
    const shards = await listAllShards(client, streamName);
    const ranges = new Map(shards.map((shard) => [shard.ShardId ?? '', hashRangeOf(shard)]));

    const keyed = makeRecords(`p${shardCount}`, 300, (index) => `customer-${index}`);
    // Explicit hash keys on and next to every shard boundary, plus both ends of the key space.
    const boundaries = [0n, maxHashKey, ...[...ranges.values()].flatMap((range) => [range.start, range.end, range.start + 1n])]
      .filter((key) => key >= 0n && key <= maxHashKey);
    const explicit: SentRecord[] = boundaries.map((key, index) => ({
      partitionKey: `explicit-${index}`,
      explicitHashKey: key.toString(),
      data: new TextEncoder().encode(`e${shardCount}:${index}`),
    }));
    const sent = [...keyed, ...explicit];
    const results = await putAll(producer, { streamName }, sent);

    expect(failureSummary(results), logger.lines.join('\n')).toEqual({});
    const misplaced: string[] = [];
    results.forEach((result, index) => {
      const record = sent[index] as SentRecord;
      const hashKey = hashKeyOf(record.partitionKey, record.explicitHashKey);
      const range = ranges.get(result.shardId ?? '');
      if (range === undefined || !inRange(hashKey, range)) misplaced.push(`${record.partitionKey} (${hashKey}) on ${String(result.shardId)}`);
      else if (result.attempts.length !== 1) misplaced.push(`${record.partitionKey}: ${result.attempts.length} attempts (${result.attempts.map((attempt) => attempt.errorCode ?? 'ok').join(', ')})`);
    });
    expect(misplaced).toEqual([]);
    expect(new Set(results.map((result) => result.shardId)).size).toBe(shardCount);
  });
});
