import { describe, expect, it } from 'vitest';
import { deaggregate } from '@tskpl/agg-codec';
import type { KinesisRecordEntry } from '@tskpl/agg-codec';
import { createFakeClock } from '../clock/fake-clock.js';
import { ORDERED_AGGREGATION_MAX_SIZE, resolveProducerConfig } from '../config/config.js';
import { ConfigError } from '../errors/errors.js';
import type { Outcome } from '../record/outcome.js';
import type { RecordResult } from '../record/user-record.js';
import type { ProducerOptions } from '../config/config.js';
import type { PutRecordsResponse, StreamRef } from '../transport/transport.js';
import { advance, bytes, createHarness, results, type Harness } from './harness.js';
import { awsError, hashKeyOfEntry, type FakeTransport } from '../testing/fake-transport.js';

const MAX_HASH = (1n << 128n) - 1n;

/** A seeded sequence in [0, 1), so a failing seed can be replayed. */
function prng(seed: number): () => number {
  return createFakeClock({ seed }).random;
}

/** Shard number the fake would route an entry to, for a stream of `shardCount` even shards. */
function shardOf(entry: KinesisRecordEntry, shardCount: number): number {
  const width = (MAX_HASH + 1n) / BigInt(shardCount);
  return Math.min(shardCount - 1, Number(hashKeyOfEntry(entry) / width));
}

/**
 * Wraps the fake's PutRecords: every request takes `latencyMs` of fake time, and `lose(call)`
 * may store a request and then answer it with a 500 (a lost response). Counts the Kinesis
 * records in flight per shard.
 */
function instrument(harness: Harness, shardCount: number, options: { latencyMs: number; lose?: () => boolean }) {
  const { transport, clock } = harness;
  const store = transport.putRecords.bind(transport);
  const inFlight = new Map<number, number>();
  const seen = { maxPerShard: 0, maxEntriesPerRequest: 0, requests: 0, lost: 0 };
  transport.putRecords = async (stream: StreamRef, entries: readonly KinesisRecordEntry[]): Promise<PutRecordsResponse> => {
    seen.requests++;
    seen.maxEntriesPerRequest = Math.max(seen.maxEntriesPerRequest, entries.length);
    const shards = entries.map((entry) => shardOf(entry, shardCount));
    for (const shard of shards) {
      const count = (inFlight.get(shard) ?? 0) + 1;
      inFlight.set(shard, count);
      seen.maxPerShard = Math.max(seen.maxPerShard, count);
    }
    try {
      await new Promise<void>((resolve) => clock.setTimer(options.latencyMs, resolve));
      const response = await store(stream, entries);
      if (options.lose?.() === true) {
        seen.lost++;
        throw awsError('InternalFailure', 500, 'the response was lost');
      }
      return response;
    } finally {
      for (const shard of shards) inFlight.set(shard, inFlight.get(shard)! - 1);
    }
  };
  return seen;
}

interface Stored {
  readonly key: string;
  readonly index: number;
  /** The Kinesis record holding it: shard and sequence number. */
  readonly holder: string;
}

/** User records in the order a consumer reads them (this fake stores in time order; every key stays in one shard range). */
function storedRecords(transport: FakeTransport, stream: string): Stored[] {
  return transport.stream(stream).stored.flatMap((stored) =>
    deaggregate({ data: stored.entry.data, partitionKey: stored.entry.partitionKey, explicitHashKey: stored.entry.explicitHashKey }).map((record) => {
      const [key, index] = new TextDecoder().decode(record.data).split(':');
      return { key: key!, index: Number(index), holder: `${stored.shardId}/${stored.sequenceNumber}` };
    }),
  );
}

/**
 * Per key, in stored order: a record's first copy must come after the first copies of every
 * record put before it (else a reordering), and a later copy (a duplicate) may only follow
 * copies of records that were in the same Kinesis record as its previous copy, or other duplicates.
 */
function orderViolations(stored: readonly Stored[]): { reorderings: number; strayDuplicates: number; duplicates: number } {
  const byKey = new Map<string, Stored[]>();
  for (const record of stored) {
    const list = byKey.get(record.key) ?? [];
    list.push(record);
    byKey.set(record.key, list);
  }
  let reorderings = 0;
  let strayDuplicates = 0;
  let duplicates = 0;
  for (const list of byKey.values()) {
    let highest = -1;
    const lastAt = new Map<number, number>();
    const firstCopy: boolean[] = [];
    list.forEach((record, position) => {
      const previous = lastAt.get(record.index);
      firstCopy.push(previous === undefined);
      if (previous === undefined) {
        if (record.index < highest) reorderings++;
        highest = Math.max(highest, record.index);
      } else {
        duplicates++;
        const holder = list[previous]!.holder;
        for (let between = previous + 1; between < position; between++) {
          if (firstCopy[between] && list[between]!.holder !== holder) {
            strayDuplicates++;
            break;
          }
        }
      }
      lastAt.set(record.index, position);
    });
  }
  return { reorderings, strayDuplicates, duplicates };
}

async function putKeys(harness: Harness, count: number, keys: number, options: { gapMs?: number; at?: Map<number, () => void> } = {}): Promise<Outcome[]> {
  const outcomes: Outcome[] = [];
  const perKey = new Array<number>(keys).fill(0);
  for (let index = 0; index < count; index++) {
    options.at?.get(index)?.();
    const key = index % keys;
    outcomes.push(await harness.producer.putRecord({ streamName: 'orders', partitionKey: `key-${key}`, data: bytes(`key-${key}:${perKey[key]!++}`) }));
    if (options.gapMs !== undefined && index % 10 === 9) await advance(harness.clock, options.gapMs, options.gapMs);
  }
  return outcomes;
}

function faultyEntries(transport: FakeTransport, random: () => number, share: number): void {
  transport.entryScript = () => {
    const draw = random();
    if (draw < share / 2) return { errorCode: 'ProvisionedThroughputExceededException', errorMessage: 'slow down' };
    if (draw < share) return { errorCode: 'InternalFailure', errorMessage: 'boom' };
    return undefined;
  };
}

describe('ordering option', () => {
  it("defaults to 'none' and validates its value with a ConfigError naming it", () => {
    expect(resolveProducerConfig({}).ordering).toBe('none');
    expect(resolveProducerConfig({ ordering: 'shard' }).ordering).toBe('shard');
    let error: unknown;
    try {
      resolveProducerConfig({ ordering: 'key' as never });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).message).toContain('ordering');
    expect((error as ConfigError).message).toContain("'shard'");
  });

  it("takes larger aggregates by default with 'shard', and keeps an explicit aggregationMaxSize", () => {
    expect(resolveProducerConfig({}).aggregationMaxSize).toBe(51_200);
    expect(resolveProducerConfig({ ordering: 'shard' }).aggregationMaxSize).toBe(ORDERED_AGGREGATION_MAX_SIZE);
    expect(resolveProducerConfig({ ordering: 'shard', aggregationMaxSize: 100_000 }).aggregationMaxSize).toBe(100_000);
  });
});

describe("ordering: 'shard'", () => {
  const ordered: ProducerOptions = { ordering: 'shard' };

  it('keeps one Kinesis record per shard in flight, while one request still carries several shards', async () => {
    const harness = createHarness({ orders: 4 }, ordered);
    const seen = instrument(harness, 4, { latencyMs: 250 });
    const outcomes = await putKeys(harness, 4000, 200, { gapMs: 2 });
    const all = await results(harness.clock, outcomes);
    expect(all.every((result) => result.successful)).toBe(true);
    expect(seen.maxPerShard).toBe(1);
    expect(seen.maxEntriesPerRequest).toBeGreaterThan(1);
    const stored = storedRecords(harness.transport, 'orders');
    expect(stored).toHaveLength(4000);
    expect(orderViolations(stored)).toEqual({ reorderings: 0, strayDuplicates: 0, duplicates: 0 });
    // Aggregation still works: far fewer Kinesis records than user records.
    expect(harness.transport.stream('orders').stored.length).toBeLessThan(400);
    await harness.producer.close();
  });

  it.each([1, 2, 3])('stores every key in put order under throttling, InternalFailure and lost responses (seed %i); ordering none reorders', async (seed) => {
    const run = async (options: ProducerOptions) => {
      const harness = createHarness({ orders: 4 }, options);
      const random = prng(seed);
      faultyEntries(harness.transport, random, 0.2);
      const seen = instrument(harness, 4, { latencyMs: 20, lose: () => random() < 0.1 });
      const outcomes = await putKeys(harness, 3000, 50, { gapMs: 3 });
      const all = await results(harness.clock, outcomes);
      await harness.producer.close();
      return { all, seen, violations: orderViolations(storedRecords(harness.transport, 'orders')) };
    };
    const shard = await run(ordered);
    expect(shard.all.every((result) => result.successful)).toBe(true);
    expect(shard.seen.lost).toBeGreaterThan(0);
    expect(shard.seen.maxPerShard).toBe(1);
    expect(shard.violations.reorderings).toBe(0);
    expect(shard.violations.strayDuplicates).toBe(0);
    // Lost responses did store copies: they are there, next to their originals.
    expect(shard.violations.duplicates).toBeGreaterThan(0);
    // The same faults without ordering do reorder (so the check above can fail).
    const none = await run({});
    expect(none.violations.reorderings).toBeGreaterThan(0);
  });

  it('re-sends a lost response alone: the copy repeats exactly the Kinesis record whose answer was lost', async () => {
    const harness = createHarness({ orders: 1 }, ordered);
    let lose = 1;
    instrument(harness, 1, { latencyMs: 50, lose: () => lose-- > 0 });
    const outcomes = await putKeys(harness, 300, 3, { gapMs: 5 });
    const all = await results(harness.clock, outcomes);
    expect(all.every((result) => result.successful)).toBe(true);
    const kinesisRecords = harness.transport.stream('orders').stored.map((stored) => deaggregate({ data: stored.entry.data, partitionKey: stored.entry.partitionKey }).map((record) => new TextDecoder().decode(record.data)));
    // The first Kinesis record's answer was lost; the next one stored is the same records, nothing added.
    expect(kinesisRecords[1]).toEqual(kinesisRecords[0]);
    expect(kinesisRecords.slice(2).flat()).not.toContain(kinesisRecords[0]![0]);
    await harness.producer.close();
  });

  it('bisects a rejected aggregate one half after the other: only the offending record fails, the rest in order', async () => {
    const harness = createHarness({ orders: 1 }, ordered);
    const seen = instrument(harness, 1, { latencyMs: 10 });
    const requests: number[] = [];
    harness.transport.requestScript = (call) => {
      const datas = call.entries.flatMap((entry) => deaggregate({ data: entry.data, partitionKey: entry.partitionKey }).map((record) => new TextDecoder().decode(record.data)));
      requests.push(datas.length);
      if (datas.includes('key-0:13')) return awsError('ValidationException', 400, "1 validation error detected: Value at 'records.1.member.data' failed to satisfy constraint");
      return undefined;
    };
    const outcomes = await putKeys(harness, 40, 1);
    const all = await results(harness.clock, outcomes);
    expect(all.filter((result) => !result.successful).map((result) => result.errorCode)).toEqual(['ValidationException']);
    expect(all[13]!.successful).toBe(false);
    expect(seen.maxPerShard).toBe(1);
    const stored = storedRecords(harness.transport, 'orders');
    expect(stored.map((record) => record.index)).toEqual([...Array(40).keys()].filter((index) => index !== 13));
    // Halving: 40 → 20 → 10 → 5 → 3 → 2 → 1 probes, not 40 requests of one record.
    expect(requests.length).toBeLessThan(20);
    await harness.producer.close();
  });

  it('lets a record that keeps failing expire, leaving a gap: later records of its shard follow it, never precede it', async () => {
    const harness = createHarness({ orders: 1 }, { ...ordered, recordTtlMs: 1_000 });
    instrument(harness, 1, { latencyMs: 10 });
    harness.transport.entryScript = (entry) =>
      deaggregate({ data: entry.data, partitionKey: entry.partitionKey }).some((record) => new TextDecoder().decode(record.data) === 'key-0:0')
        ? { errorCode: 'InternalFailure', errorMessage: 'stuck' }
        : undefined;
    const first = await putKeys(harness, 1, 1);
    await advance(harness.clock, 400, 10);
    const outcomes: Outcome[] = [];
    for (let index = 1; index <= 10; index++) outcomes.push(await harness.producer.putRecord({ streamName: 'orders', partitionKey: 'key-0', data: bytes(`key-0:${index}`) }));
    await advance(harness.clock, 300, 10);
    // Still held behind the failing record.
    expect(harness.transport.stream('orders').stored).toHaveLength(0);
    const [stuck] = await results(harness.clock, first);
    expect(stuck!.successful).toBe(false);
    expect(stuck!.errorCode).toBe('Expired');
    const later = await results(harness.clock, outcomes);
    expect(later.every((result: RecordResult) => result.successful)).toBe(true);
    expect(storedRecords(harness.transport, 'orders').map((record) => record.index)).toEqual([...Array(10).keys()].map((index) => index + 1));
    await harness.producer.close();
  });

  it('after a split, holds records for the children until the parent has nothing unresolved, and keeps every key in order', async () => {
    const harness = createHarness({ orders: 2 }, ordered);
    const random = prng(7);
    // Entries fail often around the split, so the parent's lane is still retrying when the map changes.
    faultyEntries(harness.transport, random, 0.3);
    const seen = instrument(harness, 2, { latencyMs: 20 });
    const listCalls = harness.transport.listShardsCalls.length;
    const outcomes = await putKeys(harness, 3000, 40, { gapMs: 3, at: new Map([[1000, () => void harness.transport.split('orders', 0)]]) });
    const all = await results(harness.clock, outcomes);
    expect(all.every((result) => result.successful)).toBe(true);
    expect(harness.transport.listShardsCalls.length).toBeGreaterThan(listCalls + 1);
    expect(seen.maxEntriesPerRequest).toBeGreaterThan(1);
    const stored = storedRecords(harness.transport, 'orders');
    expect(stored.some((record) => record.holder.startsWith('shardId-000000000002'))).toBe(true);
    expect(orderViolations(stored).reorderings).toBe(0);
    await harness.producer.close();
  });

  it('flush() and close() still wait for every outcome', async () => {
    const harness = createHarness({ orders: 2 }, ordered);
    instrument(harness, 2, { latencyMs: 40 });
    const outcomes = await putKeys(harness, 500, 10);
    const flushed = harness.producer.flush();
    let done = false;
    void flushed.then(() => (done = true));
    await advance(harness.clock, 5_000, 10);
    expect(done).toBe(true);
    expect(outcomes.every((outcome) => outcome.done)).toBe(true);
    const closing = harness.producer.close();
    await advance(harness.clock, 100, 10);
    await closing;
  });
});
