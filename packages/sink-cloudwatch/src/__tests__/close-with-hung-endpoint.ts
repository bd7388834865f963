/**
 * Child script: a producer with a CloudWatchSink whose endpoint (CLOUDWATCH_ENDPOINT) accepts
 * connections and never answers. Puts records, flushes, closes, then simply ends: the parent
 * checks that flush() and close() are bounded and that the process exits on its own.
 */
import { Producer } from '@tskpl/producer';
import { createInstantTransport } from '@tskpl/testkit';
import { CloudWatchSink } from '../index.js';

const sink = new CloudWatchSink({
  endpoint: process.env['CLOUDWATCH_ENDPOINT']!,
  credentials: { accessKeyId: 'AKIDTEST', secretAccessKey: 'secret' },
  ...(process.env['REQUEST_TIMEOUT_MS'] === undefined ? {} : { requestTimeoutMs: Number(process.env['REQUEST_TIMEOUT_MS']) }),
});
const producer = new Producer({ region: 'us-east-1', transport: createInstantTransport(), metricsSink: sink, metricsUploadDelayMs: 200 });
const outcomes = [];
for (let index = 0; index < 100; index++) outcomes.push(await producer.putRecord({ streamName: 'orders', partitionKey: `key-${index}`, data: new Uint8Array(16) }));
await Promise.all(outcomes.map((outcome) => outcome.wait()));
await new Promise((resolve) => setTimeout(resolve, 500)); // periodic exports are now hanging
let startedAt = performance.now();
await producer.flush();
const flushMs = performance.now() - startedAt;
startedAt = performance.now();
await producer.close();
const closeMs = performance.now() - startedAt;
process.stdout.write(`${JSON.stringify({ flushMs, closeMs })}\n`);
