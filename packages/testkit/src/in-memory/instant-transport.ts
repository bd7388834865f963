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
  /** The Kinesis record's bytes; counted, not kept. */
  readonly data: Uint8Array;
  /** Routes the entry (its MD5) when there is no `explicitHashKey`. */
  readonly partitionKey: string;
  /** Decimal hash key that routes the entry instead of the partition key. */
  readonly explicitHashKey?: string;
}

/** Options of {@link createInstantTransport}. */
export interface InstantTransportOptions {
  /** Open shards of every stream, with uniform hash ranges (1 … 10000). @defaultValue 1 */
  readonly shardCount?: number;
}

/** The transport, with counters of what it was sent. */
export interface InstantTransport {
  /** Stores every entry at once on the shard that owns its hash key; never fails an entry. */
  putRecords(stream: { streamName?: string; streamARN?: string }, entries: readonly InstantEntry[]): Promise<{
    /** One result per entry, in order. */
    records: Array<{
      /** The shard the entry's hash key falls in. */
      shardId: string;
      /** A 56-digit sequence number, increasing across every stream of this transport. */
      sequenceNumber: string;
    }>;
    /** Always 0. */
    failedRecordCount: number;
  }>;
  /** Every shard in one page, whatever the stream or page size. */
  listShards(request: { maxResults: number; nextToken?: string }): Promise<{
    /** The `shardCount` shards, ascending by hash key range. */
    shards: Array<{
      /** `shardId-000000000000`, `shardId-000000000001`, … */
      shardId: string;
      /** Lowest hash key of the shard, decimal (inclusive). */
      startingHashKey: string;
      /** Highest hash key of the shard, decimal (inclusive). */
      endingHashKey: string;
    }>;
  }>;
  /** The same summary for every stream: active, provisioned, 1 MiB records. */
  describeStreamSummary(stream: { streamName?: string; streamARN?: string }): Promise<{
    /** The name asked for. */
    streamName?: string;
    /** Always 1024 (1 MiB). */
    maxRecordSizeInKiB: number;
    /** Always `ACTIVE`. */
    streamStatus: string;
    /** Always `PROVISIONED`. */
    streamMode: string;
  }>;
  /** Does nothing: there is nothing to release. */
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
