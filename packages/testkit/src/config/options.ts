import { createSystemClock, type Clock } from '../clock/clock.js';
import { TestkitOptionsError } from '../errors.js';

/** Capacity mode of a stream. */
export type StreamMode = 'PROVISIONED' | 'ON_DEMAND';

/** How an on-demand stream places records: by key (default) or ignoring keys (`AUTO`). */
export type RecordDistributionStrategy = 'USER_PARTITION_KEY' | 'AUTO';

/** A stream to create, at start-up (`streams` option) or with `FakeKinesis.createStream`. */
export interface CreateStreamOptions {
  /** The stream's name, unique among the fake's live streams. */
  streamName: string;
  /** Required for PROVISIONED streams (the default mode). */
  shardCount?: number;
  /** @defaultValue `'PROVISIONED'`; ON_DEMAND streams get `onDemandShardCount` shards. */
  mode?: StreamMode;
  /** 1024–10240. @defaultValue the server's `defaultMaxRecordSizeInKiB` */
  maxRecordSizeInKiB?: number;
  /** ON_DEMAND only. @defaultValue `'USER_PARTITION_KEY'` */
  recordDistributionStrategy?: RecordDistributionStrategy;
  /** Overrides the server's `enforceShardLimits` for this stream. */
  enforceShardLimits?: boolean;
}

/** Per-shard write limits, enforced with one token bucket per shard for records and one for bytes. */
export interface ShardLimitsOptions {
  /**
   * Records accepted per second per shard.
   * @defaultValue 1000 (the Kinesis limit)
   */
  recordsPerSecond?: number;
  /**
   * Bytes (data + partition key) accepted per second per shard.
   * @defaultValue 1048576 (1 MiB, the Kinesis limit)
   */
  bytesPerSecond?: number;
  /**
   * Burst allowance, in seconds of rate: each bucket holds at most `rate × burstSeconds` tokens and
   * starts full. With the default a shard idle for a second takes 1000 records (1 MiB) at once,
   * then 1000 records/s (1 MiB/s) sustained.
   * @defaultValue 1
   */
  burstSeconds?: number;
}

/** Options of {@link startFakeKinesis}; all optional. */
export interface FakeKinesisOptions {
  /** Interface to listen on. @defaultValue `'127.0.0.1'` */
  host?: string;
  /** Port to listen on; 0 picks a free port. @defaultValue 0 */
  port?: number;
  /** Region used in stream ARNs. @defaultValue `'us-east-1'` */
  region?: string;
  /** 12-digit account id used in ARNs and messages. @defaultValue `'000000000000'` */
  accountId?: string;
  /** Time source for limits, timestamps, expiry, latency and hangs. @defaultValue the system clock */
  clock?: Clock;
  /** Seed of the fault injector's PRNG (rate faults, random latency). @defaultValue 1 */
  seed?: number;
  /** Whether per-shard write limits are enforced (each stream can override). @defaultValue true */
  enforceShardLimits?: boolean;
  /** Per-shard write limits. */
  shardLimits?: ShardLimitsOptions;
  /**
   * Largest PutRecords request, counting data + partition key of every entry, in bytes.
   * Between 1 and 10485760 (10 MiB).
   * @defaultValue 5242880 (5 MiB, the Kinesis limit)
   */
  maxRequestBytes?: number;
  /** Max record size (KiB) of streams created without one; 1024–10240. @defaultValue 1024 */
  defaultMaxRecordSizeInKiB?: number;
  /** Shard count of ON_DEMAND streams. @defaultValue 4 */
  onDemandShardCount?: number;
  /**
   * Whether the ledger keeps each record's data. Set it to false for long benchmarks: sizes, keys
   * and sequence numbers are still kept, GetRecords is then refused.
   * @defaultValue true
   */
  retainRecordData?: boolean;
  /**
   * Whether the ledger keeps records at all. Set it to false for soak runs that must keep memory
   * flat: counters are still kept; ledger lookups and GetRecords then find nothing.
   * @defaultValue true
   */
  retainRecords?: boolean;
  /** Streams created before `startFakeKinesis` resolves. */
  streams?: readonly CreateStreamOptions[];
}

/** The validated, frozen form of {@link FakeKinesisOptions}. */
export interface FakeKinesisConfig {
  readonly host: string;
  readonly port: number;
  readonly region: string;
  readonly accountId: string;
  readonly clock: Clock;
  readonly seed: number;
  readonly enforceShardLimits: boolean;
  readonly shardLimits: Readonly<Required<ShardLimitsOptions>>;
  readonly maxRequestBytes: number;
  readonly defaultMaxRecordSizeInKiB: number;
  readonly onDemandShardCount: number;
  readonly retainRecordData: boolean;
  readonly retainRecords: boolean;
}

const MIB = 1024 * 1024;

function checkNumber(name: string, value: unknown, min: number, max: number, integer: boolean): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < min || value > max || (integer && !Number.isInteger(value))) {
    const kind = integer ? 'an integer' : 'a number';
    throw new TestkitOptionsError(`${name} must be ${kind} between ${min} and ${max}, received ${String(value)}`);
  }
  return value;
}

function checkBoolean(name: string, value: unknown): boolean {
  if (typeof value !== 'boolean') throw new TestkitOptionsError(`${name} must be a boolean, received ${String(value)}`);
  return value;
}

function checkString(name: string, value: unknown, pattern: RegExp, allowed: string): string {
  if (typeof value !== 'string' || !pattern.test(value)) {
    throw new TestkitOptionsError(`${name} must be ${allowed}, received ${JSON.stringify(value)}`);
  }
  return value;
}

/** Validates a max record size in KiB (1024–10240), naming the option in the error. */
function checkMaxRecordSizeInKiB(name: string, value: unknown): number {
  return checkNumber(name, value, 1024, 10240, true);
}

/** Validates `options` and returns the frozen config; throws {@link TestkitOptionsError} naming the bad option. */
export function resolveFakeKinesisConfig(options: FakeKinesisOptions = {}): FakeKinesisConfig {
  const limits = options.shardLimits ?? {};
  const clock = options.clock ?? createSystemClock();
  if (typeof clock.now !== 'function' || typeof clock.setTimer !== 'function' || typeof clock.clearTimer !== 'function') {
    throw new TestkitOptionsError('clock must implement now(), setTimer() and clearTimer()');
  }
  return Object.freeze({
    host: checkString('host', options.host ?? '127.0.0.1', /^\S+$/, 'a host name or address'),
    port: checkNumber('port', options.port ?? 0, 0, 65535, true),
    region: checkString('region', options.region ?? 'us-east-1', /^[a-z0-9-]{1,32}$/, 'a region name such as "us-east-1"'),
    accountId: checkString('accountId', options.accountId ?? '000000000000', /^\d{12}$/, 'a 12-digit account id'),
    clock,
    seed: checkNumber('seed', options.seed ?? 1, 0, 2 ** 32 - 1, true),
    enforceShardLimits: checkBoolean('enforceShardLimits', options.enforceShardLimits ?? true),
    shardLimits: Object.freeze({
      recordsPerSecond: checkNumber('shardLimits.recordsPerSecond', limits.recordsPerSecond ?? 1000, 1, 1e9, false),
      bytesPerSecond: checkNumber('shardLimits.bytesPerSecond', limits.bytesPerSecond ?? MIB, 1, 1e12, false),
      burstSeconds: checkNumber('shardLimits.burstSeconds', limits.burstSeconds ?? 1, 0.001, 3600, false),
    }),
    maxRequestBytes: checkNumber('maxRequestBytes', options.maxRequestBytes ?? 5 * MIB, 1, 10 * MIB, true),
    defaultMaxRecordSizeInKiB: checkMaxRecordSizeInKiB('defaultMaxRecordSizeInKiB', options.defaultMaxRecordSizeInKiB ?? 1024),
    onDemandShardCount: checkNumber('onDemandShardCount', options.onDemandShardCount ?? 4, 1, 10000, true),
    retainRecordData: checkBoolean('retainRecordData', options.retainRecordData ?? true),
    retainRecords: checkBoolean('retainRecords', options.retainRecords ?? true),
  });
}
