/**
 * @tskpl/sync-bridge: a blocking `SyncProducer` for code that cannot `await`. The producer runs on
 * a worker thread; the caller blocks only in `Atomics.wait`.
 */
export { SyncProducer } from './caller/sync-producer.js';
export { SyncOutcome } from './caller/sync-outcome.js';
export type { SyncProducerOptions, ModuleSpecifier } from './caller/options.js';
export type { SyncPutRecordInput, SyncPutRecordOptions } from './shared/record-input.js';
export { ArgumentError, SyncBridgeError, TimeoutError, WorkerExitedError, WorkerError, type SyncBridgeErrorCode, type TimeoutReason } from './errors.js';
export { isTskplError, TskplError } from './tskpl-error.js';
export type { TskplErrorOptions } from './tskpl-error.js';
