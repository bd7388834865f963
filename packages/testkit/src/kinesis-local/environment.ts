import type { KinesisLocalInstallation } from './installation.js';
import type { KinesisLocalConfig } from './options.js';

/** Region the emulator serves; clients must sign for it. */
export const KINESIS_LOCAL_REGION = 'us-east-1';
/** Account the emulator files streams under for any access key id that is not 12 digits. */
export const KINESIS_LOCAL_ACCOUNT_ID = '000000000000';
/** The only interface the emulator listens on. */
export const KINESIS_LOCAL_HOST = '127.0.0.1';

/** Every variable kinesis-mock reads, plus NODE_OPTIONS: inherited values never reach the emulator. */
const emulatorVariables = new Set([
  'INITIALIZE_STREAMS', 'KINESIS_MOCK_TLS_PORT', 'KINESIS_MOCK_PLAIN_PORT', 'KINESIS_MOCK_KEYSTORE_PASSWORD',
  'KINESIS_MOCK_KEYMANAGER_PASSWORD', 'KINESIS_MOCK_CERT_PASSWORD', 'KINESIS_MOCK_CERT_PATH', 'CREATE_STREAM_DURATION',
  'DELETE_STREAM_DURATION', 'REGISTER_STREAM_CONSUMER_DURATION', 'START_STREAM_ENCRYPTION_DURATION',
  'STOP_STREAM_ENCRYPTION_DURATION', 'DEREGISTER_STREAM_CONSUMER_DURATION', 'MERGE_SHARDS_DURATION', 'SPLIT_SHARD_DURATION',
  'UPDATE_SHARD_COUNT_DURATION', 'UPDATE_STREAM_MODE_DURATION', 'SHARD_LIMIT', 'ON_DEMAND_STREAM_COUNT_LIMIT', 'AWS_ACCOUNT_ID',
  'AWS_REGION', 'LOG_LEVEL', 'ROOT_LOG_LEVEL', 'LOAD_DATA_IF_EXISTS', 'SHOULD_PERSIST_DATA', 'PERSIST_PATH', 'PERSIST_FILE_NAME',
  'PERSIST_INTERVAL', 'NODE_OPTIONS',
]);

/** The two ports kinesis-mock opens: plain HTTP and TLS. */
export interface KinesisLocalPorts {
  readonly plainPort: number;
  readonly tlsPort: number;
}

/**
 * The environment of one emulator process: the parent's environment without anything kinesis-mock
 * (or Node) would read, plus the launcher's settings (ports, delays, limits, no persistence,
 * the host and parent pid the loopback preload reads).
 * @param config - resolved options
 * @param installation - where kinesis-local is installed
 * @param ports - the ports to listen on
 */
export function emulatorEnvironment(config: KinesisLocalConfig, installation: KinesisLocalInstallation, ports: KinesisLocalPorts): NodeJS.ProcessEnv {
  const inherited = Object.fromEntries(Object.entries(process.env).filter(([name]) => !emulatorVariables.has(name)));
  const operation = `${config.operationDelayMs}ms`;
  const reshard = `${config.reshardDelayMs}ms`;
  return {
    ...inherited,
    KINESIS_MOCK_CERT_PATH: installation.certificatePath,
    KINESIS_MOCK_PLAIN_PORT: String(ports.plainPort),
    KINESIS_MOCK_TLS_PORT: String(ports.tlsPort),
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
    AWS_REGION: KINESIS_LOCAL_REGION,
    AWS_ACCOUNT_ID: KINESIS_LOCAL_ACCOUNT_ID,
    LOG_LEVEL: config.logLevel,
    LOAD_DATA_IF_EXISTS: 'false',
    SHOULD_PERSIST_DATA: 'false',
    TSKPL_EMULATOR_HOST: KINESIS_LOCAL_HOST,
    TSKPL_EMULATOR_PARENT_PID: String(process.pid),
  };
}
