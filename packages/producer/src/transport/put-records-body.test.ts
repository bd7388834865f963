import { createHash } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { KinesisClient, PutRecordsCommand } from '@aws-sdk/client-kinesis';
import type { KinesisRecordEntry } from '@tskpl/agg-codec';
import { describe, expect, it } from 'vitest';
import { BodyBufferPool, putRecordsBody } from './put-records-body.js';
import { ConfigError } from '../errors/errors.js';
import { createSdkTransport } from './sdk-transport.js';
import type { StreamRef } from './transport.js';

interface Captured {
  readonly hostname: string;
  readonly headers: Record<string, string>;
  readonly body: Buffer;
}

/** A real KinesisClient whose HTTP handler records each request and answers every entry stored. */
function capturingClient(clientOptions: { cacheMiddleware?: boolean } = {}) {
  const captured: Captured[] = [];
  const client = new KinesisClient({
    region: 'us-east-1',
    credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret' },
    maxAttempts: 1,
    ...clientOptions,
    requestHandler: {
      async handle(request: { hostname: string; headers: Record<string, string>; body: Uint8Array }) {
        const body = Buffer.from(request.body.buffer, request.body.byteOffset, request.body.byteLength);
        captured.push({ hostname: request.hostname, headers: { ...request.headers }, body });
        const count = (JSON.parse(body.toString('utf8')) as { Records: unknown[] }).Records.length;
        const records = Array.from({ length: count }, (_, i) => ({ ShardId: 'shardId-000000000000', SequenceNumber: String(i) }));
        const answer = Buffer.from(JSON.stringify({ FailedRecordCount: 0, Records: records }));
        return { response: { statusCode: 200, headers: { 'content-type': 'application/x-amz-json-1.1' }, body: answer } };
      },
    } as never,
  });
  return { client, captured };
}

const options = { maxConnections: 4, requestTimeoutMs: 1000, connectTimeoutMs: 1000 };

function bytes(length: number, seed: number): Uint8Array {
  const data = new Uint8Array(length);
  for (let i = 0; i < length; i++) data[i] = (i * 31 + seed * 7) & 0xff;
  return data;
}

const keys = ['a', 'pk-1234', 'ké', 'quote " and \\ backslash', 'control \u0001\n\t\u007f', 'lone \ud800 surrogate', 'emoji 😀', 'line \u2028 separator', 'k'.repeat(256)];
const lengths = [0, 1, 2, 3, 4, 5, 100, 1024, 20_000];

function entriesFor(seed: number): KinesisRecordEntry[] {
  return lengths.map((length, i) => {
    const data = bytes(length + 3, seed + i).subarray(3);
    return { partitionKey: keys[(seed + i) % keys.length]!, explicitHashKey: String(BigInt(2) ** BigInt(100 + i) + BigInt(seed)), data };
  });
}

async function sendWith(serializer: 'tskpl' | 'sdk', stream: StreamRef, entries: KinesisRecordEntry[]): Promise<Captured> {
  const { client, captured } = capturingClient();
  const transport = createSdkTransport({ ...options, kinesisClient: client, putRecordsSerializer: serializer });
  const response = await transport.putRecords(stream, entries);
  expect(response.records).toHaveLength(entries.length);
  client.destroy();
  return captured[0]!;
}

describe('the PutRecords body tskpl writes', () => {
  const streams: StreamRef[] = [{ streamName: 'orders' }, { streamName: 'name "quoted"' }, { streamARN: 'arn:aws:kinesis:us-east-1:123456789012:stream/orders' }];

  it.each(streams)('is byte for byte the SDK\'s body, for every key and length (%o)', async (stream) => {
    for (let seed = 0; seed < keys.length; seed++) {
      const entries = entriesFor(seed);
      const ours = await sendWith('tskpl', stream, entries);
      const sdk = await sendWith('sdk', stream, entries);
      expect(ours.body.equals(sdk.body), `seed ${seed}: ${ours.body.toString().slice(0, 200)} vs ${sdk.body.toString().slice(0, 200)}`).toBe(true);
      const decoded = JSON.parse(ours.body.toString('utf8')) as { Records: Array<{ Data: string; PartitionKey: string; ExplicitHashKey: string }> };
      expect(decoded.Records.map((record) => Buffer.from(record.Data, 'base64'))).toEqual(entries.map((entry) => Buffer.from(entry.data)));
      expect(decoded.Records.map((record) => record.PartitionKey)).toEqual(entries.map((entry) => entry.partitionKey));
    }
  });

  it('is what the SDK signs and sends: length, payload hash and endpoint match the body', async () => {
    const entries = entriesFor(1);
    const stream = { streamARN: 'arn:aws:kinesis:us-east-1:123456789012:stream/orders' };
    const ours = await sendWith('tskpl', stream, entries);
    const sdk = await sendWith('sdk', stream, entries);
    expect(ours.headers['content-length']).toBe(String(ours.body.byteLength));
    expect(Object.keys(ours.headers).filter((name) => name.toLowerCase() === 'content-length')).toHaveLength(1);
    expect(ours.headers['x-amz-content-sha256']).toBe(createHash('sha256').update(ours.body).digest('hex'));
    expect(ours.headers.authorization).toMatch(/^AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE\/\d{8}\/us-east-1\/kinesis\/aws4_request, SignedHeaders=.*content-length.*, Signature=[0-9a-f]{64}$/);
    expect(ours.hostname).toBe('123456789012.data-kinesis.us-east-1.amazonaws.com');
    expect(ours.hostname).toBe(sdk.hostname);
    expect(ours.headers['x-amz-target']).toBe('Kinesis_20131202.PutRecords');
  });

  it('writes each request\'s own body on a client that caches its middleware', async () => {
    const { client, captured } = capturingClient({ cacheMiddleware: true });
    const transport = createSdkTransport({ ...options, kinesisClient: client });
    const batches = [entriesFor(0), entriesFor(2).slice(0, 3), entriesFor(5).slice(4)];
    for (const batch of batches) await transport.putRecords({ streamName: 'orders' }, batch);
    client.destroy();
    for (let i = 0; i < batches.length; i++) {
      const sent = JSON.parse(captured[i]!.body.toString('utf8')) as { Records: Array<{ Data: string }> };
      expect(sent.Records.map((record) => Buffer.from(record.Data, 'base64'))).toEqual(batches[i]!.map((entry) => Buffer.from(entry.data)));
    }
  });
});

describe('the PutRecords body, beyond what the producer sends', () => {
  it.each([
    { label: 'both StreamName and StreamARN', StreamName: 'orders', StreamARN: 'arn:aws:kinesis:us-east-1:123456789012:stream/orders' },
    { label: 'neither', StreamName: undefined, StreamARN: undefined },
  ])('matches the SDK\'s member order with $label', async ({ StreamName, StreamARN }) => {
    const { client, captured } = capturingClient();
    const input = { StreamName, StreamARN, Records: [{ Data: bytes(7, 1), PartitionKey: 'k', ExplicitHashKey: '5' }] };
    await client.send(new PutRecordsCommand(input)).catch(() => undefined);
    client.destroy();
    expect(Buffer.from(putRecordsBody(input)).equals(captured[0]!.body)).toBe(true);
  });

  it('refuses an unknown putRecordsSerializer with a ConfigError naming it', () => {
    const { client } = capturingClient();
    const make = () => createSdkTransport({ ...options, kinesisClient: client, putRecordsSerializer: 'SDK' as never });
    expect(make).toThrow(ConfigError);
    expect(make).toThrow(/putRecordsSerializer: got .*SDK.*; expected 'tskpl' or 'sdk'/);
    client.destroy();
  });

  it('survives a user middleware that copies the input after tskpl\'s', async () => {
    const { client, captured } = capturingClient();
    client.middlewareStack.add((next) => (args) => next({ ...args, input: { ...(args.input as object) } }), { step: 'initialize', priority: 'low', name: 'userCopiesInput' });
    const transport = createSdkTransport({ ...options, kinesisClient: client });
    const entries = entriesFor(3);
    await transport.putRecords({ streamName: 'orders' }, entries);
    client.destroy();
    const sent = JSON.parse(captured[0]!.body.toString('utf8')) as { Records: Array<{ Data: string }> };
    expect(sent.Records.map((record) => Buffer.from(record.Data, 'base64'))).toEqual(entries.map((entry) => Buffer.from(entry.data)));
  });
});

describe('onBodyWritten', () => {
  it('is called once, before the request leaves, on a client the user passed', async () => {
    const events: string[] = [];
    const { client, captured } = capturingClient();
    const transport = createSdkTransport({ ...options, kinesisClient: client });
    const entries = entriesFor(5);
    const before = entries.map((entry) => Buffer.from(entry.data));
    client.middlewareStack.add((next) => (args) => {
      events.push('sent');
      return next(args);
    }, { step: 'finalizeRequest', name: 'seesSend' });
    await transport.putRecords({ streamName: 'orders' }, entries, { onBodyWritten: () => events.push('written') });
    client.destroy();
    expect(events).toEqual(['written', 'sent']);
    // The caller's entries are the caller's: the transport never empties them.
    expect(entries.map((entry) => Buffer.from(entry.data))).toEqual(before);
    const sent = JSON.parse(captured[0]!.body.toString('utf8')) as { Records: Array<{ Data: string }> };
    expect(sent.Records.map((record) => Buffer.from(record.Data, 'base64'))).toEqual(before);
  });

  it('is called once over the client the transport builds, which still sends every record', async () => {
    const received: Buffer[] = [];
    const events: string[] = [];
    const server = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        events.push('received');
        const body = Buffer.concat(chunks);
        received.push(body);
        const count = (JSON.parse(body.toString('utf8')) as { Records: unknown[] }).Records.length;
        const records = Array.from({ length: count }, (_, i) => ({ ShardId: 'shardId-000000000000', SequenceNumber: String(i) }));
        response.writeHead(200, { 'content-type': 'application/x-amz-json-1.1' });
        response.end(JSON.stringify({ FailedRecordCount: 0, Records: records }));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    const transport = createSdkTransport({ ...options, region: 'us-east-1', endpoint: `http://127.0.0.1:${port}`, credentials: { accessKeyId: 'a', secretAccessKey: 'b' } });
    try {
      const entries = entriesFor(6);
      const before = entries.map((entry) => Buffer.from(entry.data));
      const response = await transport.putRecords({ streamName: 'orders' }, entries, { onBodyWritten: () => events.push('written') });
      expect(response.records).toHaveLength(entries.length);
      expect(events).toEqual(['written', 'received']);
      expect(entries.map((entry) => Buffer.from(entry.data))).toEqual(before);
      const sent = JSON.parse(received[0]!.toString('utf8')) as { Records: Array<{ Data: string }> };
      expect(sent.Records.map((record) => Buffer.from(record.Data, 'base64'))).toEqual(before);
    } finally {
      transport.destroy();
      await new Promise((resolve) => server.close(resolve));
    }
  });
});

describe('the body buffer pool', () => {
  const MiB = 1024 * 1024;

  it('reuses a large body\'s memory for a later body that fits, once', () => {
    const pool = new BodyBufferPool();
    const first = pool.take(5 * MiB);
    expect(first.byteLength).toBe(5 * MiB);
    pool.give(first);
    const second = pool.take(5 * MiB - 1000);
    expect(second.byteLength).toBe(5 * MiB - 1000);
    expect(second.buffer).toBe(first.buffer);
    // Taken, so not handed out twice while in use.
    expect(pool.take(5 * MiB - 1000).buffer).not.toBe(first.buffer);

  });

  it('keeps at most two free buffers, the largest, and ignores buffers it did not make', () => {
    const pool = new BodyBufferPool();
    const sizes = [1 * MiB, 3 * MiB, 2 * MiB, 4 * MiB];
    const taken = sizes.map((size) => pool.take(size));
    for (const body of taken) pool.give(body);
    pool.give(Buffer.alloc(8 * MiB));
    const kept = new Set([pool.take(MiB).buffer, pool.take(MiB).buffer]);
    expect(kept).toEqual(new Set([taken[1]!.buffer, taken[3]!.buffer]));
    expect(pool.take(MiB).buffer).not.toBe(taken[0]!.buffer);
  });

  it('lets go of its free buffers on clear()', () => {
    const pool = new BodyBufferPool();
    const body = pool.take(2 * MiB);
    pool.give(body);
    pool.clear();
    expect(pool.take(2 * MiB).buffer).not.toBe(body.buffer);
  });
});
