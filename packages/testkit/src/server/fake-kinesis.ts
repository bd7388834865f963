import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Clock } from '../clock/clock.js';
import { resolveFakeKinesisConfig, type CreateStreamOptions, type FakeKinesisConfig, type FakeKinesisOptions } from '../config/options.js';
import { KinesisServiceError, TestkitNotFoundError, TestkitOptionsError, TestkitStateError } from '../errors.js';
import { FaultController } from '../faults/fault-controller.js';
import { createLedger, resetLedger, snapshotCounters, type CountersSnapshot, type Ledger } from '../ledger/ledger.js';
import { RequestCounters } from '../ledger/request-counters.js';
import { matchesExplicitHashKeyPattern, parseHashKey } from '../model/hash-key.js';
import { StreamRegistry } from '../model/registry.js';
import { mergeShards, splitShard, updateShardCount } from '../model/resharding.js';
import type { Stream } from '../model/stream.js';
import { streamSpecOf } from '../operations/streams.js';
import { createRequestHandler, type RequestHandler } from './request-handler.js';
import { shardInfo, streamInfo, type ShardInfo, type StreamInfo } from './stream-info.js';

/** Client settings that point an SDK `KinesisClient` at the fake (any credentials are accepted). */
export interface FakeKinesisClientConfig {
  /** `http://host:port` of the fake. */
  endpoint: string;
  /** The fake's region (`us-east-1` unless configured). */
  region: string;
  /** Dummy credentials (`fake` / `fake`); the fake does not check signatures. */
  credentials: {
    /** Always `fake`. */
    accessKeyId: string;
    /** Always `fake`. */
    secretAccessKey: string;
  };
}

/** A running fake Kinesis. */
export interface FakeKinesis {
  /** `http://host:port`, for `new KinesisClient({ endpoint })`. */
  readonly endpoint: string;
  /** The port the fake listens on (the one picked when `port: 0`). */
  readonly port: number;
  /** The region used in stream ARNs. @defaultValue `'us-east-1'` */
  readonly region: string;
  /** The 12-digit account ID used in ARNs and messages. @defaultValue `'000000000000'` */
  readonly accountId: string;
  /** The clock the server uses (the injected one, or the system clock). */
  readonly clock: Clock;
  /** Fault injection: `script(...)`, `rate(...)`, `clear()`, `reseed(...)`, `activeRules`. */
  readonly faults: FaultController;
  /** What was stored. */
  readonly ledger: Ledger;
  /** Endpoint, region and dummy credentials for a `KinesisClient`. */
  clientConfig(): FakeKinesisClientConfig;
  /** Copy of every counter. */
  counters(): CountersSnapshot;
  /** Forgets stored records and counters (streams, shards, limits and fault rules stay). */
  reset(): void;
  /** Creates a stream, ACTIVE at once. Throws `TestkitOptionsError` for a taken name or invalid options. */
  createStream(options: CreateStreamOptions): StreamInfo;
  /** Deletes a live stream at once. Throws `TestkitNotFoundError` when there is none of that name. */
  deleteStream(streamName: string): void;
  /** The live stream of this name, or undefined. */
  stream(streamName: string): StreamInfo | undefined;
  /** Live streams in creation order. */
  streams(): StreamInfo[];
  /** Splits an open shard at `newStartingHashKey` (decimal; default: the middle of its range). */
  splitShard(streamName: string, shardId: string, newStartingHashKey?: string): [ShardInfo, ShardInfo];
  /** Merges two adjacent open shards. */
  mergeShards(streamName: string, shardId: string, adjacentShardId: string): ShardInfo;
  /** Uniform scaling to `targetShardCount` open shards (half to double the current count). */
  updateShardCount(streamName: string, targetShardCount: number): StreamInfo;
  /**
   * Turns the shard limits on or off: for one stream, or server-wide (which also drops every
   * per-stream override).
   */
  setShardLimitsEnforced(enabled: boolean, streamName?: string): void;
  /** Stops listening, destroys open connections and hung requests. Idempotent. */
  close(): Promise<void>;
}

/** Whether shard limits apply: the server-wide switch, unless a stream overrides it. */
class LimitsSwitch {
  constructor(public byDefault: boolean) {}

  enforced(stream: Stream): boolean {
    return stream.enforceShardLimits ?? this.byDefault;
  }
}

class RunningFakeKinesis implements FakeKinesis {
  readonly faults: FaultController;
  readonly ledger: Ledger;
  readonly endpoint: string;
  private readonly registry: StreamRegistry;
  private readonly requests: RequestCounters;
  private readonly limitsSwitch: LimitsSwitch;
  private closing: Promise<void> | undefined;

  constructor(
    private readonly config: FakeKinesisConfig,
    private readonly server: Server,
    private readonly handler: RequestHandler,
    registry: StreamRegistry,
    faults: FaultController,
    requests: RequestCounters,
    limitsSwitch: LimitsSwitch,
    readonly port: number,
  ) {
    this.limitsSwitch = limitsSwitch;
    this.registry = registry;
    this.requests = requests;
    this.faults = faults;
    this.ledger = createLedger(registry);
    const host = config.host.includes(':') ? `[${config.host}]` : config.host;
    this.endpoint = `http://${host}:${port}`;
  }

  get region(): string {
    return this.config.region;
  }

  get accountId(): string {
    return this.config.accountId;
  }

  get clock(): Clock {
    return this.config.clock;
  }

  limitsEnforced(stream: Stream): boolean {
    return this.limitsSwitch.enforced(stream);
  }

  clientConfig(): FakeKinesisClientConfig {
    return { endpoint: this.endpoint, region: this.config.region, credentials: { accessKeyId: 'fake', secretAccessKey: 'fake' } };
  }

  counters(): CountersSnapshot {
    return snapshotCounters(this.registry, this.requests);
  }

  reset(): void {
    resetLedger(this.registry, this.requests);
  }

  createStream(options: CreateStreamOptions): StreamInfo {
    this.assertOpen();
    const stream = programmatic(() =>
      this.registry.create(
        streamSpecOf(
          {
            name: options.streamName,
            shardCount: options.shardCount,
            mode: options.mode,
            maxRecordSizeInKiB: options.maxRecordSizeInKiB,
            recordDistributionStrategy: options.recordDistributionStrategy,
            enforceShardLimits: options.enforceShardLimits,
          },
          this.config,
        ),
      ),
    );
    return streamInfo(stream, this.limitsEnforced(stream));
  }

  deleteStream(streamName: string): void {
    this.registry.delete(this.live(streamName));
  }

  stream(streamName: string): StreamInfo | undefined {
    const stream = this.registry.byName(streamName);
    return stream === undefined ? undefined : streamInfo(stream, this.limitsEnforced(stream));
  }

  streams(): StreamInfo[] {
    return this.registry.liveStreams().map((stream) => streamInfo(stream, this.limitsEnforced(stream)));
  }

  splitShard(streamName: string, shardId: string, newStartingHashKey?: string): [ShardInfo, ShardInfo] {
    const stream = this.live(streamName);
    let key: bigint;
    if (newStartingHashKey === undefined) {
      const shard = stream.shardById(shardId);
      if (shard === undefined) throw new TestkitNotFoundError(`shardId ${shardId} does not exist in stream ${streamName}`);
      key = (shard.startingHashKey + shard.endingHashKey + 1n) / 2n;
    } else {
      const parsed = matchesExplicitHashKeyPattern(newStartingHashKey) ? parseHashKey(newStartingHashKey) : undefined;
      if (parsed === undefined) throw new TestkitOptionsError(`newStartingHashKey must be a decimal between 0 and 2^128-1, received ${newStartingHashKey}`);
      key = parsed;
    }
    const [low, high] = programmatic(() => splitShard(stream, shardId, key, this.config.clock.now()));
    return [shardInfo(stream, low), shardInfo(stream, high)];
  }

  mergeShards(streamName: string, shardId: string, adjacentShardId: string): ShardInfo {
    const stream = this.live(streamName);
    return shardInfo(stream, programmatic(() => mergeShards(stream, shardId, adjacentShardId, this.config.clock.now())));
  }

  updateShardCount(streamName: string, targetShardCount: number): StreamInfo {
    const stream = this.live(streamName);
    programmatic(() => updateShardCount(stream, targetShardCount, this.config.clock.now()));
    return streamInfo(stream, this.limitsEnforced(stream));
  }

  setShardLimitsEnforced(enabled: boolean, streamName?: string): void {
    if (typeof enabled !== 'boolean') throw new TestkitOptionsError(`enabled must be a boolean, received ${String(enabled)}`);
    if (streamName !== undefined) {
      this.live(streamName).enforceShardLimits = enabled;
      return;
    }
    this.limitsSwitch.byDefault = enabled;
    for (const stream of this.registry.allStreams()) stream.enforceShardLimits = undefined;
  }

  close(): Promise<void> {
    this.closing ??= new Promise<void>((resolve) => {
      this.handler.abortPending();
      this.server.close(() => resolve());
      this.server.closeAllConnections();
    });
    return this.closing;
  }

  private live(streamName: string): Stream {
    const stream = this.registry.byName(streamName);
    if (stream === undefined) throw new TestkitNotFoundError(`streamName ${JSON.stringify(streamName)} is not a live stream of this fake`);
    return stream;
  }

  private assertOpen(): void {
    if (this.closing !== undefined) throw new TestkitStateError('the fake Kinesis is closed');
  }
}

/** Runs a model call for the programmatic API, turning service errors into testkit errors. */
function programmatic<T>(call: () => T): T {
  try {
    return call();
  } catch (error) {
    if (!(error instanceof KinesisServiceError)) throw error;
    if (error.errorType === 'ResourceNotFoundException') throw new TestkitNotFoundError(error.message);
    throw new TestkitOptionsError(`${error.errorType}: ${error.message}`);
  }
}

/**
 * Starts a fake Kinesis on a loopback port: a real `KinesisClient` (awsJson1_1 over HTTP/1.1)
 * talks to it unchanged. Streams in `streams` are created before it resolves.
 */
export async function startFakeKinesis(options: FakeKinesisOptions = {}): Promise<FakeKinesis> {
  const config = resolveFakeKinesisConfig(options);
  const registry = new StreamRegistry(config);
  const faults = new FaultController(config.seed);
  const requests = new RequestCounters();
  const limitsSwitch = new LimitsSwitch(config.enforceShardLimits);
  const handler = createRequestHandler({ config, registry, faults, requests, limitsEnforced: (stream) => limitsSwitch.enforced(stream) });
  const server = createServer({ keepAlive: true, keepAliveTimeout: 60_000, requestTimeout: 0, headersTimeout: 60_000 }, handler.listener);
  server.keepAliveTimeout = 60_000;
  server.on('clientError', (_error, socket) => socket.destroy());
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.port, config.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const fake = new RunningFakeKinesis(config, server, handler, registry, faults, requests, limitsSwitch, (server.address() as AddressInfo).port);
  try {
    for (const stream of options.streams ?? []) fake.createStream(stream);
  } catch (error) {
    await fake.close();
    throw error;
  }
  return fake;
}
