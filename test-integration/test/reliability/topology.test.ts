/**
 * Reliability matrix, the stream's shape changing under the producer: a split and a merge under
 * load, and ListShards failing for a while (records flow unaggregated, then aggregation resumes).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { FaultRuleHandle } from '@tskpl/testkit';
import { deaggregate } from '@tskpl/agg-codec';
import { checkScenario, warmUp } from './matrix.js';

const RECORDS = 3000;
const RATE = 1000;

describe('reliability matrix: resharding and shard discovery', () => {
  beforeAll(warmUp);

  it('keeps every record through a shard split and a merge under load, with no duplicate a KCL consumer would see', async () => {
    const run = await checkScenario({
      name: 'split-merge',
      stream: { shardCount: 4 },
      plan: ({ fake, streamName }) => ({
        count: RECORDS,
        ratePerSecond: RATE,
        at: new Map([
          [1000, () => void fake.splitShard(streamName, 'shardId-000000000000')],
          [2000, () => void fake.mergeShards(streamName, 'shardId-000000000002', 'shardId-000000000003')],
        ]),
      }),
      policy: {},
      inspect: ({ fake, streamName }) => {
        const shards = fake.stream(streamName)!.shards;
        const storedOn = new Set(fake.ledger.records(streamName).map((record) => record.shardId));
        return { open: shards.filter((shard) => shard.open).map((shard) => shard.shardId), storedOn: [...storedOn].sort() };
      },
    });
    expect(run.summary.succeeded).toBe(RECORDS);
    // Children of the split (4, 5) and of the merge (6) received records after the reshards.
    expect(run.extra.open).toEqual(['shardId-000000000001', 'shardId-000000000004', 'shardId-000000000005', 'shardId-000000000006']);
    for (const child of ['shardId-000000000004', 'shardId-000000000005', 'shardId-000000000006']) expect(run.extra.storedOn).toContain(child);
    // Copies a KCL consumer keeps are never duplicated; only aggregates a KCL drops may have been re-sent.
    expect(run.summary.duplicates.responseLost).toBe(0);
  });

  it('holds records while ListShards fails transiently and aggregates them once it answers', async () => {
    let rule: FaultRuleHandle | undefined;
    const run = await checkScenario({
      name: 'list-shards-failing',
      stream: { shardCount: 4 },
      setup: ({ fake }) => {
        rule = fake.faults.rate({ operation: 'ListShards', fault: { type: 'error', errorType: 'InternalFailure' }, probability: 1 });
      },
      plan: () => ({
        count: RECORDS,
        ratePerSecond: RATE,
        // The shard map retries 1 s after its first failure: cancelling at ~0.7 s lets that retry succeed
        // (on a loaded machine the next one, 1.5 s later, does).
        at: new Map([[700, () => rule?.cancel()]]),
      }),
      policy: {},
      inspect: ({ fake, streamName }) => {
        // Split the ledger in arrival order into what was stored before and after the map became ready.
        const stored = [...fake.ledger.records(streamName)].sort((a, b) => a.arrivalTimeMs - b.arrivalTimeMs);
        const aggregated = stored.map((record) => deaggregate({ data: record.data!, partitionKey: record.partitionKey })[0]!.aggregated);
        const firstAggregate = aggregated.indexOf(true);
        return {
          unaggregatedBeforeFirstAggregate: firstAggregate < 0 ? stored.length : firstAggregate,
          unaggregatedAfterFirstAggregate: aggregated.slice(Math.max(firstAggregate, 0)).filter((value) => !value).length,
          aggregates: aggregated.filter(Boolean).length,
          listShardsFailures: fake.counters().requests.ListShards?.InternalFailure ?? 0,
        };
      },
    });
    expect(run.summary.succeeded).toBe(RECORDS);
    expect(run.extra.listShardsFailures).toBeGreaterThanOrEqual(1);
    // The ~1 s of records put while the map was missing waited for it (two failures are below the
    // three after which they would go out unaggregated) and were aggregated like the rest.
    // (A record alone in its shard's batch goes out as a plain record: a few are expected.)
    expect(run.extra.unaggregatedBeforeFirstAggregate).toBeLessThan(10);
    expect(run.extra.unaggregatedAfterFirstAggregate).toBeLessThan(50);
    expect(run.extra.aggregates).toBeGreaterThan(20);
    expect(run.summary.duplicates).toEqual({ responseLost: 0, kclDropped: 0 });
  });
});
