import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createInstantTransport } from './instant-transport.js';

describe('instant transport', () => {
  it('stores every entry on the shard whose uniform range holds its hash key, and counts what it got', async () => {
    const transport = createInstantTransport({ shardCount: 4 });
    const { shards } = await transport.listShards({ maxResults: 1000 });
    const response = await transport.putRecords({ streamName: 's' }, [
      { partitionKey: 'alpha', data: new Uint8Array(1) },
      { partitionKey: 'x', explicitHashKey: ((1n << 128n) - 1n).toString(), data: new Uint8Array(1) },
    ]);
    const alpha = BigInt(`0x${createHash('md5').update('alpha').digest('hex')}`);
    const owner = shards.find((shard) => BigInt(shard.startingHashKey) <= alpha && alpha <= BigInt(shard.endingHashKey))!;
    expect(response.records.map((record) => record.shardId)).toEqual([owner.shardId, 'shardId-000000000003']);
    expect(BigInt(response.records[1]!.sequenceNumber)).toBeGreaterThan(BigInt(response.records[0]!.sequenceNumber));
    expect([transport.entries, transport.requests]).toEqual([2, 1]);
  });

  it('rejects a bad shard count naming the option', () => {
    expect(() => createInstantTransport({ shardCount: 0 })).toThrow(/shardCount/);
  });
});
