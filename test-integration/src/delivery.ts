import { deaggregate, hashKeyOf } from '@tskpl/agg-codec';
import type { RecordResult } from '@tskpl/producer';
import type { KinesisClient } from '@aws-sdk/client-kinesis';
import { hashRangeOf, listAllShards, readAllRecords, type HashRange } from './streams.js';

/** A user record as the test put it. */
export interface SentRecord {
  readonly partitionKey: string;
  readonly explicitHashKey?: string;
  readonly data: Uint8Array;
}

/** One user record found in the stream, after deaggregation. */
export interface DeliveredRecord {
  readonly shardId: string;
  readonly sequenceNumber: string;
  readonly subSequenceNumber: number;
  readonly partitionKey: string;
  readonly data: Uint8Array;
  /** False when the Kinesis record holding it is an aggregate with a member outside its shard's range (a KCL drops it whole). */
  readonly keptByKcl: boolean;
}

/** Everything a stream holds, deaggregated and indexed by (shard, sequence number, sub-sequence number). */
export interface StreamContents {
  readonly kinesisRecords: number;
  readonly aggregates: number;
  readonly userRecords: readonly DeliveredRecord[];
  readonly byLocation: ReadonlyMap<string, DeliveredRecord>;
  /** Aggregates a KCL would drop, as `shardId/sequenceNumber`. */
  readonly droppedByKcl: readonly string[];
}

/** `shardId/sequenceNumber/subSequenceNumber`. */
export function locationKey(shardId: string, sequenceNumber: string, subSequenceNumber: number): string {
  return `${shardId}/${sequenceNumber}/${subSequenceNumber}`;
}

/** Whether the decimal hash key lies in `range`. */
export function inRange(hashKey: string, range: HashRange): boolean {
  const key = BigInt(hashKey);
  return key >= range.start && key <= range.end;
}

/**
 * Reads every shard of a stream (open and closed), deaggregates each record and checks, per
 * aggregate, that every member hashes into the range of the shard that holds it.
 * @param client - a client of the emulator
 * @param streamName - the stream
 */
export async function readStreamContents(client: KinesisClient, streamName: string): Promise<StreamContents> {
  const ranges = new Map((await listAllShards(client, streamName)).map((shard) => [shard.ShardId ?? '', hashRangeOf(shard)]));
  const stored = await readAllRecords(client, streamName);
  const userRecords: DeliveredRecord[] = [];
  const byLocation = new Map<string, DeliveredRecord>();
  const droppedByKcl: string[] = [];
  let aggregates = 0;
  for (const record of stored) {
    const members = deaggregate({ data: record.data, partitionKey: record.partitionKey, sequenceNumber: record.sequenceNumber });
    const range = ranges.get(record.shardId);
    if (range === undefined) throw new Error(`No hash range for ${record.shardId} of ${streamName}.`);
    const aggregated = members[0]?.aggregated === true;
    if (aggregated) aggregates += 1;
    // Kinesis does not return explicit hash keys, so a raw record's own key cannot be re-checked;
    // an aggregate's members carry theirs inside the aggregate.
    const keptByKcl = !aggregated || members.every((member) => inRange(hashKeyOf(member.partitionKey, member.explicitHashKey), range));
    if (!keptByKcl) droppedByKcl.push(`${record.shardId}/${record.sequenceNumber}`);
    for (const member of members) {
      const delivered: DeliveredRecord = {
        shardId: record.shardId,
        sequenceNumber: record.sequenceNumber,
        subSequenceNumber: member.subSequenceNumber,
        partitionKey: member.partitionKey,
        data: member.data,
        keptByKcl,
      };
      userRecords.push(delivered);
      byLocation.set(locationKey(record.shardId, record.sequenceNumber, member.subSequenceNumber), delivered);
    }
  }
  return { kinesisRecords: stored.length, aggregates, userRecords, byLocation, droppedByKcl };
}

/** What {@link checkDelivery} found. */
export interface DeliveryCheck {
  readonly successful: number;
  readonly failed: number;
  /** Successful results that do not point at exactly their record in a KCL-kept Kinesis record. */
  readonly problems: readonly string[];
  /** Stored user records beyond the first copy of each payload. */
  readonly duplicates: number;
  /** The same, counting only records a KCL consumer keeps (duplicates a consumer sees). */
  readonly kclVisibleDuplicates: number;
  /** Sent payloads found nowhere in the stream. */
  readonly missing: number;
}

/**
 * Checks every successful result against the stream: its shardId/sequenceNumber/subSequenceNumber
 * must locate exactly its partition key and data, inside an aggregate a KCL keeps. Payloads must
 * be unique per test for the duplicate and missing counts to mean anything.
 * @param sent - the records, in the order of `results`
 * @param results - their outcomes
 * @param contents - from {@link readStreamContents}
 */
export function checkDelivery(sent: readonly SentRecord[], results: readonly RecordResult[], contents: StreamContents): DeliveryCheck {
  const problems: string[] = [];
  let successful = 0;
  results.forEach((result, index) => {
    const record = sent[index];
    if (record === undefined || !result.successful) return;
    successful += 1;
    const where = locationKey(result.shardId ?? '?', result.sequenceNumber ?? '?', result.subSequenceNumber ?? -1);
    const found = contents.byLocation.get(where);
    if (found === undefined) problems.push(`record ${index}: nothing stored at ${where}`);
    else if (found.partitionKey !== record.partitionKey || !Buffer.from(found.data).equals(Buffer.from(record.data))) problems.push(`record ${index}: ${where} holds another record`);
    else if (!found.keptByKcl) problems.push(`record ${index}: ${where} is inside an aggregate a KCL drops`);
  });
  const seen = new Map<string, number>();
  const kept = new Map<string, number>();
  for (const record of contents.userRecords) {
    const payload = Buffer.from(record.data).toString('base64');
    seen.set(payload, (seen.get(payload) ?? 0) + 1);
    if (record.keptByKcl) kept.set(payload, (kept.get(payload) ?? 0) + 1);
  }
  let duplicates = 0;
  for (const count of seen.values()) duplicates += count - 1;
  let kclVisibleDuplicates = 0;
  for (const count of kept.values()) kclVisibleDuplicates += count - 1;
  const missing = sent.filter((record) => !seen.has(Buffer.from(record.data).toString('base64'))).length;
  return { successful, failed: results.length - successful, problems, duplicates, kclVisibleDuplicates, missing };
}
