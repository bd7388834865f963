import { describe, expect, it } from 'vitest';
import { isTestkitError, TestkitOptionsError } from '../errors.js';
import { startFakeKinesis } from '../server/fake-kinesis.js';
import { resolveFakeKinesisConfig } from './options.js';

describe('resolveFakeKinesisConfig', () => {
  it('applies the Kinesis defaults', () => {
    const config = resolveFakeKinesisConfig();
    expect(config).toMatchObject({
      host: '127.0.0.1',
      port: 0,
      region: 'us-east-1',
      accountId: '000000000000',
      enforceShardLimits: true,
      shardLimits: { recordsPerSecond: 1000, bytesPerSecond: 1048576, burstSeconds: 1 },
      maxRequestBytes: 5242880,
      defaultMaxRecordSizeInKiB: 1024,
      onDemandShardCount: 4,
      retainRecordData: true,
      retainRecords: true,
    });
    expect(Object.isFrozen(config)).toBe(true);
  });

  it.each([
    [{ maxRequestBytes: 11 * 1024 * 1024 }, /maxRequestBytes must be an integer between 1 and 10485760, received 11534336/],
    [{ defaultMaxRecordSizeInKiB: 512 }, /defaultMaxRecordSizeInKiB must be an integer between 1024 and 10240, received 512/],
    [{ shardLimits: { recordsPerSecond: 0 } }, /shardLimits.recordsPerSecond must be a number between 1 and/],
    [{ accountId: '12' }, /accountId must be a 12-digit account id, received "12"/],
    [{ port: 70000 }, /port must be an integer between 0 and 65535, received 70000/],
    [{ retainRecordData: 'yes' as unknown as boolean }, /retainRecordData must be a boolean, received yes/],
  ])('rejects %j naming the option, the value and the range', (options, message) => {
    let thrown: unknown;
    try {
      resolveFakeKinesisConfig(options);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(TestkitOptionsError);
    expect(isTestkitError(thrown)).toBe(true);
    expect((thrown as TestkitOptionsError).code).toBe('ERR_TESTKIT_OPTIONS');
    expect((thrown as Error).message).toMatch(message);
  });
});

describe('programmatic API', () => {
  it('validates streams created at start and closes idempotently', async () => {
    await expect(startFakeKinesis({ streams: [{ streamName: 's' }] })).rejects.toThrow(/ShardCount is required/);
    const fake = await startFakeKinesis({ streams: [{ streamName: 's', shardCount: 2 }] });
    expect(() => fake.createStream({ streamName: 's', shardCount: 1 })).toThrow(/ResourceInUseException/);
    expect(() => fake.splitShard('nope', 'shardId-000000000000')).toThrow(expect.objectContaining({ code: 'ERR_TESTKIT_NOT_FOUND' }));
    const [low, high] = fake.splitShard('s', 'shardId-000000000000');
    expect(BigInt(low.endingHashKey) + 1n).toBe(BigInt(high.startingHashKey));
    expect(fake.mergeShards('s', low.shardId, high.shardId).parentShardId).toBe(low.shardId);
    expect(fake.updateShardCount('s', 4).openShardCount).toBe(4);
    await fake.close();
    await fake.close();
    expect(() => fake.createStream({ streamName: 't', shardCount: 1 })).toThrow(expect.objectContaining({ code: 'ERR_TESTKIT_STATE' }));
  });
});
