import { createHash } from 'node:crypto';
import { PutRecordCommand, PutRecordsCommand } from '@aws-sdk/client-kinesis';
import { expect, it } from 'vitest';
import { rejectionOf, startHarness } from '../__tests__/harness.js';

function md5HashKey(partitionKey: string): bigint {
  return BigInt(`0x${createHash('md5').update(Buffer.from(partitionKey, 'utf8')).digest('hex')}`);
}

it('routes each entry to the open shard whose range holds MD5(partition key)', async () => {
  const { client, fake } = await startHarness({ streams: [{ streamName: 's', shardCount: 7 }] });
  const keys = Array.from({ length: 200 }, (_, index) => (index % 3 === 0 ? `ключ-${index}-🙂` : `customer-${index}`));
  const output = await client.send(new PutRecordsCommand({ StreamName: 's', Records: keys.map((PartitionKey) => ({ PartitionKey, Data: new Uint8Array([1]) })) }));
  const shards = fake.stream('s')!.shards;
  output.Records!.forEach((result, index) => {
    const hashKey = md5HashKey(keys[index]!);
    const expected = shards.find((shard) => BigInt(shard.startingHashKey) <= hashKey && hashKey <= BigInt(shard.endingHashKey))!;
    expect(result.ShardId).toBe(expected.shardId);
    expect(fake.ledger.find(result.ShardId!, result.SequenceNumber!)!.hashKey).toBe(hashKey.toString());
  });
  expect(new Set(output.Records!.map((result) => result.ShardId)).size).toBe(7);
});

it('routes by ExplicitHashKey when given, whatever the partition key', async () => {
  const { client } = await startHarness({ streams: [{ streamName: 's', shardCount: 4 }] });
  const quarter = 1n << 126n;
  const cases: Array<[bigint, string]> = [
    [0n, 'shardId-000000000000'],
    [quarter - 1n, 'shardId-000000000000'],
    [quarter, 'shardId-000000000001'],
    [3n * quarter + 5n, 'shardId-000000000003'],
    [(1n << 128n) - 1n, 'shardId-000000000003'],
  ];
  const output = await client.send(
    new PutRecordsCommand({ StreamName: 's', Records: cases.map(([key]) => ({ PartitionKey: 'same', ExplicitHashKey: key.toString(), Data: new Uint8Array(1) })) }),
  );
  expect(output.Records!.map((result) => result.ShardId)).toEqual(cases.map(([, shardId]) => shardId));
});

it('rejects explicit hash keys outside the pattern or the range', async () => {
  const { client, fake } = await startHarness({ streams: [{ streamName: 's', shardCount: 1 }] });
  const tooBig = await rejectionOf(client.send(new PutRecordCommand({ StreamName: 's', PartitionKey: 'k', ExplicitHashKey: (1n << 128n).toString(), Data: new Uint8Array(1) })));
  expect(tooBig.name).toBe('InvalidArgumentException');
  for (const bad of ['-1', '0x10', '007', '1.5']) {
    const error = await rejectionOf(client.send(new PutRecordCommand({ StreamName: 's', PartitionKey: 'k', ExplicitHashKey: bad, Data: new Uint8Array(1) })));
    expect(error.name).toBe('ValidationException');
  }
  expect(fake.ledger.count('s')).toBe(0);
});

it('numbers records with decimal sequence numbers increasing per shard and unique per stream', async () => {
  const { client } = await startHarness({ streams: [{ streamName: 's', shardCount: 3 }] });
  const all: Array<{ shardId: string; sequence: bigint }> = [];
  for (let batch = 0; batch < 3; batch++) {
    const output = await client.send(new PutRecordsCommand({ StreamName: 's', Records: Array.from({ length: 50 }, (_, index) => ({ PartitionKey: `k${batch}-${index}`, Data: new Uint8Array(1) })) }));
    for (const result of output.Records!) {
      expect(result.SequenceNumber).toMatch(/^\d+$/);
      all.push({ shardId: result.ShardId!, sequence: BigInt(result.SequenceNumber!) });
    }
  }
  expect(new Set(all.map((entry) => entry.sequence)).size).toBe(all.length);
  for (const shardId of new Set(all.map((entry) => entry.shardId))) {
    const sequences = all.filter((entry) => entry.shardId === shardId).map((entry) => entry.sequence);
    for (let index = 1; index < sequences.length; index++) expect(sequences[index]! > sequences[index - 1]!).toBe(true);
  }
});

it('spreads records over the shards of an AUTO on-demand stream, ignoring keys', async () => {
  const { client } = await startHarness({ streams: [{ streamName: 'auto', mode: 'ON_DEMAND', recordDistributionStrategy: 'AUTO' }] });
  const output = await client.send(new PutRecordsCommand({ StreamName: 'auto', Records: Array.from({ length: 8 }, () => ({ PartitionKey: 'same', Data: new Uint8Array(1) })) }));
  expect(new Set(output.Records!.map((result) => result.ShardId)).size).toBe(4);
});
