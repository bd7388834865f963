import { randomBytes } from 'node:crypto';
import { Agent } from 'node:http';
import {
  CreateStreamCommand,
  DescribeStreamSummaryCommand,
  GetRecordsCommand,
  GetShardIteratorCommand,
  KinesisClient,
  ListShardsCommand,
  type Shard,
  type ShardFilter,
  type StreamDescriptionSummary,
} from '@aws-sdk/client-kinesis';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { KINESIS_LOCAL_REGION as EMULATOR_REGION } from '@tskpl/testkit';
import { HarnessError } from './errors.js';

/** Options of {@link createKinesisClient}. */
export interface KinesisClientOptions {
  /** SDK attempts per call (1 disables SDK retries). @defaultValue 3 */
  maxAttempts?: number;
  /** Socket timeout of one request, in ms. @defaultValue 10000 */
  requestTimeoutMs?: number;
  /** Most sockets to the emulator at once. @defaultValue 16 */
  maxSockets?: number;
}

/**
 * A Kinesis client for the emulator at `endpoint` (an `http://` URL): HTTP/1.1 through
 * NodeHttpHandler (the SDK's HTTP/2 path breaks on bodies over ~48 KB against kinesis-mock),
 * fixed dummy credentials, the emulator's region. Call `destroy()` when done.
 * @param endpoint - e.g. `http://127.0.0.1:45678`
 * @param options - retries, timeout and socket limit
 */
export function createKinesisClient(endpoint: string, options: KinesisClientOptions = {}): KinesisClient {
  if (!endpoint.startsWith('http://')) {
    throw new HarnessError('ERR_INVALID_CONFIG', `Option endpoint must be a plain http:// URL of the emulator; received ${JSON.stringify(endpoint)}.`);
  }
  return new KinesisClient({
    endpoint,
    region: EMULATOR_REGION,
    // A non-numeric access key id puts every stream in the emulator's default account.
    credentials: { accessKeyId: 'tskpl-local', secretAccessKey: 'tskpl-local' },
    maxAttempts: options.maxAttempts ?? 3,
    requestHandler: new NodeHttpHandler({
      httpAgent: new Agent({ keepAlive: true, maxSockets: options.maxSockets ?? 16 }),
      connectionTimeout: 5_000,
      requestTimeout: options.requestTimeoutMs ?? 10_000,
    }),
  });
}

/**
 * A stream name no other test will use: `prefix` plus 12 random hex digits.
 * @param prefix - 1 … 100 characters of `[a-zA-Z0-9_.-]`
 */
export function uniqueStreamName(prefix: string): string {
  if (!/^[\w.-]{1,100}$/.test(prefix)) {
    throw new HarnessError('ERR_INVALID_CONFIG', `Stream name prefix must be 1 to 100 characters of [a-zA-Z0-9_.-]; received ${JSON.stringify(prefix)}.`);
  }
  return `${prefix}-${randomBytes(6).toString('hex')}`;
}

/** Options of {@link createStream} and {@link waitForStreamActive}. */
export interface WaitOptions {
  /** Give up after this many ms. @defaultValue 30000 */
  timeoutMs?: number;
  /** Pause between two DescribeStreamSummary calls, in ms. @defaultValue 25 */
  pollIntervalMs?: number;
}

const pause = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Polls DescribeStreamSummary until the stream is ACTIVE and returns that summary.
 * @param client - a client from {@link createKinesisClient}
 * @param streamName - the stream
 * @param options - deadline and poll interval
 */
export async function waitForStreamActive(client: KinesisClient, streamName: string, options: WaitOptions = {}): Promise<StreamDescriptionSummary> {
  const timeoutMs = options.timeoutMs ?? 30_000;
  const deadline = performance.now() + timeoutMs;
  let status: string | undefined;
  for (;;) {
    const { StreamDescriptionSummary: summary } = await client.send(new DescribeStreamSummaryCommand({ StreamName: streamName }));
    status = summary?.StreamStatus;
    if (summary !== undefined && status === 'ACTIVE') return summary;
    if (performance.now() > deadline) {
      throw new HarnessError('ERR_STREAM_TIMEOUT', `Stream ${streamName} was not ACTIVE within ${timeoutMs} ms; last status ${String(status)}.`);
    }
    await pause(options.pollIntervalMs ?? 25);
  }
}

/**
 * Creates a provisioned stream and waits until it is ACTIVE.
 * @param client - a client from {@link createKinesisClient}
 * @param streamName - e.g. from {@link uniqueStreamName}
 * @param shardCount - number of shards (≥ 1)
 * @param options - deadline and poll interval of the wait
 */
export async function createStream(client: KinesisClient, streamName: string, shardCount: number, options: WaitOptions = {}): Promise<StreamDescriptionSummary> {
  if (!Number.isInteger(shardCount) || shardCount < 1) {
    throw new HarnessError('ERR_INVALID_CONFIG', `shardCount must be an integer ≥ 1; received ${JSON.stringify(shardCount)}.`);
  }
  await client.send(new CreateStreamCommand({ StreamName: streamName, ShardCount: shardCount }));
  return waitForStreamActive(client, streamName, options);
}

/** Options of {@link listAllShards}. */
export interface ListShardsOptions {
  /** Sent on the first page only (the service rejects it beside a NextToken). */
  shardFilter?: ShardFilter;
  /** Page size sent on every page. */
  maxResults?: number;
}

/**
 * Every shard of a stream, following `NextToken` (later pages carry only the token and page size).
 * @param client - a client from {@link createKinesisClient}
 * @param streamName - the stream
 * @param options - shard filter and page size
 */
export async function listAllShards(client: KinesisClient, streamName: string, options: ListShardsOptions = {}): Promise<Shard[]> {
  const shards: Shard[] = [];
  let nextToken: string | undefined;
  do {
    const page = await client.send(
      new ListShardsCommand(
        nextToken === undefined
          ? { StreamName: streamName, ShardFilter: options.shardFilter, MaxResults: options.maxResults }
          : { NextToken: nextToken, MaxResults: options.maxResults },
      ),
    );
    shards.push(...(page.Shards ?? []));
    nextToken = page.NextToken;
  } while (nextToken !== undefined);
  return shards;
}

/** A shard's hash key range, inclusive at both ends. */
export interface HashRange {
  readonly start: bigint;
  readonly end: bigint;
}

/**
 * The inclusive hash key range of a shard as integers.
 * @param shard - a shard from ListShards
 */
export function hashRangeOf(shard: Shard): HashRange {
  const range = shard.HashKeyRange;
  if (range?.StartingHashKey === undefined || range.EndingHashKey === undefined) {
    throw new HarnessError('ERR_UNEXPECTED_RESPONSE', `Shard ${String(shard.ShardId)} has no hash key range.`);
  }
  return { start: BigInt(range.StartingHashKey), end: BigInt(range.EndingHashKey) };
}

/** One record as stored by the emulator. */
export interface StoredRecord {
  readonly shardId: string;
  readonly sequenceNumber: string;
  readonly partitionKey: string;
  /** Kinesis does not return explicit hash keys on reads; kinesis-mock neither, so this stays undefined. */
  readonly explicitHashKey?: string;
  readonly data: Uint8Array;
}

/**
 * Every record stored in every shard of a stream (open and closed), in shard order then
 * sequence order: TRIM_HORIZON, then NextShardIterator until the shard is closed and drained or
 * an empty page shows it is caught up.
 * @param client - a client from {@link createKinesisClient}
 * @param streamName - the stream
 */
export async function readAllRecords(client: KinesisClient, streamName: string): Promise<StoredRecord[]> {
  const records: StoredRecord[] = [];
  for (const shard of await listAllShards(client, streamName)) {
    const shardId = shard.ShardId;
    if (shardId === undefined) throw new HarnessError('ERR_UNEXPECTED_RESPONSE', `ListShards returned a shard without ShardId for ${streamName}.`);
    const start = await client.send(new GetShardIteratorCommand({ StreamName: streamName, ShardId: shardId, ShardIteratorType: 'TRIM_HORIZON' }));
    let iterator = start.ShardIterator;
    while (iterator !== undefined) {
      const page = await client.send(new GetRecordsCommand({ ShardIterator: iterator, Limit: 10_000 }));
      for (const record of page.Records ?? []) {
        if (record.SequenceNumber === undefined || record.PartitionKey === undefined || record.Data === undefined) {
          throw new HarnessError('ERR_UNEXPECTED_RESPONSE', `GetRecords returned an incomplete record on ${shardId} of ${streamName}.`);
        }
        records.push({ shardId, sequenceNumber: record.SequenceNumber, partitionKey: record.PartitionKey, data: record.Data });
      }
      const caughtUp = (page.Records ?? []).length === 0 && (page.MillisBehindLatest ?? 0) === 0;
      iterator = caughtUp ? undefined : page.NextShardIterator;
    }
  }
  return records;
}
