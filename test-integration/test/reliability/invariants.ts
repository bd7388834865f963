/**
 * The invariants every cell of the reliability matrix checks, against the fake's ledger:
 * one outcome per record; every success stored where it says (shard, sequence and sub-sequence
 * number, same key and bytes); failures only when terminal or past the TTL; copies beyond the
 * reported one only where the write happened unknown to the producer.
 */
import { deaggregate, hashKeyOf } from '@tskpl/agg-codec';
import type { FakeKinesis, ShardInfo } from '@tskpl/testkit';
import { indexOfData, type TrackedRecord } from './load.js';

/** One stored copy of a user record. */
interface StoredCopy {
  readonly shardId: string;
  readonly sequenceNumber: string;
  readonly subSequenceNumber: number;
  readonly partitionKey: string;
  readonly data: Uint8Array;
  readonly aggregated: boolean;
  /** The write was applied but its response lost (lost response, hung request applied late). */
  readonly responseLost: boolean;
  /** Part of an aggregate a KCL consumer drops: some member hashes outside the shard that stored it. */
  readonly kclDropped: boolean;
}

/** What the scenario allows to fail. */
export interface FailurePolicy {
  /** Error codes a record may legitimately fail with (terminal for this scenario). */
  readonly terminalCodes?: readonly string[];
  /** The producer's `recordTtlMs`; an `Expired` failure must come at least this long after the put. */
  readonly recordTtlMs: number;
}

/** The figures of one verified run. */
export interface RunSummary {
  readonly records: number;
  readonly succeeded: number;
  readonly failedByCode: Record<string, number>;
  /** Stored Kinesis records (aggregates count once). */
  readonly storedKinesisRecords: number;
  /** Stored Kinesis records that were not aggregates. */
  readonly storedUnaggregated: number;
  /** Copies beyond the reported one, by why they are legitimate. */
  readonly duplicates: { readonly responseLost: number; readonly kclDropped: number };
  /** Problems found; empty when every invariant holds. */
  readonly violations: string[];
}

function rangesOf(shards: readonly ShardInfo[]): Map<string, { start: bigint; end: bigint }> {
  return new Map(shards.map((shard) => [shard.shardId, { start: BigInt(shard.startingHashKey), end: BigInt(shard.endingHashKey) }]));
}

/** Every user record stored on `streamName`, by record index. */
function storedCopies(fake: FakeKinesis, streamName: string, shards: readonly ShardInfo[], violations: string[]): {
  copies: Map<number, StoredCopy[]>;
  kinesisRecords: number;
  unaggregated: number;
} {
  const ranges = rangesOf(shards);
  const copies = new Map<number, StoredCopy[]>();
  const stored = fake.ledger.records(streamName);
  let unaggregated = 0;
  for (const record of stored) {
    const range = ranges.get(record.shardId);
    if (range === undefined) violations.push(`the ledger has a record on unknown shard ${record.shardId}`);
    const members = deaggregate({ data: record.data!, partitionKey: record.partitionKey, explicitHashKey: record.explicitHashKey });
    const aggregated = members[0]?.aggregated === true;
    if (!aggregated) unaggregated++;
    let kclDropped = false;
    if (aggregated && range !== undefined) {
      for (const member of members) {
        const hashKey = BigInt(hashKeyOf(member.partitionKey, member.explicitHashKey));
        if (hashKey < range.start || hashKey > range.end) kclDropped = true;
      }
    }
    for (const member of members) {
      const index = indexOfData(member.data);
      if (index < 0) {
        violations.push(`the ledger holds data that no test record has (${record.shardId} ${record.sequenceNumber})`);
        continue;
      }
      const list = copies.get(index) ?? [];
      list.push({
        shardId: record.shardId,
        sequenceNumber: record.sequenceNumber,
        subSequenceNumber: member.subSequenceNumber,
        partitionKey: member.partitionKey,
        data: member.data,
        aggregated,
        responseLost: record.responseLost,
        kclDropped,
      });
      copies.set(index, list);
    }
  }
  return { copies, kinesisRecords: stored.length, unaggregated };
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && Buffer.compare(a, b) === 0;
}

/**
 * Checks every invariant of one run. `shards` are the stream's shards (open and closed), taken
 * before the stream was deleted when it was.
 */
export function verifyRun(options: {
  fake: FakeKinesis;
  streamName: string;
  shards: readonly ShardInfo[];
  records: readonly TrackedRecord[];
  outstandingAfterClose: number;
  policy: FailurePolicy;
}): RunSummary {
  const { fake, streamName, records, policy } = options;
  const violations: string[] = [];
  if (options.outstandingAfterClose !== 0) violations.push(`outstandingRecords is ${options.outstandingAfterClose} after close(), expected 0`);
  const { copies, kinesisRecords, unaggregated } = storedCopies(fake, streamName, options.shards, violations);
  const terminal = new Set(policy.terminalCodes ?? []);
  const failedByCode: Record<string, number> = {};
  let succeeded = 0;
  let responseLostCopies = 0;
  let kclDroppedCopies = 0;
  const note = (message: string): void => {
    if (violations.length < 20) violations.push(message);
    else if (violations.length === 20) violations.push('… (more violations not listed)');
  };

  for (const record of records) {
    const label = `record ${record.index}`;
    if (record.outcome === undefined) {
      note(`${label} was never admitted`);
      continue;
    }
    const result = record.result;
    // One outcome: the result wait() resolved is the one the Outcome keeps.
    if (result !== undefined && (record.outcome.done !== true || record.outcome.result?.successful !== result.successful
      || record.outcome.result?.sequenceNumber !== result.sequenceNumber)) note(`${label} has two different outcomes`);
    if (result === undefined) {
      note(`${label} has no outcome`);
      continue;
    }
    const found = copies.get(record.index) ?? [];
    let reported: StoredCopy | undefined;
    if (result.successful) {
      succeeded++;
      reported = found.find((copy) => copy.shardId === result.shardId && copy.sequenceNumber === result.sequenceNumber && copy.subSequenceNumber === result.subSequenceNumber);
      if (reported === undefined) {
        note(`${label} reported ${result.shardId} ${result.sequenceNumber}/${result.subSequenceNumber}, which the ledger does not hold for it`);
      } else {
        if (reported.partitionKey !== record.partitionKey) note(`${label} is stored with partition key ${reported.partitionKey}`);
        if (!sameBytes(reported.data, record.data)) note(`${label} is stored with different bytes`);
        if (reported.kclDropped) note(`${label} points into an aggregate a KCL consumer drops (${result.shardId} ${result.sequenceNumber})`);
        if (reported.responseLost) note(`${label} points at a write whose response was lost`);
      }
    } else {
      const code = result.errorCode ?? '(none)';
      failedByCode[code] = (failedByCode[code] ?? 0) + 1;
      if (code === 'Expired') {
        const waited = (record.settledAtWall ?? Date.now()) - record.putAtWall;
        if (waited < policy.recordTtlMs - 50) note(`${label} expired after ${waited} ms, before its TTL of ${policy.recordTtlMs} ms`);
      } else if (!terminal.has(code)) {
        note(`${label} failed with ${code} (${result.errorMessage ?? ''}), which is not terminal in this scenario`);
      }
    }
    for (const copy of found) {
      if (copy === reported) continue;
      if (copy.responseLost) responseLostCopies++;
      else if (copy.kclDropped) kclDroppedCopies++;
      else note(`${label} has an unexplained copy at ${copy.shardId} ${copy.sequenceNumber}/${copy.subSequenceNumber} (the producer knew of that write)`);
    }
  }
  for (const index of copies.keys()) {
    if (index >= records.length) note(`the ledger holds record ${index}, which was never put`);
  }
  return {
    records: records.length,
    succeeded,
    failedByCode,
    storedKinesisRecords: kinesisRecords,
    storedUnaggregated: unaggregated,
    duplicates: { responseLost: responseLostCopies, kclDropped: kclDroppedCopies },
    violations,
  };
}
