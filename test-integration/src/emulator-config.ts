import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { HarnessError } from './errors.js';

/** Region the emulator serves by default and the harness's clients sign for. */
export const EMULATOR_REGION = 'us-east-1';
/** Account the emulator files streams under for any non-numeric access key id. */
export const EMULATOR_ACCOUNT_ID = '000000000000';
/** The only interface the emulator listens on. */
export const EMULATOR_HOST = '127.0.0.1';

/** Log levels understood by kinesis-mock (`LOG_LEVEL`). */
export type EmulatorLogLevel = 'ERROR' | 'WARN' | 'INFO' | 'DEBUG' | 'TRACE';
const logLevels: readonly EmulatorLogLevel[] = ['ERROR', 'WARN', 'INFO', 'DEBUG', 'TRACE'];

/** Options of {@link startKinesisLocal}; all optional. */
export interface KinesisLocalOptions {
  /** How long to wait for the emulator to answer ListStreams, in ms (1000 … 300000). @defaultValue 60000 */
  startTimeoutMs?: number;
  /** How long `stop()` waits after SIGTERM before SIGKILL, in ms (0 … 60000). @defaultValue 1000 */
  stopGraceMs?: number;
  /**
   * How long CreateStream, DeleteStream, consumer and encryption changes keep the stream in a
   * transitional state, in ms (0 … 60000). @defaultValue 0
   */
  operationDelayMs?: number;
  /** How long SplitShard, MergeShards and UpdateShardCount keep the stream UPDATING, in ms (0 … 60000). @defaultValue operationDelayMs */
  reshardDelayMs?: number;
  /** Most open shards per account and region (`SHARD_LIMIT`, 1 … 100000). @defaultValue 1000 */
  shardLimit?: number;
  /** Most on-demand streams (`ON_DEMAND_STREAM_COUNT_LIMIT`, 1 … 10000). @defaultValue 100 */
  onDemandStreamCountLimit?: number;
  /** kinesis-mock's own log level (`LOG_LEVEL`). @defaultValue 'WARN' */
  logLevel?: EmulatorLogLevel;
  /** Folder that receives the emulator's output when it fails. @defaultValue os.tmpdir() */
  logDirectory?: string;
}

/** {@link KinesisLocalOptions} validated, with defaults applied. */
export interface KinesisLocalConfig {
  readonly startTimeoutMs: number;
  readonly stopGraceMs: number;
  readonly operationDelayMs: number;
  readonly reshardDelayMs: number;
  readonly shardLimit: number;
  readonly onDemandStreamCountLimit: number;
  readonly logLevel: EmulatorLogLevel;
  readonly logDirectory: string;
}

function integerOption(options: KinesisLocalOptions, name: keyof KinesisLocalOptions, fallback: number, min: number, max: number): number {
  const value = options[name];
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw new HarnessError('ERR_INVALID_OPTION', `Option ${name} must be an integer from ${min} to ${max}; received ${JSON.stringify(value)}.`);
  }
  return value;
}

/**
 * Validates {@link KinesisLocalOptions} and applies the defaults.
 * @param options - user options
 */
export function resolveKinesisLocalConfig(options: KinesisLocalOptions = {}): KinesisLocalConfig {
  const operationDelayMs = integerOption(options, 'operationDelayMs', 0, 0, 60_000);
  const logLevel = options.logLevel ?? 'WARN';
  if (!logLevels.includes(logLevel)) {
    throw new HarnessError('ERR_INVALID_OPTION', `Option logLevel must be one of ${logLevels.join(', ')}; received ${JSON.stringify(logLevel)}.`);
  }
  const logDirectory = options.logDirectory ?? tmpdir();
  if (typeof logDirectory !== 'string' || logDirectory.length === 0) {
    throw new HarnessError('ERR_INVALID_OPTION', `Option logDirectory must be a non-empty path; received ${JSON.stringify(logDirectory)}.`);
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

/** Where kinesis-local's entry point and certificate live. */
export interface EmulatorFiles {
  readonly mainPath: string;
  readonly certificatePath: string;
  readonly preloadPath: string;
}

/** Locates kinesis-local's `main.js` and `server.json` and the harness's loopback preload. */
export function locateEmulatorFiles(): EmulatorFiles {
  const require = createRequire(import.meta.url);
  let packageDirectory: string;
  try {
    packageDirectory = dirname(require.resolve('kinesis-local/package.json'));
  } catch (error) {
    throw new HarnessError('ERR_EMULATOR_NOT_FOUND', 'Package kinesis-local is not installed; it is a dependency of @tskpl/test-integration.', { cause: error });
  }
  const files = {
    mainPath: join(packageDirectory, 'main.js'),
    certificatePath: join(packageDirectory, 'server.json'),
    preloadPath: fileURLToPath(new URL('./loopback-only.cjs', import.meta.url)),
  };
  for (const path of Object.values(files)) {
    if (!existsSync(path)) throw new HarnessError('ERR_EMULATOR_NOT_FOUND', `Emulator file ${path} is missing.`);
  }
  return files;
}

/** Every variable kinesis-mock reads; inherited values are dropped so the parent's environment cannot change the emulator. */
const emulatorVariables = [
  'INITIALIZE_STREAMS', 'KINESIS_MOCK_TLS_PORT', 'KINESIS_MOCK_PLAIN_PORT', 'KINESIS_MOCK_KEYSTORE_PASSWORD',
  'KINESIS_MOCK_KEYMANAGER_PASSWORD', 'KINESIS_MOCK_CERT_PASSWORD', 'KINESIS_MOCK_CERT_PATH', 'CREATE_STREAM_DURATION',
  'DELETE_STREAM_DURATION', 'REGISTER_STREAM_CONSUMER_DURATION', 'START_STREAM_ENCRYPTION_DURATION',
  'STOP_STREAM_ENCRYPTION_DURATION', 'DEREGISTER_STREAM_CONSUMER_DURATION', 'MERGE_SHARDS_DURATION', 'SPLIT_SHARD_DURATION',
  'UPDATE_SHARD_COUNT_DURATION', 'UPDATE_STREAM_MODE_DURATION', 'SHARD_LIMIT', 'ON_DEMAND_STREAM_COUNT_LIMIT', 'AWS_ACCOUNT_ID',
  'AWS_REGION', 'LOG_LEVEL', 'ROOT_LOG_LEVEL', 'LOAD_DATA_IF_EXISTS', 'SHOULD_PERSIST_DATA', 'PERSIST_PATH', 'PERSIST_FILE_NAME',
  'PERSIST_INTERVAL', 'NODE_OPTIONS',
];

/**
 * The environment of one emulator process: the parent's environment without anything kinesis-mock
 * (or Node) would read, plus the harness's settings.
 */
export function emulatorEnvironment(config: KinesisLocalConfig, files: EmulatorFiles, plainPort: number, tlsPort: number): NodeJS.ProcessEnv {
  const inherited = Object.fromEntries(Object.entries(process.env).filter(([name]) => !emulatorVariables.includes(name)));
  const operation = `${config.operationDelayMs}ms`;
  const reshard = `${config.reshardDelayMs}ms`;
  return {
    ...inherited,
    KINESIS_MOCK_CERT_PATH: files.certificatePath,
    KINESIS_MOCK_PLAIN_PORT: String(plainPort),
    KINESIS_MOCK_TLS_PORT: String(tlsPort),
    CREATE_STREAM_DURATION: operation,
    DELETE_STREAM_DURATION: operation,
    REGISTER_STREAM_CONSUMER_DURATION: operation,
    DEREGISTER_STREAM_CONSUMER_DURATION: operation,
    START_STREAM_ENCRYPTION_DURATION: operation,
    STOP_STREAM_ENCRYPTION_DURATION: operation,
    UPDATE_STREAM_MODE_DURATION: operation,
    SPLIT_SHARD_DURATION: reshard,
    MERGE_SHARDS_DURATION: reshard,
    UPDATE_SHARD_COUNT_DURATION: reshard,
    SHARD_LIMIT: String(config.shardLimit),
    ON_DEMAND_STREAM_COUNT_LIMIT: String(config.onDemandStreamCountLimit),
    AWS_REGION: EMULATOR_REGION,
    AWS_ACCOUNT_ID: EMULATOR_ACCOUNT_ID,
    LOG_LEVEL: config.logLevel,
    LOAD_DATA_IF_EXISTS: 'false',
    SHOULD_PERSIST_DATA: 'false',
    TSKPL_EMULATOR_HOST: EMULATOR_HOST,
    TSKPL_EMULATOR_PARENT_PID: String(process.pid),
  };
}
