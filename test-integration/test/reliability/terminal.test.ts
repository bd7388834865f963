/**
 * Reliability matrix, failures that must end records fast, and close() under load: the stream
 * deleted mid-run, credentials rejected, one oversize record inside a full batch (bisection),
 * and close() while requests are in flight.
 */
import { KinesisClient, UpdateMaxRecordSizeCommand } from '@aws-sdk/client-kinesis';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { ProducerClosedError } from '@tskpl/producer';
import type { FakeKinesis } from '@tskpl/testkit';
import { beforeAll, describe, expect, it } from 'vitest';
import { recordData, type TrackedRecord } from './load.js';
import { checkScenario, warmUp } from './matrix.js';

const RECORDS = 3000;
const RATE = 1000;
/** A failure the brief calls "fast": far below the 30 s TTL, a few retries' worth at most. */
const FAST_MS = 3000;

function failureFigures(records: readonly TrackedRecord[]): { failed: number[]; slowestFailureMs: number } {
  const failed: number[] = [];
  let slowestFailureMs = 0;
  for (const record of records) {
    if (record.result?.successful !== false) continue;
    failed.push(record.index);
    slowestFailureMs = Math.max(slowestFailureMs, (record.settledAtWall ?? Infinity) - record.putAtWall);
  }
  return { failed, slowestFailureMs };
}

async function waitFor(condition: () => boolean, what: string): Promise<void> {
  for (let tries = 0; !condition(); tries++) {
    if (tries > 500) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

async function shrinkMaxRecordSize(fake: FakeKinesis, streamName: string, kib: number): Promise<void> {
  const client = new KinesisClient({ ...fake.clientConfig(), maxAttempts: 1, requestHandler: new NodeHttpHandler() });
  try {
    await client.send(new UpdateMaxRecordSizeCommand({ StreamARN: fake.stream(streamName)!.streamARN, MaxRecordSizeInKiB: kib }));
  } finally {
    client.destroy();
  }
}

describe('reliability matrix: terminal failures and close()', () => {
  beforeAll(warmUp);

  it('fails every record put after the stream is deleted, fast, with ResourceNotFoundException', async () => {
    const run = await checkScenario({
      name: 'stream-deleted',
      stream: { shardCount: 4 },
      plan: (context) => ({
        count: RECORDS,
        ratePerSecond: RATE,
        at: new Map([[1000, () => {
          context.shardsBeforeDelete = context.fake.stream(context.streamName)!.shards;
          context.fake.deleteStream(context.streamName);
        }]]),
      }),
      policy: { terminalCodes: ['ResourceNotFoundException'] },
      inspect: (_context, records) => failureFigures(records),
    });
    expect(run.summary.succeeded).toBeGreaterThan(800);
    expect(run.summary.failedByCode.ResourceNotFoundException).toBe(RECORDS - run.summary.succeeded);
    expect(Math.min(...run.extra.failed)).toBeGreaterThan(800);
    expect(run.extra.slowestFailureMs).toBeLessThan(FAST_MS);
  });

  it('fails records fast with the service\'s code once credentials are rejected', async () => {
    const run = await checkScenario({
      name: 'credentials-rejected',
      stream: { shardCount: 4 },
      plan: ({ fake }) => ({
        count: RECORDS,
        ratePerSecond: RATE,
        // Every operation is refused from here on, as with revoked or rotated-away keys.
        at: new Map([[1000, () => void fake.faults.rate({ fault: { type: 'error', errorType: 'UnrecognizedClientException' }, probability: 1 })]]),
      }),
      policy: { terminalCodes: ['UnrecognizedClientException'] },
      inspect: (_context, records) => failureFigures(records),
    });
    expect(run.summary.succeeded).toBeGreaterThan(800);
    expect(run.summary.failedByCode.UnrecognizedClientException).toBe(RECORDS - run.summary.succeeded);
    expect(run.extra.slowestFailureMs).toBeLessThan(FAST_MS);
  });

  it('fails only the oversize record of a full batch the service rejects as a whole (bisection)', async () => {
    const oversizeIndex = 1000;
    const run = await checkScenario({
      name: 'oversize-in-full-batch',
      // The stream allows 2 MiB records when the producer describes it, then shrinks to 1 MiB:
      // the producer's client-side size check passes a 1.5 MiB record the service then refuses.
      stream: { shardCount: 4, maxRecordSizeInKiB: 2048 },
      producer: { maxUserRecordSize: 2 * 1024 * 1024, aggregationEnabled: false, recordMaxBufferedTimeMs: 1000 },
      plan: ({ fake, streamName }) => ({
        count: 2000,
        ratePerSecond: Infinity,
        at: new Map([[1, async () => {
          await waitFor(() => (fake.counters().requests.DescribeStreamSummary?.success ?? 0) > 0, 'DescribeStreamSummary');
          await shrinkMaxRecordSize(fake, streamName, 1024);
        }]]),
        dataOf: (index) => (index === oversizeIndex ? recordData(index, 1536 * 1024) : undefined),
      }),
      policy: { terminalCodes: ['ValidationException'] },
      inspect: ({ fake }, records) => ({
        ...failureFigures(records),
        rejectedRequests: fake.counters().requests.PutRecords?.ValidationException ?? 0,
        fullBatches: records.length,
      }),
    });
    expect(run.extra.failed).toEqual([oversizeIndex]);
    expect(run.summary.failedByCode).toEqual({ ValidationException: 1 });
    // Records are paced per shard with aggregation off too, and a 1.5 MiB record fills its shard's
    // 256 KiB share of a request at once, so it leaves in a small batch: bisected down to one in
    // at most about log2(500) ≈ 9 rejected requests, never one per record.
    expect(run.extra.rejectedRequests).toBeGreaterThanOrEqual(1);
    expect(run.extra.rejectedRequests).toBeLessThanOrEqual(12);
  });

  it('close() with requests in flight waits for every outcome and then refuses new records', async () => {
    let doneAtClose = -1;
    let afterClose: Promise<unknown> | undefined;
    const run = await checkScenario({
      name: 'close-in-flight',
      stream: { shardCount: 4 },
      setup: ({ fake }) => {
        fake.faults.rate({ operation: 'PutRecords', fault: { type: 'latency', ms: 300, maxMs: 800 }, probability: 1 });
      },
      plan: () => ({ count: RECORDS, ratePerSecond: Infinity }),
      afterPut: ({ producer, streamName }, records) => {
        doneAtClose = records.filter((record) => record.outcome?.done === true).length;
        void producer.close();
        // Kept as a verdict, not the error: an error's unformatted stack pins its frames' receivers (the producer).
        afterClose = producer.putRecord({ streamName, partitionKey: 'late', data: new Uint8Array(1) }).then(
          () => 'admitted',
          (error: unknown) => (error instanceof ProducerClosedError ? 'ProducerClosedError' : `other: ${String(error)}`),
        );
      },
      policy: {},
    });
    expect(doneAtClose).toBeLessThan(RECORDS / 2);
    expect(run.summary.succeeded).toBe(RECORDS);
    expect(await afterClose).toBe('ProducerClosedError');
  });
});
