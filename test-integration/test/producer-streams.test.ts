// Streams the producer cannot write to, and ListShards pagination.
import { DeleteStreamCommand, ListShardsCommand } from '@aws-sdk/client-kinesis';
import { hashKeyOf } from '@tskpl/agg-codec';
import type { RecordResult } from '@tskpl/producer';
import { describe, expect, it } from 'vitest';
import {
  createCapturingLogger,
  createEmulatorProducer,
  createStream,
  failureSummary,
  hashRangeOf,
  inRange,
  listAllShards,
  makeRecords,
  putAll,
  uniqueStreamName,
  useEmulator,
} from '../src/index.js';

describe('producer and stream lifecycle on kinesis-local', () => {
  const suite = useEmulator();
  const logger = createCapturingLogger();

  it('fails records for a stream that does not exist with ResourceNotFoundException within seconds', async () => {
    await using producer = createEmulatorProducer(suite.emulator, { logger });
    const started = performance.now();
    const results = await putAll(producer, { streamName: uniqueStreamName('missing') }, makeRecords('missing', 50, (index) => `m-${index}`));
    const elapsedMs = performance.now() - started;
    console.info(`[streams] 50 records to a missing stream failed after ${Math.round(elapsedMs)} ms`);
    expect(failureSummary(results)).toEqual({ ResourceNotFoundException: 50 });
    expect(elapsedMs).toBeLessThan(10_000); // recordTtlMs is 30 s: the error was not retried until then
    expect(Math.max(...results.map((result) => result.attempts.length))).toBe(1);
  });

  it('fails records put after their stream was deleted with ResourceNotFoundException within seconds, and keeps serving other streams', async () => {
    const doomed = uniqueStreamName('deleted');
    const healthy = uniqueStreamName('healthy');
    await Promise.all([createStream(suite.client, doomed, 1), createStream(suite.client, healthy, 1)]);
    await using producer = createEmulatorProducer(suite.emulator, { logger });
    const before = await putAll(producer, { streamName: doomed }, makeRecords('before', 20, (index) => `b-${index}`));
    expect(failureSummary(before)).toEqual({});

    await suite.client.send(new DeleteStreamCommand({ StreamName: doomed }));
    const started = performance.now();
    const [after, others] = await Promise.all([
      putAll(producer, { streamName: doomed }, makeRecords('after', 20, (index) => `a-${index}`)),
      putAll(producer, { streamName: healthy }, makeRecords('others', 20, (index) => `o-${index}`)),
    ]);
    const elapsedMs = performance.now() - started;
    console.info(`[streams] 20 records to a deleted stream failed after ${Math.round(elapsedMs)} ms`);
    expect(failureSummary(after)).toEqual({ ResourceNotFoundException: 20 });
    expect(failureSummary(others)).toEqual({});
    expect(elapsedMs).toBeLessThan(10_000);
  });

  // kinesis-local caps ListShards pages at 100 shards whatever MaxResults says (the producer asks
  // 1000, as the KPL does), so a stream of 120 shards makes the producer follow a NextToken. If it
  // stopped at the first page, records for shards 100–119 would be unpredictable: they would go
  // out unaggregated, or as aggregates on the wrong shard and come back as "Wrong Shard".
  it('follows ListShards pagination: records for shards on the second page are predicted and aggregated too', async () => {
    const streamName = uniqueStreamName('pages');
    const created = performance.now();
    await createStream(suite.client, streamName, 120);
    const createMs = performance.now() - created;
    const firstPage = await suite.client.send(new ListShardsCommand({ StreamName: streamName, MaxResults: 1000 }));
    expect(firstPage.Shards).toHaveLength(100);
    expect(firstPage.NextToken).toBeDefined();
    const shards = await listAllShards(suite.client, streamName);
    const secondPageRanges = shards.slice(100).map(hashRangeOf);

    // Keys that hash into shards 100–119 only, 20 per shard.
    const keys: string[] = [];
    for (let candidate = 0; keys.length < 400; candidate += 1) {
      const key = `page2-${candidate}`;
      if (secondPageRanges.some((range) => inRange(hashKeyOf(key), range))) keys.push(key);
    }
    await using producer = createEmulatorProducer(suite.emulator, { logger });
    const sent = makeRecords('pages', keys.length, (index) => keys[index] as string);
    const started = performance.now();
    const results: RecordResult[] = await putAll(producer, { streamName }, sent);
    console.info(`[streams] 120-shard stream created in ${Math.round(createMs)} ms; 400 records to its second-page shards in ${Math.round(performance.now() - started)} ms`);
    expect(failureSummary(results), logger.lines.join('\n')).toEqual({});
    expect(results.filter((result) => result.attempts.length > 1)).toEqual([]);
    const shardNumbers = new Set(results.map((result) => Number(result.shardId?.slice(-12))));
    expect(Math.min(...shardNumbers)).toBeGreaterThanOrEqual(100);
    expect(shardNumbers.size).toBe(20);
    // Aggregated by predicted shard: 400 records in at most a few Kinesis records per shard.
    expect(new Set(results.map((result) => result.sequenceNumber)).size).toBeLessThanOrEqual(60);
  });
});
