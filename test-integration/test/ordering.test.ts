/**
 * Ordered delivery (`ordering: 'shard'`, issue 16), as a property of what a consumer reads: a
 * real Producer against the testkit's fake Kinesis with shard limits on, seeded random keys,
 * seeded random faults (throttling, InternalFailure, lost responses, connection resets), and a
 * split and a merge while records flow. The stream is read back as a KCL consumer reads it:
 * shards parent before child, each in sequence order, aggregates deaggregated and dropped whole
 * when a member hashes outside the shard. Per key, every record's first copy must follow the
 * first copies of all records put before it, and a copy caused by a lost response may only
 * repeat the Kinesis record its previous copy was in, before anything later.
 *
 * The same run with `ordering: 'none'` must find reorderings, or the check proves nothing.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { deaggregate } from '@tskpl/agg-codec';
import { Producer, type Outcome, type ProducerOptions } from '@tskpl/producer';
import { SeededRandom, startFakeKinesis, type FakeKinesis } from '@tskpl/testkit';
import { producerOptions } from './reliability/load.js';

const SEEDS = [11, 12, 13];
const RECORDS = 2400;
const RATE = 2000;
const KEYS = 24;

interface Copy {
  readonly key: number;
  /** Put order within the key. */
  readonly index: number;
  /** The stored Kinesis record that holds this copy. */
  readonly holder: string;
}

/** The stream as a KCL consumer reads it (shard ids grow from parents to children). */
function readBack(fake: FakeKinesis, streamName: string): Copy[] {
  const shards = [...fake.stream(streamName)!.shards].sort((a, b) => a.shardId.localeCompare(b.shardId));
  const copies: Copy[] = [];
  for (const shard of shards) {
    for (const stored of fake.ledger.records(streamName, shard.shardId)) {
      const parts = deaggregate(
        { data: stored.data!, partitionKey: stored.partitionKey, explicitHashKey: stored.explicitHashKey },
        { shardHashRange: { start: shard.startingHashKey, end: shard.endingHashKey } },
      );
      for (const part of parts) {
        const [key, index] = Buffer.from(part.data).toString('latin1').split('|')[0]!.split(':').map(Number);
        copies.push({ key: key!, index: index!, holder: `${shard.shardId}/${stored.sequenceNumber}` });
      }
    }
  }
  return copies;
}

interface Verdict {
  /** First copies stored after the first copy of a record of the same key put later. */
  reorderings: number;
  /** Copies beyond the first. */
  duplicates: number;
  /** Duplicates with a first copy of another Kinesis record between them and their previous copy. */
  strayDuplicates: number;
  /** Records reported successful that a consumer does not read. */
  missing: number;
}

function judge(copies: readonly Copy[], succeeded: ReadonlySet<string>): Verdict {
  const verdict: Verdict = { reorderings: 0, duplicates: 0, strayDuplicates: 0, missing: 0 };
  const perKey = new Map<number, { highest: number; previous: Map<number, string>; firstsSince: Map<number, Set<string>> }>();
  const read = new Set<string>();
  for (const copy of copies) {
    let state = perKey.get(copy.key);
    if (state === undefined) {
      state = { highest: -1, previous: new Map(), firstsSince: new Map() };
      perKey.set(copy.key, state);
    }
    const holderBefore = state.previous.get(copy.index);
    if (holderBefore === undefined) {
      if (copy.index < state.highest) verdict.reorderings++;
      state.highest = Math.max(state.highest, copy.index);
      // Every earlier record of the key now has a first copy of this holder after its last copy.
      for (const holders of state.firstsSince.values()) holders.add(copy.holder);
    } else {
      verdict.duplicates++;
      const between = state.firstsSince.get(copy.index)!;
      for (const holder of between) {
        if (holder !== holderBefore) {
          verdict.strayDuplicates++;
          break;
        }
      }
    }
    state.previous.set(copy.index, copy.holder);
    state.firstsSince.set(copy.index, new Set());
    read.add(`${copy.key}:${copy.index}`);
  }
  for (const id of succeeded) if (!read.has(id)) verdict.missing++;
  return verdict;
}

interface RunResult extends Verdict {
  readonly succeeded: number;
  readonly failed: number;
  readonly faultsFired: number;
  readonly lostResponses: number;
  /** Copies read from the children of the split and of the merge. */
  readonly onChildren: number;
  readonly seconds: number;
}

async function run(seed: number, ordering: ProducerOptions['ordering']): Promise<RunResult> {
  const streamName = `ordering-${ordering}-${seed}`;
  const fake = await startFakeKinesis({ seed, streams: [{ streamName, shardCount: 4 }] });
  try {
    const rules = [
      fake.faults.rate({ operation: 'PutRecords', fault: { type: 'entryError', errorCode: 'ProvisionedThroughputExceededException' }, probability: 0.06 }),
      fake.faults.rate({ operation: 'PutRecords', fault: { type: 'entryError', errorCode: 'InternalFailure' }, probability: 0.06 }),
      fake.faults.rate({ operation: 'PutRecords', fault: { type: 'lostResponse', via: 'error' }, probability: 0.06 }),
      fake.faults.rate({ operation: 'PutRecords', fault: { type: 'lostResponse', via: 'reset' }, probability: 0.04 }),
      fake.faults.rate({ operation: 'PutRecords', fault: { type: 'reset' }, probability: 0.04 }),
      fake.faults.rate({ operation: 'PutRecords', fault: { type: 'latency', ms: 2, maxMs: 30 }, probability: 0.5 }),
    ];
    const logs: string[] = [];
    const producer = new Producer(producerOptions(fake, logs, { ordering, recordMaxBufferedTimeMs: 20 }));
    // The load's own seeded sequence (keys), apart from the fake's (faults).
    const random = new SeededRandom(seed);
    const nextIndex = new Array<number>(KEYS).fill(0);
    const tracked: Array<{ id: string; outcome: Outcome }> = [];
    const started = performance.now();
    for (let count = 0; count < RECORDS; count++) {
      if (count === RECORDS / 3) fake.splitShard(streamName, 'shardId-000000000000');
      if (count === (2 * RECORDS) / 3) fake.mergeShards(streamName, 'shardId-000000000002', 'shardId-000000000003');
      const waitMs = (count / RATE) * 1000 - (performance.now() - started);
      if (waitMs > 1) await new Promise((resolve) => setTimeout(resolve, waitMs));
      const key = Math.floor(random.next() * KEYS);
      const index = nextIndex[key]!++;
      const data = Buffer.alloc(100, 0x2e);
      data.write(`${key}:${index}|`, 'latin1');
      tracked.push({ id: `${key}:${index}`, outcome: await producer.putRecord({ streamName, partitionKey: `key-${key}`, data }) });
    }
    await producer.close();
    const seconds = (performance.now() - started) / 1000;
    const succeeded = new Set<string>();
    let failed = 0;
    for (const { id, outcome } of tracked) {
      if ((await outcome.wait()).successful) succeeded.add(id);
      else failed++;
    }
    const copies = readBack(fake, streamName);
    const verdict = judge(copies, succeeded);
    // Shards 4 and 5 are the split's children, 6 the merge's.
    const onChildren = copies.filter((copy) => /shardId-00000000000[456]\//.test(copy.holder)).length;
    const lostResponses = rules[2]!.hits + rules[3]!.hits;
    return { ...verdict, succeeded: succeeded.size, failed, faultsFired: rules.slice(0, 5).reduce((sum, rule) => sum + rule.hits, 0), lostResponses, onChildren, seconds };
  } finally {
    await fake.close();
  }
}

describe("ordering: 'shard' on the fake Kinesis, with faults and resharding", () => {
  const report: string[] = [];
  afterAll(() => {
    console.log(`ordered delivery, ${RECORDS} records × ${SEEDS.length} seeds per mode:\n${report.join('\n')}`);
  });

  it.each(SEEDS)('seed %i: every key in put order, duplicates only next to their original; ordering none reorders', { timeout: 60_000 }, async (seed) => {
    const shard = await run(seed, 'shard');
    const none = await run(seed, 'none');
    report.push(`  seed ${seed}: shard ${JSON.stringify(shard)}`, `  seed ${seed}: none  ${JSON.stringify(none)}`);
    expect(shard.faultsFired).toBeGreaterThanOrEqual(5);
    expect(shard.lostResponses).toBeGreaterThan(0);
    expect(shard.succeeded).toBe(RECORDS);
    expect(shard.missing).toBe(0);
    expect(shard.onChildren).toBeGreaterThan(RECORDS / 4);
    expect(shard.reorderings).toBe(0);
    expect(shard.strayDuplicates).toBe(0);
    // The check is strong enough to see what ordering prevents.
    expect(none.succeeded).toBe(RECORDS);
    expect(none.missing).toBe(0);
    expect(none.reorderings).toBeGreaterThan(0);
  });
});
