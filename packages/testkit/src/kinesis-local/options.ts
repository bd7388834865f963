import { tmpdir } from 'node:os';
import { TestkitOptionsError } from '../errors.js';

/** Log levels understood by kinesis-mock (`LOG_LEVEL`). */
export type KinesisLocalLogLevel = 'ERROR' | 'WARN' | 'INFO' | 'DEBUG' | 'TRACE';
const logLevels: readonly KinesisLocalLogLevel[] = ['ERROR', 'WARN', 'INFO', 'DEBUG', 'TRACE'];

/** Options of {@link startKinesisLocal}; all optional. */
export interface KinesisLocalOptions {
  /** How long to wait for the emulator to answer ListStreams, in ms (1000 … 300000). @defaultValue 60000 */
  startTimeoutMs?: number;
  /** How long `stop()` waits after SIGTERM before SIGKILL, in ms (0 … 60000). @defaultValue 1000 */
  stopGraceMs?: number;
  /**
   * How long CreateStream, DeleteStream, consumer, encryption and stream-mode changes keep the
   * stream in a transitional state, in ms (0 … 60000). kinesis-mock's own default is 500.
   * @defaultValue 0
   */
  operationDelayMs?: number;
  /** How long SplitShard, MergeShards and UpdateShardCount keep the stream UPDATING, in ms (0 … 60000). @defaultValue operationDelayMs */
  reshardDelayMs?: number;
  /** Most open shards per account and region (`SHARD_LIMIT`, 1 … 100000). @defaultValue 1000 */
  shardLimit?: number;
  /** Most on-demand streams (`ON_DEMAND_STREAM_COUNT_LIMIT`, 1 … 10000). @defaultValue 100 */
  onDemandStreamCountLimit?: number;
  /** kinesis-mock's own log level (`LOG_LEVEL`). @defaultValue 'WARN' */
  logLevel?: KinesisLocalLogLevel;
  /** Folder that receives the emulator's output when start-up fails. @defaultValue os.tmpdir() */
  logDirectory?: string;
}

/** {@link KinesisLocalOptions} validated, with defaults applied (frozen). */
export interface KinesisLocalConfig {
  /** Start-up wait for the emulator to answer ListStreams, ms (default 60000). */
  readonly startTimeoutMs: number;
  /** Wait between SIGTERM and SIGKILL in `stop()`, ms (default 1000). */
  readonly stopGraceMs: number;
  /** Transitional-state delay of stream operations, ms (default 0). */
  readonly operationDelayMs: number;
  /** UPDATING delay of resharding operations, ms (default `operationDelayMs`). */
  readonly reshardDelayMs: number;
  /** Open shards per account and region at most (default 1000). */
  readonly shardLimit: number;
  /** On-demand streams at most (default 100). */
  readonly onDemandStreamCountLimit: number;
  /** kinesis-mock's log level (default `'WARN'`). */
  readonly logLevel: KinesisLocalLogLevel;
  /** Folder for the emulator's output when start-up fails (default `os.tmpdir()`). */
  readonly logDirectory: string;
}

type IntegerOption = 'startTimeoutMs' | 'stopGraceMs' | 'operationDelayMs' | 'reshardDelayMs' | 'shardLimit' | 'onDemandStreamCountLimit';

function integerOption(options: KinesisLocalOptions, name: IntegerOption, fallback: number, min: number, max: number): number {
  const value: unknown = options[name];
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw new TestkitOptionsError(`Option ${name} must be an integer from ${min} to ${max}; received ${JSON.stringify(value)}.`);
  }
  return value;
}

/**
 * Validates {@link KinesisLocalOptions} and applies the defaults.
 * @param options - user options
 * @throws TestkitOptionsError naming the option, the value and the allowed range
 */
export function resolveKinesisLocalConfig(options: KinesisLocalOptions = {}): KinesisLocalConfig {
  if (typeof options !== 'object' || options === null) {
    throw new TestkitOptionsError(`startKinesisLocal options must be an object; received ${JSON.stringify(options)}.`);
  }
  const operationDelayMs = integerOption(options, 'operationDelayMs', 0, 0, 60_000);
  const logLevel = options.logLevel ?? 'WARN';
  if (!logLevels.includes(logLevel)) {
    throw new TestkitOptionsError(`Option logLevel must be one of ${logLevels.join(', ')}; received ${JSON.stringify(logLevel)}.`);
  }
  const logDirectory: unknown = options.logDirectory ?? tmpdir();
  if (typeof logDirectory !== 'string' || logDirectory.length === 0) {
    throw new TestkitOptionsError(`Option logDirectory must be a non-empty path; received ${JSON.stringify(logDirectory)}.`);
  }
  return Object.freeze({
    startTimeoutMs: integerOption(options, 'startTimeoutMs', 60_000, 1_000, 300_000),
    stopGraceMs: integerOption(options, 'stopGraceMs', 1_000, 0, 60_000),
    operationDelayMs,
    reshardDelayMs: integerOption(options, 'reshardDelayMs', operationDelayMs, 0, 60_000),
    shardLimit: integerOption(options, 'shardLimit', 1_000, 1, 100_000),
    onDemandStreamCountLimit: integerOption(options, 'onDemandStreamCountLimit', 100, 1, 10_000),
    logLevel,
    logDirectory,
  });
}
