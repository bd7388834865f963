// A CommonJS batch job with the blocking SyncProducer (@tskpl/sync-bridge): no async/await, no
// callbacks. The producer runs on a worker thread; each call blocks this thread only as long as it
// must (putRecord only under backpressure, wait/flush/close until their results).
//
// Run: RECORDS=5000 STREAM_NAME=orders KINESIS_ENDPOINT=http://127.0.0.1:4567 node cjs/batch-script.cjs
// Exit code 0 when every record was delivered, 1 otherwise.
'use strict';
const { SyncProducer, TimeoutError } = require('@tskpl/sync-bridge');

const streamName = process.env.STREAM_NAME || 'orders';
const count = Number(process.env.RECORDS || 1000);
const endpoint = process.env.KINESIS_ENDPOINT;

const producer = new SyncProducer({
  region: process.env.AWS_REGION || 'us-east-1',
  ...(endpoint ? { endpoint } : {}),
  metricsLevel: 'none',
});

const started = Date.now();
const outcomes = [];
for (let index = 0; index < count; index += 1) {
  const line = JSON.stringify({ id: index, job: 'nightly-export', at: new Date(started).toISOString() });
  outcomes.push(producer.putRecord({ streamName, partitionKey: `row-${index % 100}`, data: Buffer.from(line) }));
}

let delivered = 0;
let failed = 0;
try {
  producer.flush(60_000); // every record put above now has its outcome
  for (const outcome of outcomes) {
    const result = outcome.wait(10_000); // settled by the flush: returns at once
    if (result.successful) delivered += 1;
    else {
      failed += 1;
      if (failed <= 5) console.error(`record ${outcome.id} failed: ${result.errorCode} ${result.errorMessage}`);
    }
  }
} catch (error) {
  if (error instanceof TimeoutError) console.error('records still outstanding after 60 s:', producer.outstandingRecords);
  else throw error;
} finally {
  producer.close(60_000);
}
console.log(`batch done: ${delivered} delivered, ${failed} failed, ${Date.now() - started} ms`);
process.exitCode = delivered === count ? 0 : 1;
