// An HTTP service that puts one record per request and shuts down without losing any.
//
//   POST /orders  body: any bytes (e.g. a JSON order)  →  202 {"accepted":true}
//   GET  /health                                      →  200 {"outstanding":<records without outcome>}
//
// A 202 means the producer has admitted the record (it holds a copy); the record is then delivered
// in the background, aggregated with its neighbours. When the producer is full (maxOutstandingRecords)
// `putRecord` waits, so requests slow down instead of the process growing without bound.
//
// On SIGTERM (what ECS, Kubernetes and systemd send) or SIGINT:
//   1. the server stops accepting connections and closes idle keep-alive ones; requests in progress
//      finish and get their answer;
//   2. `producer.close()` sends everything admitted and waits for every outcome;
//   3. the process exits 0 by itself (nothing keeps it alive), or 1 if a record failed.
// Give the orchestrator's grace period at least recordTtlMs (30 s by default) for the worst case.
//
// Run: PORT=3000 STREAM_NAME=orders KINESIS_ENDPOINT=http://127.0.0.1:4567 node dist/http-service.js
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Producer } from '@tskpl/producer';
import { connectionFromEnv } from './connection.js';

const { streamName, producerOptions } = connectionFromEnv();
const producer = new Producer({ ...producerOptions, metricsLevel: 'none' });
let failed = 0;
let requestCount = 0;

async function readBody(request: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

function reply(response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
}

async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
  if (request.method === 'GET' && request.url === '/health') return reply(response, 200, { outstanding: producer.outstandingRecords });
  if (request.method !== 'POST' || request.url !== '/orders') return reply(response, 404, { error: 'not found' });
  const data = await readBody(request);
  requestCount += 1;
  // The partition key spreads records over shards; use what must stay ordered (e.g. a customer id).
  const partitionKey = request.headers['x-customer-id']?.toString() || `request-${requestCount}`;
  const outcome = await producer.putRecord({ streamName, partitionKey, data }); // resolves on admission
  // Do not await the outcome in the request path: log (and count) failures when they happen.
  void outcome.wait().then((result) => {
    if (!result.successful) {
      failed += 1;
      console.error(`record ${partitionKey} failed: ${result.errorCode} ${result.errorMessage}`);
    }
  });
  reply(response, 202, { accepted: true });
}

const server = createServer((request, response) => {
  handle(request, response).catch((error: Error & { code?: string }) => {
    // ValidationError (bad input) → 400; ProducerClosedError (shutting down) → 503.
    const status = error.code === 'ERR_PRODUCER_CLOSED' ? 503 : error.code?.startsWith('ERR_INVALID') || error.code === 'ERR_RECORD_TOO_LARGE' ? 400 : 500;
    if (!response.headersSent) reply(response, status, { error: error.message, code: error.code });
  });
});

let shuttingDown = false;
async function shutdown(signal: string): Promise<void> {
  if (shuttingDown) return;
  shuttingDown = true;
  console.log(`${signal}: closing the server, then the producer (${producer.outstandingRecords} outstanding)`);
  const closed = new Promise<void>((resolve) => server.close(() => resolve()));
  server.closeIdleConnections(); // keep-alive sockets with no request in progress
  await closed; // every request in progress has been answered
  await producer.close(); // every admitted record has its outcome
  console.log(`closed: ${requestCount} records admitted, ${failed} failed`);
  process.exitCode = failed === 0 ? 0 : 1;
}
process.once('SIGTERM', () => void shutdown('SIGTERM'));
process.once('SIGINT', () => void shutdown('SIGINT'));

server.listen(Number(process.env.PORT ?? 3000), '127.0.0.1', () => {
  console.log(`listening on http://127.0.0.1:${(server.address() as AddressInfo).port}, stream ${streamName}`);
});
