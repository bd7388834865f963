import { PutRecordsCommand } from '@aws-sdk/client-kinesis';
import { expect, it } from 'vitest';
import { entries, rejectionOf, startHarness } from '../__tests__/harness.js';

it('finds each stored record by (shardId, sequenceNumber) with its key, hash key and data', async () => {
  const { client, fake } = await startHarness({ streams: [{ streamName: 's', shardCount: 3 }] });
  const records = [
    { PartitionKey: 'alpha', Data: new TextEncoder().encode('first') },
    { PartitionKey: 'beta', ExplicitHashKey: '12345', Data: new Uint8Array([0, 255, 7]) },
    { PartitionKey: 'gamma', Data: new Uint8Array(0) },
  ];
  const output = await client.send(new PutRecordsCommand({ StreamName: 's', Records: records }));
  output.Records!.forEach((result, index) => {
    const stored = fake.ledger.find(result.ShardId!, result.SequenceNumber!)!;
    expect(stored).toMatchObject({ streamName: 's', shardId: result.ShardId, sequenceNumber: result.SequenceNumber, partitionKey: records[index]!.PartitionKey, responseLost: false });
    expect(stored.data).toEqual(new Uint8Array(records[index]!.Data));
    expect(stored.dataSize).toBe(records[index]!.Data.length);
    expect(stored.requestId).toBe(output.$metadata.requestId);
  });
  expect(fake.ledger.find(output.Records![1]!.ShardId!, output.Records![1]!.SequenceNumber!)).toMatchObject({ explicitHashKey: '12345', hashKey: '12345' });
  expect(fake.ledger.find('shardId-000000000000', '1')).toBeUndefined();
  expect(fake.ledger.find('shardId-000000000002', output.Records![0]!.SequenceNumber!.replace(/^(\d{8})\d/, '$19'))).toBeUndefined();
});

it('counts requests by operation and outcome, entries per shard, and resets', async () => {
  const { client, fake } = await startHarness({ streams: [{ streamName: 's', shardCount: 2 }] });
  fake.faults.script({ fault: { type: 'entryError', errorCode: 'InternalFailure' }, count: 2 });
  await client.send(new PutRecordsCommand({ StreamName: 's', Records: entries(10, 20) }));
  await rejectionOf(client.send(new PutRecordsCommand({ StreamName: 'missing', Records: entries(1) })));
  const counters = fake.counters();
  expect(counters.requests.PutRecords).toEqual({ success: 1, ResourceNotFoundException: 1 });
  expect(counters.totals).toEqual({ accepted: 8, acceptedBytes: 8 * 20 + fake.ledger.records('s').reduce((sum, record) => sum + record.partitionKey.length, 0), throttled: 0, failed: 2 });
  const shards = counters.streams.s!.shards;
  expect(Object.values(shards).reduce((sum, counts) => sum + counts.accepted, 0)).toBe(8);
  for (const [shardId, counts] of Object.entries(shards)) expect(fake.ledger.records('s', shardId)).toHaveLength(counts.accepted);
  fake.reset();
  expect(fake.ledger.count()).toBe(0);
  expect(fake.counters()).toEqual({ requests: {}, totals: { accepted: 0, acceptedBytes: 0, throttled: 0, failed: 0 }, streams: { s: expect.anything() } });
});

it('keeps the records of a deleted stream in the ledger', async () => {
  const { client, fake } = await startHarness({ streams: [{ streamName: 's', shardCount: 1 }] });
  const output = await client.send(new PutRecordsCommand({ StreamName: 's', Records: entries(3) }));
  fake.deleteStream('s');
  expect(fake.stream('s')).toBeUndefined();
  expect(fake.ledger.records('s')).toHaveLength(3);
  expect(fake.ledger.find(output.Records![0]!.ShardId!, output.Records![0]!.SequenceNumber!)?.partitionKey).toBe('key-0');
  fake.createStream({ streamName: 's', shardCount: 1 });
  expect(fake.ledger.records('s')).toHaveLength(0);
  expect(fake.ledger.count('s')).toBe(3);
});

it('keeps sizes but not data with retainRecordData: false, and nothing with retainRecords: false', async () => {
  const lean = await startHarness({ retainRecordData: false, streams: [{ streamName: 's', shardCount: 1 }] });
  await lean.client.send(new PutRecordsCommand({ StreamName: 's', Records: entries(2, 33) }));
  expect(lean.fake.ledger.records('s').map((record) => [record.dataSize, record.data])).toEqual([[33, undefined], [33, undefined]]);
  const none = await startHarness({ retainRecords: false, streams: [{ streamName: 's', shardCount: 1 }] });
  await none.client.send(new PutRecordsCommand({ StreamName: 's', Records: entries(2, 33) }));
  expect(none.fake.ledger.count()).toBe(0);
  expect(none.fake.counters().totals.accepted).toBe(2);
});

it('keeps stored data intact while later requests reuse body buffers', async () => {
  const { client, fake } = await startHarness({ enforceShardLimits: false, streams: [{ streamName: 's', shardCount: 1 }] });
  for (let round = 0; round < 5; round++) {
    await client.send(new PutRecordsCommand({ StreamName: 's', Records: [{ PartitionKey: `r${round}`, Data: new Uint8Array(100_000).fill(round) }] }));
  }
  expect(fake.ledger.records('s').map((record) => [record.partitionKey, record.data![0], record.data![99_999]])).toEqual(
    [0, 1, 2, 3, 4].map((round) => [`r${round}`, round, round]),
  );
});
