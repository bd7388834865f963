export { startKinesisLocal, type KinesisLocal } from './emulator.js';
export {
  EMULATOR_ACCOUNT_ID,
  EMULATOR_HOST,
  EMULATOR_REGION,
  resolveKinesisLocalConfig,
  type EmulatorLogLevel,
  type KinesisLocalConfig,
  type KinesisLocalOptions,
} from './emulator-config.js';
export {
  createKinesisClient,
  createStream,
  hashRangeOf,
  listAllShards,
  readAllRecords,
  uniqueStreamName,
  waitForStreamActive,
  type HashRange,
  type KinesisClientOptions,
  type ListShardsOptions,
  type StoredRecord,
  type WaitOptions,
} from './streams.js';
export { HarnessError, isHarnessError, type HarnessErrorCode, type HarnessErrorOptions } from './errors.js';
