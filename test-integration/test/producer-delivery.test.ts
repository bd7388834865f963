// End to end through the producer and back out of the emulator: every successful result locates
// exactly its record (shardId, sequenceNumber, subSequenceNumber), no result points into an
// aggregate a KCL would drop, nothing is lost or duplicated; several streams, a stream ARN, and
// flush()/close() with records in flight.
import { DescribeStreamSummaryCommand } from '@aws-sdk/client-kinesis';
import { ProducerClosedError, type Outcome, type RecordResult } from '@tskpl/producer';
import { describe, expect, it } from 'vitest';
import {
  checkDelivery,
  createCapturingLogger,
  createEmulatorProducer,
  createStream,
  failureSummary,
  makeRecords,
  putAll,
  readStreamContents,
  uniqueStreamName,
  useEmulator,
} from '../src/index.js';

describe('producer delivery on kinesis-local', () => {
  const suite = useEmulator();
  const logger = createCapturingLogger();

  it('locates every successful record exactly where its result says, in aggregates a KCL keeps', async () => {
    const streamName = uniqueStreamName('delivery');
    await createStream(suite.client, streamName, 4);
    await using producer = createEmulatorProducer(suite.emulator, { logger });
    // No warm-up record: the emulator's first ListShards answer takes 0.5–2 s, and the burst put
    // before it waits for the shard map and is aggregated.
    const sent = makeRecords('delivery', 2_000, (index) => `user-${index % 701}`, 100);
    const results = await putAll(producer, { streamName }, sent);
    const contents = await readStreamContents(suite.client, streamName);
    const check = checkDelivery(sent, results, contents);

    expect(failureSummary(results), logger.lines.join('\n')).toEqual({});
    expect(check.problems).toEqual([]);
    expect(contents.droppedByKcl).toEqual([]);
    expect({ missing: check.missing, duplicates: check.duplicates }).toEqual({ missing: 0, duplicates: 0 });
    expect(contents.userRecords).toHaveLength(sent.length);
    // Aggregation really happened: far fewer Kinesis records than user records, on every shard.
    expect(contents.aggregates).toBeGreaterThan(0);
    // Aggregated from the first record: without waiting for the map this burst went out one Kinesis record per user record.
    expect(new Set(results.map((result) => `${result.shardId}/${result.sequenceNumber}`)).size).toBeLessThan(sent.length / 20);
    expect(contents.kinesisRecords).toBeLessThan(sent.length / 5);
    expect(new Set(results.map((result) => result.shardId)).size).toBe(4);
    expect(results.some((result) => (result.subSequenceNumber ?? 0) > 0)).toBe(true);
  });

  it('serves several streams through one producer, each record landing in its own stream', async () => {
    const streams = [uniqueStreamName('multi'), uniqueStreamName('multi'), uniqueStreamName('multi')];
    await Promise.all(streams.map((name, index) => createStream(suite.client, name, index + 1)));
    await using producer = createEmulatorProducer(suite.emulator, { logger });
    const sent = streams.map((name, index) => makeRecords(`multi${index}`, 300, (record) => `k-${record}`, 80));
    // Interleave the streams record by record.
    const outcomes: Outcome[][] = streams.map(() => []);
    for (let record = 0; record < 300; record += 1) {
      for (let stream = 0; stream < streams.length; stream += 1) {
        outcomes[stream]?.push(await producer.putRecord({ streamName: streams[stream] as string, ...(sent[stream]?.[record] as (typeof sent)[0][0]) }));
      }
    }
    const results = await Promise.all(outcomes.map((list) => Promise.all(list.map((outcome) => outcome.wait()))));
    for (let stream = 0; stream < streams.length; stream += 1) {
      const streamResults = results[stream] as RecordResult[];
      const contents = await readStreamContents(suite.client, streams[stream] as string);
      const check = checkDelivery(sent[stream] ?? [], streamResults, contents);
      expect(failureSummary(streamResults), logger.lines.join('\n')).toEqual({});
      expect(new Set(streamResults.map((result) => result.streamName))).toEqual(new Set([streams[stream]]));
      expect(check.problems).toEqual([]);
      expect({ stored: contents.userRecords.length, missing: check.missing, duplicates: check.duplicates }).toEqual({ stored: 300, missing: 0, duplicates: 0 });
    }
  });

  it('puts to a stream given by its ARN (from DescribeStreamSummary)', async () => {
    const streamName = uniqueStreamName('arn');
    await createStream(suite.client, streamName, 2);
    const summary = await suite.client.send(new DescribeStreamSummaryCommand({ StreamName: streamName }));
    const streamARN = summary.StreamDescriptionSummary?.StreamARN ?? '';
    expect(streamARN).toMatch(new RegExp(`^arn:aws:kinesis:us-east-1:000000000000:stream/${streamName}$`));
    await using producer = createEmulatorProducer(suite.emulator, { logger });
    const sent = makeRecords('arn', 200, (index) => `arn-${index}`);
    const results = await putAll(producer, { streamARN }, sent);
    const check = checkDelivery(sent, results, await readStreamContents(suite.client, streamName));
    expect(failureSummary(results), logger.lines.join('\n')).toEqual({});
    expect(check.problems).toEqual([]);
    expect({ missing: check.missing, duplicates: check.duplicates }).toEqual({ missing: 0, duplicates: 0 });
  });

  it('flush() and close() with records in flight: each resolves only when every earlier record has its outcome', async () => {
    const streamName = uniqueStreamName('flush');
    await createStream(suite.client, streamName, 2);
    // A long buffering time: without flush() these records would sit in the aggregator for 10 s.
    const producer = createEmulatorProducer(suite.emulator, { logger, recordMaxBufferedTimeMs: 10_000 });
    const first = makeRecords('flush', 500, (index) => `f-${index}`);
    const settled = new Set<number>();
    const firstOutcomes = [];
    for (const [index, record] of first.entries()) {
      const outcome = await producer.putRecord({ streamName, ...record });
      firstOutcomes.push(outcome.wait().then((result) => (settled.add(index), result)));
    }
    expect(producer.outstandingRecords).toBeGreaterThan(0);
    const flushStarted = performance.now();
    await producer.flush();
    const flushMs = performance.now() - flushStarted;
    expect(producer.outstandingRecords).toBe(0);
    await Promise.resolve(); // let the wait() continuations above run
    expect(settled.size).toBe(first.length);
    expect(flushMs).toBeLessThan(10_000);

    const second = makeRecords('close', 500, (index) => `c-${index}`);
    const secondOutcomes = [];
    for (const record of second) secondOutcomes.push(await producer.putRecord({ streamName, ...record }));
    expect(producer.outstandingRecords).toBeGreaterThan(0);
    await producer.close();
    expect(producer.outstandingRecords).toBe(0);
    await expect(producer.putRecord({ streamName, ...first[0]! })).rejects.toBeInstanceOf(ProducerClosedError);
    await expect(producer.close()).resolves.toBeUndefined();

    const results = [...(await Promise.all(firstOutcomes)), ...(await Promise.all(secondOutcomes.map((outcome) => outcome.wait())))];
    const sent = [...first, ...second];
    const check = checkDelivery(sent, results, await readStreamContents(suite.client, streamName));
    expect(failureSummary(results), logger.lines.join('\n')).toEqual({});
    expect(check.problems).toEqual([]);
    expect({ missing: check.missing, duplicates: check.duplicates }).toEqual({ missing: 0, duplicates: 0 });
  });
});
