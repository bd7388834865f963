import { Agent as HttpAgent } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import {
  DescribeStreamSummaryCommand,
  KinesisClient,
  ListShardsCommand,
  PutRecordsCommand,
  ShardFilterType,
  type KinesisClientConfig,
  type PutRecordsRequestEntry,
} from '@aws-sdk/client-kinesis';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import type { KinesisRecordEntry } from '@tskpl/agg-codec';
import { ConfigError } from '../errors/errors.js';
import { BodyBufferPool, putRecordsBody, type PutRecordsBodyInput } from './put-records-body.js';
import type { KinesisTransport, ListShardsPage, ListShardsRequest, PutRecordsOptions, PutRecordsResponse, StreamRef, StreamSummary } from './transport.js';

/** Settings of the default transport. */
export interface SdkTransportOptions {
  /** AWS region of the client, e.g. `us-east-1`; undefined for the SDK's default chain. */
  readonly region?: string;
  /** Endpoint URL of the client; undefined for the region's public Kinesis endpoint. */
  readonly endpoint?: string;
  /** Credential identity or provider of the client; undefined for the SDK's default chain. */
  readonly credentials?: KinesisClientConfig['credentials'];
  /** A ready client; region, endpoint and credentials are then not used, and the client is not destroyed by the producer. */
  readonly kinesisClient?: KinesisClient;
  /** Sockets per HTTP(S) agent (keep-alive), i.e. requests in flight at most. */
  readonly maxConnections: number;
  /** Time a request may take before the handler fails it, ms. */
  readonly requestTimeoutMs: number;
  /** Time a connection attempt may take, ms. */
  readonly connectTimeoutMs: number;
  /**
   * Who writes the PutRecords request body. `'tskpl'` (the default) writes the same JSON bytes as
   * the SDK with native base64; the SDK still resolves the endpoint and credentials, signs, sends
   * and parses the response. `'sdk'` leaves the body to the SDK's own serializer.
   */
  readonly putRecordsSerializer?: 'tskpl' | 'sdk';
}

/**
 * The default transport over `@aws-sdk/client-kinesis`: SDK retries off (`maxAttempts: 1`, the
 * producer owns retries and reports every attempt) and an HTTP/1.1 keep-alive handler sized by
 * `maxConnections`.
 */
export function createSdkTransport(options: SdkTransportOptions): KinesisTransport {
  const ownsClient = options.kinesisClient === undefined;
  const client = options.kinesisClient ?? new KinesisClient({
    ...(options.region === undefined ? {} : { region: options.region }),
    ...(options.endpoint === undefined ? {} : { endpoint: options.endpoint }),
    ...(options.credentials === undefined ? {} : { credentials: options.credentials }),
    maxAttempts: 1,
    requestHandler: new NodeHttpHandler({
      httpAgent: new HttpAgent({ keepAlive: true, maxSockets: options.maxConnections }),
      httpsAgent: new HttpsAgent({ keepAlive: true, maxSockets: options.maxConnections }),
      requestTimeout: options.requestTimeoutMs,
      // Without this the handler only logs a timed-out request and keeps waiting.
      throwOnRequestTimeout: true,
      connectionTimeout: options.connectTimeoutMs,
    }),
  });

  const serializer = options.putRecordsSerializer;
  if (serializer !== undefined && serializer !== 'tskpl' && serializer !== 'sdk') {
    throw new ConfigError('putRecordsSerializer', serializer, "'tskpl' or 'sdk'");
  }
  const ownBody = serializer !== 'sdk';
  // Only over the handler built here is it known that a settled request no longer reads its body.
  const pool = ownBody && ownsClient ? new BodyBufferPool() : undefined;

  return {
    async putRecords(stream: StreamRef, entries: readonly KinesisRecordEntry[], callOptions?: PutRecordsOptions): Promise<PutRecordsResponse> {
      const records: PutRecordsRequestEntry[] = new Array(entries.length);
      for (let i = 0; i < entries.length; i++) {
        const entry = entries[i]!;
        records[i] = { Data: entry.data, PartitionKey: entry.partitionKey, ExplicitHashKey: entry.explicitHashKey };
      }
      const command = new PutRecordsCommand({ ...streamParameters(stream), Records: records });
      if (ownBody) writeOwnBody(command, pool, callOptions?.onBodyWritten);
      let output;
      try {
        output = await (callOptions?.signal === undefined ? client.send(command) : client.send(command, { abortSignal: callOptions.signal }));
      } catch (error) {
        // The request may still be writing its body (an abort, a timeout): leave it to the GC.
        if (ownBody) forgetOwnBody(command.input);
        throw error;
      }
      const body = ownBody ? forgetOwnBody(command.input) : undefined;
      // One result per entry: the service parsed the whole body before answering, so no socket
      // still reads it (see BodyBufferPool).
      if (body !== undefined && pool !== undefined && output.Records?.length === entries.length) pool.give(body);
      const results = output.Records ?? [];
      return {
        failedRecordCount: output.FailedRecordCount ?? 0,
        records: results.map((entry) => ({
          ...(entry.SequenceNumber === undefined ? {} : { sequenceNumber: entry.SequenceNumber }),
          ...(entry.ShardId === undefined ? {} : { shardId: entry.ShardId }),
          ...(entry.ErrorCode === undefined ? {} : { errorCode: entry.ErrorCode }),
          ...(entry.ErrorMessage === undefined ? {} : { errorMessage: entry.ErrorMessage }),
        })),
      };
    },

    async listShards(request: ListShardsRequest): Promise<ListShardsPage> {
      const input = request.nextToken === undefined
        ? { ...streamParameters(request.stream), MaxResults: request.maxResults, ShardFilter: { Type: ShardFilterType.AT_LATEST } }
        : { NextToken: request.nextToken, MaxResults: request.maxResults };
      const output = await client.send(new ListShardsCommand(input));
      return {
        ...(output.NextToken ? { nextToken: output.NextToken } : {}),
        shards: (output.Shards ?? []).map((shard) => ({
          shardId: shard.ShardId ?? '',
          startingHashKey: shard.HashKeyRange?.StartingHashKey ?? '0',
          endingHashKey: shard.HashKeyRange?.EndingHashKey ?? '0',
          ...(shard.ParentShardId ? { parentShardId: shard.ParentShardId } : {}),
          ...(shard.AdjacentParentShardId ? { adjacentParentShardId: shard.AdjacentParentShardId } : {}),
        })),
      };
    },

    async describeStreamSummary(stream: StreamRef): Promise<StreamSummary> {
      const output = await client.send(new DescribeStreamSummaryCommand(streamParameters(stream)));
      const description = output.StreamDescriptionSummary as (typeof output.StreamDescriptionSummary & {
        MaxRecordSizeInKiB?: number;
        StreamModeDetails?: { StreamMode?: string; RecordDistributionStrategy?: string };
      }) | undefined;
      return {
        ...(description?.StreamName ? { streamName: description.StreamName } : {}),
        ...(description?.StreamARN ? { streamARN: description.StreamARN } : {}),
        ...(description?.StreamStatus ? { streamStatus: description.StreamStatus } : {}),
        ...(typeof description?.MaxRecordSizeInKiB === 'number' ? { maxRecordSizeInKiB: description.MaxRecordSizeInKiB } : {}),
        ...(description?.StreamModeDetails?.StreamMode ? { streamMode: description.StreamModeDetails.StreamMode } : {}),
        ...(description?.StreamModeDetails?.RecordDistributionStrategy
          ? { recordDistributionStrategy: description.StreamModeDetails.RecordDistributionStrategy }
          : {}),
      };
    },

    destroy() {
      pool?.clear();
      if (ownsClient) client.destroy();
    },
  };
}

/**
 * Inputs whose body tskpl writes: the pool to take the body's buffer from, and the body once
 * written. Keyed by object, never held in a middleware's closure: a client created with
 * `cacheMiddleware: true` reuses the first command's middleware for every later command of the
 * same class. `putRecords` deletes the entry once its request settled, because the SDK may keep a
 * command reachable (its cached handlers, a memoized credential or config promise).
 */
const ownBodies = new WeakMap<object, OwnBody>();

/** What the transport keeps per request whose body it writes. */
interface OwnBody {
  /** Set only on a client the transport built, where no user middleware reads the command's input. */
  readonly pool: BodyBufferPool | undefined;
  body: Uint8Array | undefined;
  /** Tells the producer the body is written ({@link PutRecordsOptions.onBodyWritten}). */
  readonly onBodyWritten: (() => void) | undefined;
}
/**
 * The body rides on the slimmed input under a symbol: an enumerable own property, so a
 * middleware that copies the input with `{ ...args.input }` carries it along.
 */
const PREPARED_BODY = Symbol('tskpl.putRecordsBody');

/**
 * Makes the SDK send `command` with tskpl's body: before serialization the input's `Records` are
 * swapped for an empty list (so the SDK's serializer has no data to encode) and the body is written
 * from the real records; after serialization, before the content length is set and the request
 * signed, the body replaces the SDK's. `command.input` itself is untouched, so a mocked client
 * (`aws-sdk-client-mock`) still sees every record; middleware that runs between the two steps
 * (serialize, and build at normal priority) sees an empty `Records`.
 */
function writeOwnBody(command: PutRecordsCommand, pool: BodyBufferPool | undefined, onBodyWritten: (() => void) | undefined): void {
  ownBodies.set(command.input, { pool, body: undefined, onBodyWritten });
  const stack = command.middlewareStack as unknown as MiddlewareAdder;
  stack.add(slimInput, { step: 'initialize', name: 'tskplPutRecordsSlimInput' });
  stack.add(replaceBody, { step: 'build', priority: 'high', name: 'tskplPutRecordsBody' });
}

/** Forgets `input` once its request settled; returns the body written for it, if any. */
function forgetOwnBody(input: object): Uint8Array | undefined {
  const body = ownBodies.get(input)?.body;
  ownBodies.delete(input);
  return body;
}

interface MiddlewareArgs {
  readonly input: object;
  readonly request?: { body?: unknown; headers?: Record<string, string> };
}
type Handler = (args: MiddlewareArgs) => Promise<unknown>;
type Middleware = (next: Handler) => Handler;
interface MiddlewareAdder {
  add(middleware: Middleware, options: { step: 'initialize' | 'build'; priority?: 'high'; name: string }): void;
}

const slimInput: Middleware = (next) => (args) => {
  const own = ownBodies.get(args.input);
  if (own === undefined) return next(args);
  const input = args.input as PutRecordsBodyInput;
  const body = putRecordsBody(input, own.pool);
  own.body = body;
  const slimmed = { ...input, Records: [], [PREPARED_BODY]: body };
  // The body holds the records now. On a client built here no other middleware reads the
  // command's input, so its records let go of the bytes; the producer drops its own references.
  if (own.pool !== undefined) (input.Records as unknown[]).length = 0;
  own.onBodyWritten?.();
  return next({ ...args, input: slimmed });
};

const replaceBody: Middleware = (next) => (args) => {
  const body = (args.input as { [PREPARED_BODY]?: Uint8Array })[PREPARED_BODY];
  const request = args.request;
  if (body !== undefined) {
    // Sending the slimmed input's empty Records would fail every entry; refuse instead.
    if (request?.headers === undefined) throw new Error('tskpl: the SDK built no HTTP request to put the PutRecords body in');
    request.body = body;
    request.headers['content-length'] = String(body.byteLength);
  }
  return next(args);
};

function streamParameters(stream: StreamRef): { StreamName?: string; StreamARN?: string } {
  return stream.streamARN ? { StreamARN: stream.streamARN } : { StreamName: stream.streamName ?? '' };
}
