/**
 * A minimal in-process Kinesis for the end-to-end test: one shard covering every hash key;
 * every PutRecords entry succeeds with an increasing sequence number.
 */
import type { KinesisTransport } from '@tskpl/producer';

const SHARD_ID = 'shardId-000000000000';
const MAX_HASH_KEY = ((1n << 128n) - 1n).toString();

/** A transport that stores nothing and accepts everything; `entries` counts what it was sent. */
export function createAcceptingTransport(): KinesisTransport & { entries: number } {
  let sequence = 0n;
  const transport = {
    entries: 0,
    putRecords(_stream, entries) {
      transport.entries += entries.length;
      return Promise.resolve({
        records: entries.map(() => ({ shardId: SHARD_ID, sequenceNumber: String(++sequence).padStart(56, '0') })),
        failedRecordCount: 0,
      });
    },
    listShards() {
      return Promise.resolve({ shards: [{ shardId: SHARD_ID, startingHashKey: '0', endingHashKey: MAX_HASH_KEY }] });
    },
    describeStreamSummary(stream) {
      return Promise.resolve({ streamName: stream.streamName, maxRecordSizeInKiB: 1024, streamStatus: 'ACTIVE', streamMode: 'PROVISIONED' });
    },
    destroy() {},
  } satisfies KinesisTransport & { entries: number };
  return transport;
}

/** Puts `count` records to `orders` and waits for every outcome; returns how many succeeded. */
export async function putRecords(
  producer: { putRecord(input: { streamName: string; partitionKey: string; data: Uint8Array }): Promise<{ wait(): Promise<{ successful: boolean }> }> },
  count: number,
): Promise<number> {
  const outcomes = [];
  for (let index = 0; index < count; index++) {
    outcomes.push(await producer.putRecord({ streamName: 'orders', partitionKey: `key-${index}`, data: new TextEncoder().encode(`record ${index}`) }));
  }
  const results = await Promise.all(outcomes.map((outcome) => outcome.wait()));
  return results.filter((result) => result.successful).length;
}
