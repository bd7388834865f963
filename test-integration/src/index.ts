// Test-only helpers around the emulator; the launcher itself is `startKinesisLocal` from @tskpl/testkit.
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
export {
  checkDelivery,
  inRange,
  locationKey,
  readStreamContents,
  type DeliveredRecord,
  type DeliveryCheck,
  type SentRecord,
  type StreamContents,
} from './delivery.js';
export { createCapturingLogger, createEmulatorProducer, failureSummary, makeRecords, putAll, type CapturingLogger } from './producer-setup.js';
export { useEmulator, type EmulatorSuite } from './emulator-suite.js';
