import { PutRecordCommand, PutRecordsCommand } from '@aws-sdk/client-kinesis';
import { describe, expect, it } from 'vitest';
import { entries, rejectionOf, startHarness } from '../__tests__/harness.js';

const MIB = 1024 * 1024;

describe('per-request limits', () => {
  it('accepts 500 entries and rejects 501 as a whole with ValidationException', async () => {
    const { client, fake } = await startHarness({ enforceShardLimits: false, streams: [{ streamName: 's', shardCount: 2 }] });
    expect((await client.send(new PutRecordsCommand({ StreamName: 's', Records: entries(500, 1) }))).FailedRecordCount).toBe(0);
    const error = await rejectionOf(client.send(new PutRecordsCommand({ StreamName: 's', Records: entries(501, 1) })));
    expect(error.name).toBe('ValidationException');
    expect(fake.ledger.count('s')).toBe(500);
  });

  it('rejects a request over 5 MiB of data + partition keys with InvalidArgumentException; 10 MiB when configured', async () => {
    // 6 entries of 900,000 bytes + 5-byte keys = 5,400,030 bytes > 5 MiB (5,242,880).
    const big = Array.from({ length: 6 }, (_, index) => ({ PartitionKey: `key-${index}`, Data: new Uint8Array(900_000) }));
    const strict = await startHarness({ enforceShardLimits: false, streams: [{ streamName: 's', shardCount: 1 }] });
    const error = await rejectionOf(strict.client.send(new PutRecordsCommand({ StreamName: 's', Records: big })));
    expect(error.name).toBe('InvalidArgumentException');
    expect(strict.fake.ledger.count()).toBe(0);
    const exact = Array.from({ length: 5 }, (_, index) => ({ PartitionKey: `key-${index}`, Data: new Uint8Array(MIB - 5) }));
    expect((await strict.client.send(new PutRecordsCommand({ StreamName: 's', Records: exact }))).FailedRecordCount).toBe(0);
    const wide = await startHarness({ enforceShardLimits: false, maxRequestBytes: 10 * MIB, streams: [{ streamName: 's', shardCount: 1 }] });
    expect((await wide.client.send(new PutRecordsCommand({ StreamName: 's', Records: big }))).FailedRecordCount).toBe(0);
  });

  it('counts the partition key against the record size: the whole request fails on one oversize record', async () => {
    const { client, fake } = await startHarness({ enforceShardLimits: false, streams: [{ streamName: 's', shardCount: 1 }, { streamName: 'large', shardCount: 1, maxRecordSizeInKiB: 2048 }] });
    const fits = { PartitionKey: 'abc', Data: new Uint8Array(MIB - 3) };
    expect((await client.send(new PutRecordsCommand({ StreamName: 's', Records: [fits] }))).FailedRecordCount).toBe(0);
    const overByKey = { PartitionKey: 'abcd', Data: new Uint8Array(MIB - 3) };
    const error = await rejectionOf(client.send(new PutRecordsCommand({ StreamName: 's', Records: [...entries(3), overByKey] })));
    expect(error.name).toBe('InvalidArgumentException');
    const overByData = await rejectionOf(client.send(new PutRecordsCommand({ StreamName: 's', Records: [{ PartitionKey: 'k', Data: new Uint8Array(MIB + 1) }] })));
    expect(overByData.name).toBe('ValidationException');
    expect(fake.ledger.count('s')).toBe(1);
    expect((await client.send(new PutRecordsCommand({ StreamName: 'large', Records: [{ PartitionKey: 'k', Data: new Uint8Array(1.5 * MIB) }] }))).FailedRecordCount).toBe(0);
  });

  it('requires partition keys of 1 to 256 characters', async () => {
    const { client } = await startHarness({ streams: [{ streamName: 's', shardCount: 1 }] });
    const put = (PartitionKey: string): Promise<unknown> => client.send(new PutRecordsCommand({ StreamName: 's', Records: [{ PartitionKey, Data: new Uint8Array(1) }] }));
    await expect(put('x'.repeat(256))).resolves.toBeDefined();
    await expect(put('🙂'.repeat(256))).resolves.toBeDefined();
    expect((await rejectionOf(put('x'.repeat(257)))).name).toBe('ValidationException');
    expect((await rejectionOf(put(''))).name).toBe('ValidationException');
    expect((await rejectionOf(client.send(new PutRecordCommand({ StreamName: 's', PartitionKey: '', Data: new Uint8Array(1) })))).name).toBe('ValidationException');
  });
});
