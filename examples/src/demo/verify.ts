import type { RecordResult } from '@tskpl/producer';
import type { StreamContents } from './read-back.js';

/** A record the demo put. */
export interface SentRecord {
  readonly partitionKey: string;
  readonly data: Uint8Array;
}

/** The verdict on one run. */
export interface Verification {
  readonly delivered: number;
  readonly failed: number;
  /** Successful results whose shardId/sequenceNumber/subSequenceNumber do not hold exactly their record. */
  readonly misplaced: number;
  /** Records put but found nowhere in the stream. */
  readonly missing: number;
  /** Stored user records beyond the first copy of each payload (Kinesis is at-least-once). */
  readonly duplicates: number;
  /** Distinct Kinesis records holding the delivered user records. */
  readonly kinesisRecords: number;
  readonly retries: number;
  readonly shards: number;
  readonly firstProblems: readonly string[];
}

/**
 * Checks each result against what the stream holds. Payloads are unique per record.
 * @param sent - the records, in the order of `results`
 * @param results - their outcomes
 * @param contents - the stream, read back
 */
export function verify(sent: readonly SentRecord[], results: readonly RecordResult[], contents: StreamContents): Verification {
  const byLocation = new Map(contents.userRecords.map((record) => [`${record.shardId}/${record.sequenceNumber}/${record.subSequenceNumber}`, record]));
  const copies = new Map<string, number>();
  for (const record of contents.userRecords) {
    const payload = Buffer.from(record.data).toString('latin1');
    copies.set(payload, (copies.get(payload) ?? 0) + 1);
  }
  const problems: string[] = [];
  const kinesisRecords = new Set<string>();
  const shards = new Set<string>();
  let delivered = 0;
  let misplaced = 0;
  let retries = 0;
  results.forEach((result, index) => {
    retries += Math.max(0, result.attempts.length + result.attemptsDropped - 1);
    if (!result.successful) {
      if (problems.length < 5) problems.push(`record ${index} failed: ${String(result.errorCode)} ${String(result.errorMessage)}`);
      return;
    }
    delivered += 1;
    const where = `${String(result.shardId)}/${String(result.sequenceNumber)}/${String(result.subSequenceNumber)}`;
    kinesisRecords.add(`${String(result.shardId)}/${String(result.sequenceNumber)}`);
    shards.add(String(result.shardId));
    const found = byLocation.get(where);
    const record = sent[index];
    if (found === undefined || record === undefined || found.partitionKey !== record.partitionKey || !Buffer.from(found.data).equals(record.data)) {
      misplaced += 1;
      if (problems.length < 5) problems.push(`record ${index}: ${where} does not hold it`);
    }
  });
  let duplicates = 0;
  for (const count of copies.values()) duplicates += count - 1;
  const missing = sent.filter((record) => !copies.has(Buffer.from(record.data).toString('latin1'))).length;
  return { delivered, failed: results.length - delivered, misplaced, missing, duplicates, kinesisRecords: kinesisRecords.size, retries, shards: shards.size, firstProblems: problems };
}
