// An AWS Lambda handler for a Kinesis event source whose producer aggregates (the KPL or tskpl):
// every Kinesis record is split into its user records with @tskpl/agg-codec, and failures are
// reported per Kinesis record so that Lambda retries only from the first one that failed.
//
// Event source mapping: set FunctionResponseTypes to ["ReportBatchItemFailures"]. Then Lambda
// reads `batchItemFailures[].itemIdentifier` as the sequence number of the Kinesis record to
// restart from; everything before it in the batch counts as processed. An aggregate is one
// Kinesis record, so its user records succeed or are retried together: make processing idempotent.
//
// Deploy: bundle this file with its dependency @tskpl/agg-codec (no AWS SDK needed) and export
// `handler`. Locally: `node dist/lambda-consumer.js event.json` prints the handler's answer.
import { readFileSync } from 'node:fs';
import { deaggregate, type DeaggregatedRecord } from '@tskpl/agg-codec';
import { isMain } from './connection.js';

/** The part of a Lambda Kinesis event this handler reads (as in @types/aws-lambda's KinesisStreamEvent). */
export interface KinesisStreamEvent {
  readonly Records: readonly {
    readonly eventID?: string;
    readonly kinesis: { readonly data: string; readonly partitionKey: string; readonly sequenceNumber: string; readonly explicitHashKey?: string };
  }[];
}

/** What Lambda expects back with ReportBatchItemFailures. */
export interface KinesisBatchResponse {
  readonly batchItemFailures: { readonly itemIdentifier: string }[];
}

/** Processes one user record; throws (or rejects) when it cannot. */
export type ProcessUserRecord = (record: DeaggregatedRecord) => void | Promise<void>;

/**
 * Builds a handler around `process`. Kinesis records are handled in order; at the first one
 * whose user records cannot all be processed, the handler stops and reports that record's
 * sequence number (Lambda would redeliver every later record of the shard anyway).
 */
export function createHandler(process: ProcessUserRecord): (event: KinesisStreamEvent) => Promise<KinesisBatchResponse> {
  return async (event) => {
    for (const record of event.Records) {
      try {
        // A Lambda record is accepted as it is; a record that is not an aggregate comes back alone.
        for (const userRecord of deaggregate(record)) await process(userRecord);
      } catch (error) {
        console.error(`failed in Kinesis record ${record.kinesis.sequenceNumber}:`, error);
        return { batchItemFailures: [{ itemIdentifier: record.kinesis.sequenceNumber }] };
      }
    }
    return { batchItemFailures: [] };
  };
}

/** The deployed handler: logs each user record; replace the body with your processing. */
export const handler = createHandler((record) => {
  console.log(JSON.stringify({ partitionKey: record.partitionKey, subSequenceNumber: record.subSequenceNumber, bytes: record.data.length }));
});

if (isMain(import.meta.url)) {
  const path = process.argv[2];
  if (path === undefined) throw new Error('usage: node dist/lambda-consumer.js <event.json>');
  console.log(JSON.stringify(await handler(JSON.parse(readFileSync(path, 'utf8')) as KinesisStreamEvent)));
}
