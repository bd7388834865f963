/**
 * Backends that misbehave, with real timers in child processes and a raw HTTP server standing in
 * for Kinesis: one that trickles its answer, one that answers HTML, one that dies. Every outcome
 * resolves within its bounds and the script exits 0 on its own.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { runScript } from '../src/child-script.js';

type PutRecordsBehaviour = (request: IncomingMessage, response: ServerResponse) => void;

const SHARD = { ShardId: 'shardId-000000000000', HashKeyRange: { StartingHashKey: '0', EndingHashKey: '340282366920938463463374607431768211455' }, SequenceNumberRange: { StartingSequenceNumber: '1' } };

let server: Server | undefined;

afterEach(async () => {
  server?.closeAllConnections();
  await new Promise((resolve) => server?.close(resolve));
  server = undefined;
});

/** A Kinesis stand-in: ListShards and DescribeStreamSummary answer normally; PutRecords as `behaviour` says. */
async function startBackend(behaviour: PutRecordsBehaviour): Promise<string> {
  server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const target = String(request.headers['x-amz-target'] ?? '');
      const json = (body: unknown) => {
        response.writeHead(200, { 'content-type': 'application/x-amz-json-1.1' });
        response.end(JSON.stringify(body));
      };
      if (target.endsWith('.ListShards')) json({ Shards: [SHARD] });
      else if (target.endsWith('.DescribeStreamSummary')) json({ StreamDescriptionSummary: { StreamName: 's', StreamARN: 'arn:aws:kinesis:us-east-1:000000000000:stream/s', StreamStatus: 'ACTIVE', OpenShardCount: 1 } });
      else behaviour(request, response);
    });
  });
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server!.address() as AddressInfo).port}`;
}

async function runProducer(endpoint: string): Promise<{ code: number | null; elapsedMs: number; result: { successful: boolean; errorCode: string; attempts: string[]; settledMs: number } }> {
  const run = await runScript('misbehaving.mjs', `
    import { Producer } from '@tskpl/producer';
    const producer = new Producer({ endpoint: process.env.ENDPOINT, region: 'us-east-1', credentials: { accessKeyId: 'x', secretAccessKey: 'x' },
      requestTimeoutMs: 1000, recordTtlMs: 2000, metricsLevel: 'none', logger: { warn() {}, error() {} } });
    const started = performance.now();
    const outcome = await producer.putRecord({ streamName: 's', partitionKey: 'k', data: Buffer.from('x') });
    const result = await outcome.wait();
    await producer.flush();
    console.log(JSON.stringify({ successful: result.successful, errorCode: result.errorCode, attempts: result.attempts.map((attempt) => attempt.errorCode), settledMs: performance.now() - started }));
  `, { ENDPOINT: endpoint }, 30_000);
  return { code: run.code, elapsedMs: run.elapsedMs, result: JSON.parse(run.stdout) };
}

describe('a backend that misbehaves', () => {
  it('trickles its answer one byte every 300 ms: the request is aborted at requestTimeoutMs and the record expires at its TTL', async () => {
    const endpoint = await startBackend((_request, response) => {
      response.writeHead(200, { 'content-type': 'application/x-amz-json-1.1' });
      const body = '{"FailedRecordCount":0,"Records":[{"SequenceNumber":"1","ShardId":"shardId-000000000000"}]}';
      let sent = 0;
      const timer = setInterval(() => {
        if (sent >= body.length || response.destroyed) return clearInterval(timer);
        response.write(body[sent++]);
      }, 300);
      response.on('close', () => clearInterval(timer));
    });
    const { code, result } = await runProducer(endpoint);
    expect(code).toBe(0);
    expect(result.successful).toBe(false);
    expect(result.errorCode).toBe('Expired');
    expect(result.attempts).toContain('RequestTimeout');
    expect(result.settledMs).toBeLessThan(3_500);
  });

  it('answers a load balancer’s HTML 502: retried as HTTP502 until the TTL, never a SyntaxError', async () => {
    const endpoint = await startBackend((_request, response) => {
      response.writeHead(502, { 'content-type': 'text/html' });
      response.end('<html><body><h1>502 Bad Gateway</h1></body></html>');
    });
    const { code, result } = await runProducer(endpoint);
    expect(code).toBe(0);
    expect(result.successful).toBe(false);
    expect(result.attempts.length).toBeGreaterThan(1);
    expect(new Set(result.attempts.slice(0, -1))).toEqual(new Set(['HTTP502']));
    expect(result.settledMs).toBeLessThan(3_500);
  });

  it('dies after the shard map: requests fail with a network error and the record expires at its TTL', async () => {
    const endpoint = await startBackend((request) => request.socket.destroy());
    const { code, result } = await runProducer(endpoint);
    expect(code).toBe(0);
    expect(result.successful).toBe(false);
    expect(result.errorCode).toBe('Expired');
    expect(result.settledMs).toBeLessThan(3_500);
  });
});
