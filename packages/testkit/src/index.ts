/**
 * `@tskpl/testkit`: a fast loopback Kinesis for tests — the AWS SDK v3 wire protocol, Kinesis's
 * routing and per-shard write limits, scripted and seeded fault injection, and a ledger of what
 * was stored.
 */
export { startFakeKinesis } from './server/fake-kinesis.js';
export type { FakeKinesis, FakeKinesisClientConfig } from './server/fake-kinesis.js';
export type { ShardInfo, StreamInfo } from './server/stream-info.js';
export type { CreateStreamOptions, FakeKinesisOptions, ShardLimitsOptions } from './config/options.js';
export { createManualClock, createSystemClock } from './clock/clock.js';
export type { Clock, ManualClock, TimerHandle } from './clock/clock.js';
export { FaultController } from './faults/fault-controller.js';
export type { RequestFaultDecision } from './faults/fault-controller.js';
export type {
  EntryErrorFault,
  ErrorFault,
  Fault,
  FaultFilter,
  FaultRuleHandle,
  HangFault,
  LatencyFault,
  LostResponseFault,
  RateFaultRule,
  RequestFault,
  ResetFault,
  ScriptedFaultRule,
} from './faults/fault-types.js';
export { SeededRandom } from './faults/prng.js';
export type { CountersSnapshot, Ledger, StreamCountsSnapshot } from './ledger/ledger.js';
export type { LedgerRecord } from './model/stored-record.js';
export type { ShardCounts } from './model/shard.js';
export type { RecordDistributionStrategy, StreamMode } from './model/stream.js';
export { hashKeyOfPartitionKey, MAX_HASH_KEY } from './model/hash-key.js';
export {
  isTestkitError,
  KinesisServiceError,
  TestkitError,
  TestkitNotFoundError,
  TestkitOptionsError,
  TestkitStateError,
} from './errors.js';
export type { TestkitErrorCode } from './errors.js';
export { isTskplError, TskplError } from './tskpl-error.js';
export type { TskplErrorOptions } from './tskpl-error.js';
export { startKinesisLocal } from './kinesis-local/launcher.js';
export type { KinesisLocal } from './kinesis-local/launcher.js';
export { resolveKinesisLocalConfig } from './kinesis-local/options.js';
export type { KinesisLocalConfig, KinesisLocalLogLevel, KinesisLocalOptions } from './kinesis-local/options.js';
export { KINESIS_LOCAL_VERSION } from './kinesis-local/installation.js';
export { KINESIS_LOCAL_ACCOUNT_ID, KINESIS_LOCAL_HOST, KINESIS_LOCAL_REGION } from './kinesis-local/environment.js';
export { isKinesisLocalError, KinesisLocalError } from './errors.js';
export type { KinesisLocalErrorCode, KinesisLocalErrorOptions } from './errors.js';
export { createInstantTransport } from './in-memory/instant-transport.js';
export type { InstantEntry, InstantTransport, InstantTransportOptions } from './in-memory/instant-transport.js';
