import type { ShardCounts } from '../model/shard.js';
import type { LedgerRecord } from '../model/stored-record.js';
import type { StreamRegistry } from '../model/registry.js';
import type { Stream } from '../model/stream.js';
import type { RequestCounters } from './request-counters.js';

/** Counts of one stream, overall and per shard. */
export interface StreamCountsSnapshot {
  /** The stream's counts, summed over its shards. */
  totals: ShardCounts;
  /** Counts by shard ID, for every shard the stream ever had. */
  shards: Record<string, ShardCounts>;
}

/** A copy of every counter at one instant. */
export interface CountersSnapshot {
  /** Requests by operation, then by outcome (`success`, an AWS error type, `reset`, `hang`, `lostResponse`). */
  requests: Record<string, Record<string, number>>;
  /** PutRecord/PutRecords entries over all streams. */
  totals: ShardCounts;
  /** Per stream name (summed over deleted and re-created streams of that name), then per shard. */
  streams: Record<string, StreamCountsSnapshot>;
}

/** Read access to what the fake stored, for verification. */
export interface Ledger {
  /**
   * Records stored on a stream (the live one of that name, else the last deleted one), in shard
   * order then sequence order; only those of `shardId` when given.
   */
  records(streamName: string, shardId?: string): LedgerRecord[];
  /** The record stored at (`shardId`, `sequenceNumber`), in any stream, deleted ones included. */
  find(shardId: string, sequenceNumber: string): LedgerRecord | undefined;
  /** Number of records stored, on one stream or on all. */
  count(streamName?: string): number;
}

function emptyCounts(): ShardCounts {
  return { accepted: 0, acceptedBytes: 0, throttled: 0, failed: 0 };
}

function addCounts(into: ShardCounts, from: ShardCounts): void {
  into.accepted += from.accepted;
  into.acceptedBytes += from.acceptedBytes;
  into.throttled += from.throttled;
  into.failed += from.failed;
}

/** The {@link Ledger} over a registry's streams. */
export function createLedger(registry: StreamRegistry): Ledger {
  const streamNamed = (name: string): Stream | undefined =>
    registry.byName(name) ?? registry.allStreams().filter((stream) => stream.name === name).pop();
  return {
    records(streamName, shardId) {
      const stream = streamNamed(streamName);
      if (stream === undefined) return [];
      if (shardId !== undefined) return (stream.shardById(shardId)?.records ?? []).slice();
      return stream.shards.flatMap((shard) => shard.records);
    },
    find(shardId, sequenceNumber) {
      return registry.findRecord(shardId, sequenceNumber);
    },
    count(streamName) {
      const streams = streamName === undefined ? registry.allStreams() : registry.allStreams().filter((stream) => stream.name === streamName);
      let total = 0;
      for (const stream of streams) for (const shard of stream.shards) total += shard.records.length;
      return total;
    },
  };
}

/** Builds a {@link CountersSnapshot}. */
export function snapshotCounters(registry: StreamRegistry, requests: RequestCounters): CountersSnapshot {
  const totals = emptyCounts();
  const streams: Record<string, StreamCountsSnapshot> = {};
  for (const stream of registry.allStreams()) {
    const entry = (streams[stream.name] ??= { totals: emptyCounts(), shards: {} });
    for (const shard of stream.shards) {
      addCounts((entry.shards[shard.shardId] ??= emptyCounts()), shard.counts);
      addCounts(entry.totals, shard.counts);
      addCounts(totals, shard.counts);
    }
  }
  return { requests: requests.snapshot(), totals, streams };
}

/** Forgets stored records and counts (streams, shards and limits stay as they are). */
export function resetLedger(registry: StreamRegistry, requests: RequestCounters): void {
  for (const stream of registry.allStreams()) {
    for (const shard of stream.shards) {
      shard.records = [];
      shard.counts = emptyCounts();
    }
  }
  requests.reset();
}
