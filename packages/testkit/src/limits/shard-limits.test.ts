import { PutRecordCommand, PutRecordsCommand } from '@aws-sdk/client-kinesis';
import { describe, expect, it } from 'vitest';
import { entries, rejectionOf, startHarness } from '../__tests__/harness.js';
import { createManualClock } from '../clock/clock.js';
import { ShardLimiter } from './token-bucket.js';

const THROTTLED = 'ProvisionedThroughputExceededException';

describe('ShardLimiter', () => {
  it('passes the burst, then exactly the rate per second', () => {
    const limiter = new ShardLimiter(1000, 1_048_576, 1, 0);
    let passed = 0;
    for (let index = 0; index < 1500; index++) if (limiter.tryTake(10, 0)) passed++;
    expect(passed).toBe(1000);
    passed = 0;
    for (let ms = 1; ms <= 1000; ms++) for (let index = 0; index < 3; index++) if (limiter.tryTake(10, ms)) passed++;
    expect(passed).toBe(1000);
  });

  it('lets a record larger than the byte burst pass from a full bucket, then owes it', () => {
    const limiter = new ShardLimiter(1000, 1000, 1, 0);
    expect(limiter.tryTake(5000, 0)).toBe(true);
    // 4000 bytes owed: after 4 s at 1000 B/s the bucket is back at 0, one byte needs 1 ms more.
    expect(limiter.tryTake(1, 4000)).toBe(false);
    expect(limiter.tryTake(1, 4001)).toBe(true);
  });
});

describe('per-shard write limits through the SDK', () => {
  it('passes exactly 1000 records in the first second, then 1000 per second, throttling per entry', async () => {
    const clock = createManualClock();
    const { client, fake } = await startHarness({ clock, streams: [{ streamName: 's', shardCount: 1 }] });
    const put = async (count: number): Promise<number> => {
      const output = await client.send(new PutRecordsCommand({ StreamName: 's', Records: entries(count, 10) }));
      const throttled = output.Records!.filter((record) => record.ErrorCode === THROTTLED);
      expect(output.FailedRecordCount).toBe(throttled.length);
      for (const record of throttled) expect(record.ErrorMessage).toContain('shardId-000000000000');
      return count - throttled.length;
    };
    expect((await put(400)) + (await put(400)) + (await put(400))).toBe(1000);
    clock.advance(500);
    expect(await put(500) + (await put(100))).toBe(500);
    clock.advance(1000);
    expect(await put(500) + (await put(500)) + (await put(500))).toBe(1000);
    expect(fake.counters().streams.s!.shards['shardId-000000000000']).toMatchObject({ accepted: 2500, throttled: 200 + 100 + 500 });
  });

  it('limits bytes to 1 MiB per second per shard, data + partition key', async () => {
    const clock = createManualClock();
    const { client } = await startHarness({ clock, streams: [{ streamName: 's', shardCount: 1 }] });
    // 10,235 bytes of data + 5-byte keys ("key-0") = 10,240 bytes: 102.4 of them per MiB.
    const records = Array.from({ length: 150 }, (_, index) => ({ PartitionKey: `key-${index % 10}`, Data: new Uint8Array(10_235) }));
    const first = await client.send(new PutRecordsCommand({ StreamName: 's', Records: records }));
    expect(150 - first.FailedRecordCount!).toBe(102);
    clock.advance(100);
    const second = await client.send(new PutRecordsCommand({ StreamName: 's', Records: records.slice(0, 20) }));
    // 0.4 record left + 100 ms × 1 MiB/s = 10.64 records' worth.
    expect(20 - second.FailedRecordCount!).toBe(10);
  });

  it('keeps shards independent: each shard has its own buckets', async () => {
    const clock = createManualClock();
    const { client } = await startHarness({ clock, streams: [{ streamName: 's', shardCount: 2 }] });
    const to = (explicitHashKey: bigint, count: number) =>
      client.send(new PutRecordsCommand({ StreamName: 's', Records: Array.from({ length: count }, () => ({ PartitionKey: 'k', ExplicitHashKey: String(explicitHashKey), Data: new Uint8Array(1) })) }));
    expect((await to(1n, 500)).FailedRecordCount).toBe(0);
    expect((await to(1n, 500)).FailedRecordCount).toBe(0);
    expect((await to(1n, 500)).FailedRecordCount).toBe(500);
    const other = await to((1n << 127n) + 1n, 500);
    expect(other.FailedRecordCount).toBe(0);
    expect(new Set(other.Records!.map((record) => record.ShardId))).toEqual(new Set(['shardId-000000000001']));
  });

  it('can be switched off per stream and per server; PutRecord throttles as a whole', async () => {
    const clock = createManualClock();
    const { client, fake } = await startHarness({ clock, streams: [{ streamName: 'free', shardCount: 1, enforceShardLimits: false }, { streamName: 'limited', shardCount: 1 }] });
    for (let round = 0; round < 3; round++) {
      expect((await client.send(new PutRecordsCommand({ StreamName: 'free', Records: entries(500) }))).FailedRecordCount).toBe(0);
    }
    await client.send(new PutRecordsCommand({ StreamName: 'limited', Records: entries(500) }));
    await client.send(new PutRecordsCommand({ StreamName: 'limited', Records: entries(500) }));
    const throttled = await rejectionOf(client.send(new PutRecordCommand({ StreamName: 'limited', PartitionKey: 'k', Data: new Uint8Array(1) })));
    expect(throttled.name).toBe(THROTTLED);
    expect(throttled.$metadata?.httpStatusCode).toBe(400);
    fake.setShardLimitsEnforced(false);
    expect(fake.stream('free')!.shardLimitsEnforced).toBe(false);
    expect((await client.send(new PutRecordsCommand({ StreamName: 'limited', Records: entries(500) }))).FailedRecordCount).toBe(0);
    fake.setShardLimitsEnforced(true, 'limited');
    expect((await client.send(new PutRecordsCommand({ StreamName: 'limited', Records: entries(500) }))).FailedRecordCount).toBe(500);
  });
});
