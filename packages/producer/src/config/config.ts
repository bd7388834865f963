/**
 * Producer options (user input, all optional, the KPL's names and defaults) and the frozen,
 * validated configuration the stages read. `resolveProducerConfig` is the only validator.
 */
import type { KinesisClient, KinesisClientConfig } from '@aws-sdk/client-kinesis';
import type { Clock } from '../clock/clock.js';
import { systemClock } from '../clock/clock.js';
import { ConfigError } from '../errors/errors.js';
import type { MetricsGranularity, MetricsLevel, MetricsSink } from '../metrics/sink.js';
import type { KinesisTransport } from '../transport/transport.js';
import { consoleLogger, type Logger } from './logger.js';

/** Options of `new Producer()`. Every option is optional; defaults are the KPL's. */
export interface ProducerOptions {
  /** AWS region of the Kinesis endpoint, e.g. `us-east-1`. Ignored when `kinesisClient` is given. */
  region?: string;
  /** Kinesis endpoint URL, e.g. `http://127.0.0.1:4567`. Ignored when `kinesisClient` is given. */
  endpoint?: string;
  /** SDK credential identity or provider. Ignored when `kinesisClient` is given. */
  credentials?: KinesisClientConfig['credentials'];
  /** A ready `KinesisClient`; the producer does not destroy it. Give it `maxAttempts: 1` so every attempt is the producer's. */
  kinesisClient?: KinesisClient;
  /** A custom transport (tests, proxies). Takes precedence over `kinesisClient`. */
  transport?: KinesisTransport;
  /** Pack user records into KPL aggregates. @defaultValue true */
  aggregationEnabled?: boolean;
  /** Maximum user records per aggregate. @defaultValue 4294967295 */
  aggregationMaxCount?: number;
  /**
   * Maximum bytes per aggregate (exact serialized size), 64 … 10485760; capped by the stream's
   * maximum record size. @defaultValue 51200, or {@link ORDERED_AGGREGATION_MAX_SIZE} with `ordering: 'shard'`
   */
  aggregationMaxSize?: number;
  /** Maximum Kinesis records per PutRecords request, 1 … 500. @defaultValue 500 */
  collectionMaxCount?: number;
  /** Maximum PutRecords payload in bytes (Σ partition key + data), 52224 … 10485760. @defaultValue 5242880 */
  collectionMaxSize?: number;
  /** How long a record may wait to be batched, in milliseconds. @defaultValue 100 */
  recordMaxBufferedTimeMs?: number;
  /** How long a record may take, retries included, before it fails with `Expired`, in milliseconds. @defaultValue 30000 */
  recordTtlMs?: number;
  /** Maximum user data bytes per record (partition key not counted), 64 … 10485760. @defaultValue 1048576 */
  maxUserRecordSize?: number;
  /** Per-shard send rate as a percentage of the shard limits (1000 records/s, 1 MiB/s). @defaultValue 150 */
  rateLimit?: number;
  /** Fail records throttled by Kinesis instead of retrying them. @defaultValue false */
  failIfThrottled?: boolean;
  /**
   * `'shard'`: records predicted to the same shard (so every record of one partition key) are
   * stored in the order of their `putRecord` calls, across retries, throttling, lost responses
   * and resharding. Each shard then has at most one Kinesis record in flight, and a failed one is
   * re-sent before anything later for its shard; a record that fails or expires leaves a gap,
   * never a reordering, and a lost response can only repeat that Kinesis record right after
   * itself. See "Ordered delivery" in the @tskpl/producer README for what it costs.
   * `'none'`: no ordering guarantee (the KPL's behaviour). @defaultValue 'none'
   */
  ordering?: Ordering;
  /** Maximum PutRecords requests in flight (and HTTP connections), 1 … 256. @defaultValue 24 */
  maxConnections?: number;
  /** Request timeout in milliseconds, 100 … 600000. @defaultValue 6000 */
  requestTimeoutMs?: number;
  /** Connect timeout in milliseconds, 100 … 300000. @defaultValue 6000 */
  connectTimeoutMs?: number;
  /** Records put but without an outcome before `putRecord` waits (backpressure). @defaultValue 100000 */
  maxOutstandingRecords?: number;
  /** Bytes (data + partition key) put but without an outcome before `putRecord` waits. @defaultValue 268435456 (256 MiB) */
  maxOutstandingBytes?: number;
  /** Attempts kept per record: the first half and the last half; the count of dropped ones is reported. @defaultValue 32 */
  maxAttemptHistory?: number;
  /** A stream with no record outstanding for this long releases its pipeline, shard map and limiter, in milliseconds, 1000 … 2147483647. @defaultValue 300000 (5 minutes) */
  streamIdleTimeoutMs?: number;
  /** Which metrics are recorded. @defaultValue 'detailed' */
  metricsLevel?: MetricsLevel;
  /** The finest dimension metrics are exported with. @defaultValue 'shard' */
  metricsGranularity?: MetricsGranularity;
  /** How often metrics are exported to the sink, in milliseconds, 1 … 60000. @defaultValue 60000 */
  metricsUploadDelayMs?: number;
  /** Where metrics go; without one, `getMetrics()` still works locally. */
  metricsSink?: MetricsSink;
  /** Where warnings and errors go. @defaultValue warnings and errors to the console */
  logger?: Logger;
  /** Time, timers and randomness; tests inject a fake. @defaultValue the system clock */
  clock?: Clock;
}

/** The validated, frozen configuration. */
export interface ProducerConfig {
  /** `region` as given; undefined leaves it to the SDK's default chain (`AWS_REGION`, profile). */
  readonly region: string | undefined;
  /** `endpoint` as given; undefined for the region's public Kinesis endpoint. */
  readonly endpoint: string | undefined;
  /** `credentials` as given; undefined for the SDK's default credential chain. */
  readonly credentials: KinesisClientConfig['credentials'] | undefined;
  /** `kinesisClient` as given; the producer never destroys it. */
  readonly kinesisClient: KinesisClient | undefined;
  /** `transport` as given; undefined means the default transport over `@aws-sdk/client-kinesis`. */
  readonly transport: KinesisTransport | undefined;
  /** Whether user records are packed into KPL aggregates (default true). */
  readonly aggregationEnabled: boolean;
  /** User records per aggregate at most, ≥ 1 (default 4294967295). */
  readonly aggregationMaxCount: number;
  /** Serialized bytes per aggregate at most, 64 … 10485760 (default 51200). */
  readonly aggregationMaxSize: number;
  /** Kinesis records per PutRecords request at most, 1 … 500 (default 500). */
  readonly collectionMaxCount: number;
  /** PutRecords payload bytes (Σ partition key + data) at most, 52224 … 10485760 (default 5242880). */
  readonly collectionMaxSize: number;
  /** How long a record may wait to be batched, ms, 0 … 2147483647 (default 100). */
  readonly recordMaxBufferedTimeMs: number;
  /** How long a record may take, retries included, before it fails with `Expired`, ms, 100 … 2147483647 (default 30000). */
  readonly recordTtlMs: number;
  /** User data bytes per record at most (partition key not counted), 64 … 10485760 (default 1048576). */
  readonly maxUserRecordSize: number;
  /** Per-shard send rate as a percentage of the shard limits, 1 … 100000 (default 150). */
  readonly rateLimit: number;
  /** Whether throttled records fail at once instead of being retried (default false). */
  readonly failIfThrottled: boolean;
  /** Whether records of one shard are stored in `putRecord` order (`'shard'`) or not (`'none'`, the default). */
  readonly ordering: Ordering;
  /** PutRecords requests in flight (and HTTP connections) at most, 1 … 256 (default 24). */
  readonly maxConnections: number;
  /** Timeout of one request, ms, 100 … 600000 (default 6000). */
  readonly requestTimeoutMs: number;
  /** Timeout of one connection attempt, ms, 100 … 300000 (default 6000). */
  readonly connectTimeoutMs: number;
  /** Records without an outcome before `putRecord` waits, 1 … 100000000 (default 100000). */
  readonly maxOutstandingRecords: number;
  /** Bytes (data + partition key) without an outcome before `putRecord` waits, ≥ 1048576 (default 268435456). */
  readonly maxOutstandingBytes: number;
  /** Attempts kept per record result, 2 … 10000 (default 32). */
  readonly maxAttemptHistory: number;
  /** Idle time after which a stream's pipeline is released, ms, 1000 … 2147483647 (default 300000). */
  readonly streamIdleTimeoutMs: number;
  /** Which metrics are recorded (default `'detailed'`). */
  readonly metricsLevel: MetricsLevel;
  /** The finest dimension metrics are exported with (default `'shard'`). */
  readonly metricsGranularity: MetricsGranularity;
  /** Interval between metric exports, ms, 1 … 60000 (default 60000). */
  readonly metricsUploadDelayMs: number;
  /** `metricsSink` as given; undefined when metrics are only read locally through `getMetrics()`. */
  readonly metricsSink: MetricsSink | undefined;
  /** The logger in use: the one given, or the console logger (warnings and errors only). */
  readonly logger: Logger;
  /** The clock in use: the one given, or the system clock. */
  readonly clock: Clock;
}

/** What `ordering` accepts: `'none'` (no order guarantee, the default) or `'shard'` (per-shard `putRecord` order). */
export type Ordering = 'none' | 'shard';

/**
 * Default `aggregationMaxSize` with `ordering: 'shard'`. One Kinesis record per shard is in
 * flight, so a shard carries at most one aggregate per round trip: 256 KiB per aggregate carries
 * its 1 MiB/s up to round trips of about 250 ms. Measured with the bench's `ordering` scenario
 * (4 shards, limits on, 100 B records, +50 ms on every PutRecords answer): 51 200 B (the
 * unordered default) reached 78 % of capacity, 131 072 B 99 %, 262 144 B 100 %, 524 288 B 97.5 %.
 */
export const ORDERED_AGGREGATION_MAX_SIZE = 262_144;

/** Largest timer delay Node honours (2^31 − 1 ms, about 24.8 days). */
export const MAX_TIMER_MS = 2_147_483_647;

const REGION_PATTERN = /^[a-z]{2,}(-[a-z]+)+-\d+$/;

/** Validates every option and fills in the KPL's defaults. Throws {@link ConfigError}. */
export function resolveProducerConfig(options: ProducerOptions = {}): ProducerConfig {
  if (typeof options !== 'object' || options === null) throw new ConfigError('options', options, 'an object');
  for (const name of Object.keys(options)) {
    if (!OPTION_NAMES.has(name)) {
      const hint = suggestionFor(name);
      throw new ConfigError(name, (options as Record<string, unknown>)[name], 'a known option name', `Unknown option ${name}${hint}; see the options table in the @tskpl/producer README.`);
    }
  }
  const region = optionalString(options, 'region');
  if (region !== undefined && !REGION_PATTERN.test(region)) throw new ConfigError('region', region, 'an AWS region such as "us-east-1"');
  const endpoint = optionalString(options, 'endpoint');
  if (endpoint !== undefined && !/^https?:\/\/[^\s/]+/.test(endpoint)) {
    throw new ConfigError('endpoint', endpoint, 'an http:// or https:// URL such as "https://kinesis.us-east-1.amazonaws.com"');
  }
  const kinesisClient = options.kinesisClient;
  if (kinesisClient !== undefined && (typeof kinesisClient !== 'object' || typeof (kinesisClient as { send?: unknown }).send !== 'function')) {
    throw new ConfigError('kinesisClient', kinesisClient, 'a KinesisClient from @aws-sdk/client-kinesis');
  }
  const transport = options.transport;
  if (transport !== undefined && (typeof transport !== 'object' || typeof transport.putRecords !== 'function')) {
    throw new ConfigError('transport', transport, 'an object implementing KinesisTransport');
  }
  const metricsSink = options.metricsSink;
  if (metricsSink !== undefined && (typeof metricsSink !== 'object' || metricsSink === null || typeof metricsSink.export !== 'function')) {
    throw new ConfigError('metricsSink', metricsSink, 'an object with an export(batch) method (a MetricsSink)');
  }
  const logger = options.logger ?? consoleLogger;
  if (typeof logger !== 'object' || typeof logger.warn !== 'function' || typeof logger.error !== 'function') {
    throw new ConfigError('logger', logger, 'an object with warn() and error() methods');
  }
  const clock = options.clock ?? systemClock;
  if (typeof clock !== 'object' || typeof clock.now !== 'function' || typeof clock.setTimer !== 'function') {
    throw new ConfigError('clock', clock, 'a Clock with now(), wallTime(), setTimer() and random()');
  }

  const ordering = oneOf(options, 'ordering', 'none', ['none', 'shard'] as const);
  const config: ProducerConfig = {
    region,
    endpoint,
    credentials: options.credentials,
    kinesisClient,
    transport,
    aggregationEnabled: optionalBoolean(options, 'aggregationEnabled', true),
    aggregationMaxCount: integerIn(options, 'aggregationMaxCount', 4_294_967_295, 1, Number.MAX_SAFE_INTEGER),
    aggregationMaxSize: integerIn(options, 'aggregationMaxSize', ordering === 'shard' ? ORDERED_AGGREGATION_MAX_SIZE : 51_200, 64, 10_485_760),
    collectionMaxCount: integerIn(options, 'collectionMaxCount', 500, 1, 500),
    collectionMaxSize: integerIn(options, 'collectionMaxSize', 5_242_880, 52_224, 10_485_760),
    recordMaxBufferedTimeMs: integerIn(options, 'recordMaxBufferedTimeMs', 100, 0, MAX_TIMER_MS),
    recordTtlMs: integerIn(options, 'recordTtlMs', 30_000, 100, MAX_TIMER_MS),
    maxUserRecordSize: integerIn(options, 'maxUserRecordSize', 1_048_576, 64, 10_485_760),
    rateLimit: integerIn(options, 'rateLimit', 150, 1, 100_000),
    failIfThrottled: optionalBoolean(options, 'failIfThrottled', false),
    ordering,
    maxConnections: integerIn(options, 'maxConnections', 24, 1, 256),
    requestTimeoutMs: integerIn(options, 'requestTimeoutMs', 6_000, 100, 600_000),
    connectTimeoutMs: integerIn(options, 'connectTimeoutMs', 6_000, 100, 300_000),
    maxOutstandingRecords: integerIn(options, 'maxOutstandingRecords', 100_000, 1, 100_000_000),
    maxOutstandingBytes: integerIn(options, 'maxOutstandingBytes', 268_435_456, 1_048_576, Number.MAX_SAFE_INTEGER),
    maxAttemptHistory: integerIn(options, 'maxAttemptHistory', 32, 2, 10_000),
    streamIdleTimeoutMs: integerIn(options, 'streamIdleTimeoutMs', 300_000, 1_000, MAX_TIMER_MS),
    metricsLevel: oneOf(options, 'metricsLevel', 'detailed', ['none', 'summary', 'detailed'] as const),
    metricsGranularity: oneOf(options, 'metricsGranularity', 'shard', ['global', 'stream', 'shard'] as const),
    metricsUploadDelayMs: integerIn(options, 'metricsUploadDelayMs', 60_000, 1, 60_000),
    metricsSink,
    logger,
    clock,
  };
  return Object.freeze(config);
}

/** Every option `new Producer()` takes; anything else is a ConfigError (a misspelt option would otherwise be ignored). */
const OPTION_NAMES: ReadonlySet<string> = new Set<keyof ProducerOptions>([
  'region', 'endpoint', 'credentials', 'kinesisClient', 'transport', 'aggregationEnabled', 'aggregationMaxCount',
  'aggregationMaxSize', 'collectionMaxCount', 'collectionMaxSize', 'recordMaxBufferedTimeMs', 'recordTtlMs',
  'maxUserRecordSize', 'rateLimit', 'failIfThrottled', 'ordering', 'maxConnections', 'requestTimeoutMs', 'connectTimeoutMs',
  'maxOutstandingRecords', 'maxOutstandingBytes', 'maxAttemptHistory', 'streamIdleTimeoutMs', 'metricsLevel', 'metricsGranularity',
  'metricsUploadDelayMs', 'metricsSink', 'logger', 'clock',
]);

/** ` (did you mean "x"?)` for the closest option name, compared without case and a trailing `Ms` (KPL names like `RecordTtl`). */
function suggestionFor(name: string): string {
  const normalise = (value: string): string => value.toLowerCase().replace(/ms$/, '');
  const wanted = normalise(name);
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of OPTION_NAMES) {
    const distance = editDistance(wanted, normalise(candidate));
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return best !== undefined && bestDistance <= Math.max(2, Math.floor(wanted.length / 4)) ? ` (did you mean "${best}"?)` : '';
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, index) => index);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    previous = current;
  }
  return previous[b.length]!;
}

function optionalString(options: ProducerOptions, name: 'region' | 'endpoint'): string | undefined {
  const value = options[name];
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || value.length === 0) throw new ConfigError(name, value, 'a non-empty string');
  return value;
}

function optionalBoolean(options: ProducerOptions, name: 'aggregationEnabled' | 'failIfThrottled', fallback: boolean): boolean {
  const value = options[name];
  if (value === undefined) return fallback;
  if (typeof value !== 'boolean') throw new ConfigError(name, value, 'true or false');
  return value;
}

type IntegerOption = {
  [K in keyof ProducerOptions]-?: NonNullable<ProducerOptions[K]> extends number ? K : never;
}[keyof ProducerOptions];

function integerIn(options: ProducerOptions, name: IntegerOption, fallback: number, min: number, max: number): number {
  const value = options[name];
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw new ConfigError(name, value, `an integer in ${min} … ${max}`);
  }
  return value;
}

function oneOf<T extends string>(options: ProducerOptions, name: 'metricsLevel' | 'metricsGranularity' | 'ordering', fallback: T, allowed: readonly T[]): T {
  const value = options[name] as unknown;
  if (value === undefined) return fallback;
  if (typeof value !== 'string' || !(allowed as readonly string[]).includes(value)) {
    throw new ConfigError(name, value, `one of ${allowed.map((item) => `'${item}'`).join(', ')}`);
  }
  return value as T;
}
