/**
 * An in-process stand-in for Kinesis at the producer's transport boundary: no sockets, no
 * protocol, every PutRecords entry stored at once on the shard that owns its hash key. For unit
 * tests of code built on the producer (metrics sinks, adapters) and for benchmarks that must
 * measure the pipeline, not the network. It matches `@tskpl/producer`'s `KinesisTransport`
 * structurally, so the testkit needs no dependency on the producer.
 */
import { createHash } from 'node:crypto';
import { TestkitOptionsError } from '../errors.js';

/** One entry as the producer hands it over. */
export interface InstantEntry {
  readonly data: Uint8Array;
  readonly partitionKey: string;
  readonly explicitHashKey?: string;
}

/** Options of {@link createInstantTransport}. */
export interface InstantTransportOptions {
  /** Open shards of every stream, with uniform hash ranges (1 … 10000). @defaultValue 1 */
  readonly shardCount?: number;
}

/** The transport, with counters of what it was sent. */
export interface InstantTransport {
  putRecords(stream: { streamName?: string; streamARN?: string }, entries: readonly InstantEntry[]): Promise<{
    records: Array<{ shardId: string; sequenceNumber: string }>;
    failedRecordCount: number;
  }>;
  listShards(request: { maxResults: number; nextToken?: string }): Promise<{
    shards: Array<{ shardId: string; startingHashKey: string; endingHashKey: string }>;
  }>;
  describeStreamSummary(stream: { streamName?: string; streamARN?: string }): Promise<{
    streamName?: string;
    maxRecordSizeInKiB: number;
    streamStatus: string;
    streamMode: string;
  }>;
  destroy(): void;
  /** PutRecords entries received. */
  readonly entries: number;
  /** PutRecords calls received. */
  readonly requests: number;
}

const MAX_HASH_KEY = (1n << 128n) - 1n;

/** Creates an instant transport. */
export function createInstantTransport(options: InstantTransportOptions = {}): InstantTransport {
  const shardCount = options.shardCount ?? 1;
  if (!Number.isInteger(shardCount) || shardCount < 1 || shardCount > 10_000) {
    throw new TestkitOptionsError(`Invalid option shardCount: got ${String(shardCount)}; expected an integer in 1 … 10000.`);
  }
  const width = (MAX_HASH_KEY + 1n) / BigInt(shardCount);
  const shards = Array.from({ length: shardCount }, (_, index) => ({
    shardId: `shardId-${String(index).padStart(12, '0')}`,
    startingHashKey: (width * BigInt(index)).toString(),
    endingHashKey: (index === shardCount - 1 ? MAX_HASH_KEY : width * BigInt(index + 1) - 1n).toString(),
  }));
  let sequence = 0n;
  let entries = 0;
  let requests = 0;

  function shardOf(entry: InstantEntry): string {
    const hashKey = entry.explicitHashKey !== undefined
      ? BigInt(entry.explicitHashKey)
      : BigInt(`0x${createHash('md5').update(entry.partitionKey, 'utf8').digest('hex')}`);
    return shards[Math.min(Number(hashKey / width), shardCount - 1)]!.shardId;
  }

  return {
    putRecords(_stream, batch) {
      requests++;
      entries += batch.length;
      const records = new Array<{ shardId: string; sequenceNumber: string }>(batch.length);
      for (let index = 0; index < batch.length; index++) {
        records[index] = { shardId: shardOf(batch[index]!), sequenceNumber: String(++sequence).padStart(56, '0') };
      }
      return Promise.resolve({ records, failedRecordCount: 0 });
    },
    listShards() {
      return Promise.resolve({ shards: shards.map((shard) => ({ ...shard })) });
    },
    describeStreamSummary(stream) {
      return Promise.resolve({ streamName: stream.streamName, maxRecordSizeInKiB: 1024, streamStatus: 'ACTIVE', streamMode: 'PROVISIONED' });
    },
    destroy() {},
    get entries() {
      return entries;
    },
    get requests() {
      return requests;
    },
  };
}
