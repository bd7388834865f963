/**
 * Errors of the sync bridge. Producer errors (`ConfigError`, `ValidationError`,
 * `ProducerClosedError`) keep their own classes from `@tskpl/producer`: the bridge rebuilds them
 * on the caller's side. The classes here extend {@link TskplError} (the base all `@tskpl` packages
 * share, ./tskpl-error.ts): a stable `code` and a `Symbol.for('tskpl.error')` brand, so that
 * `instanceof` holds across duplicate installs.
 */

import { TskplError } from './tskpl-error.js';
import type { TskplErrorOptions } from './tskpl-error.js';

/** Every code a sync-bridge error can carry. */
export type SyncBridgeErrorCode =
  | 'ERR_SYNC_TIMEOUT'
  | 'ERR_WORKER_EXITED'
  | 'ERR_WORKER_ERROR'
  | 'ERR_INVALID_ARGUMENT'
  /** The caller and the worker disagree about what was sent (a record frame without its body): a defect of the bridge. */
  | 'ERR_BRIDGE_PROTOCOL';

/** Base of the bridge's own errors. */
export class SyncBridgeError extends TskplError {
  static override readonly scope: string = '@tskpl/sync-bridge';
  declare readonly code: SyncBridgeErrorCode;

  constructor(code: SyncBridgeErrorCode, message: string, options: TskplErrorOptions = {}) {
    super(code, message, options);
  }
}

/** Why a blocking call gave up: its own timeout elapsed, or the worker stopped answering for `workerHeartbeatTimeoutMs`. */
export type TimeoutReason = 'deadline' | 'unresponsive';

/**
 * A blocking call did not finish within its `timeoutMs` (`reason: 'deadline'`), or the worker's
 * event loop gave no sign of life for `workerHeartbeatTimeoutMs` (`reason: 'unresponsive'`: a
 * busy worker, e.g. a slow sink export or a long GC pause, is not a dead one). Nothing was lost:
 * the flush or close goes on in the worker, a record that waited for admission was not admitted,
 * and the producer stays usable (call again to wait more).
 */
export class TimeoutError extends SyncBridgeError {
  /** The operation that timed out: `wait`, `flush`, `close`, `putRecord` or `start`. */
  readonly operation: string;
  /** The timeout that elapsed, in milliseconds (`workerHeartbeatTimeoutMs` when `reason` is `unresponsive`). */
  readonly timeoutMs: number;
  /** Which limit ended the call. */
  readonly reason: TimeoutReason;

  constructor(operation: string, timeoutMs: number, reason: TimeoutReason = 'deadline') {
    super('ERR_SYNC_TIMEOUT', timeoutMessage(operation, timeoutMs, reason), { retriable: true });
    this.name = 'TimeoutError';
    this.operation = operation;
    this.timeoutMs = timeoutMs;
    this.reason = reason;
  }
}

function timeoutMessage(operation: string, timeoutMs: number, reason: TimeoutReason): string {
  const outcome = operation === 'putRecord' ? 'the record was not admitted; the producer is still usable.' : 'the producer is still usable.';
  if (reason === 'unresponsive') {
    return `SyncProducer ${operation}() gave up: the worker thread gave no sign of life for ${timeoutMs} ms (workerHeartbeatTimeoutMs; its event loop is blocked, e.g. by a slow metrics export or a long GC pause). It is still running; ${outcome}`;
  }
  return `SyncProducer ${operation}() did not complete within ${timeoutMs} ms; ${outcome}`;
}

/** An argument of a SyncProducer call (e.g. `timeoutMs`, the options object) is invalid; nothing was sent to the worker. */
export class ArgumentError extends SyncBridgeError {
  /** The offending argument, e.g. `timeoutMs`. */
  readonly argument: string;

  constructor(argument: string, message: string) {
    super('ERR_INVALID_ARGUMENT', message);
    this.name = 'ArgumentError';
    this.argument = argument;
  }
}

/**
 * The worker thread exited (crashed, called `process.exit()`, was terminated or ran out of
 * memory). A worker that is only slow never causes this error. Every pending and later call fails
 * with it; the records that had no outcome are lost.
 */
export class WorkerExitedError extends SyncBridgeError {
  /** The worker's exit code when known. */
  readonly exitCode: number | undefined;

  constructor(message: string, options: { exitCode?: number; cause?: unknown } = {}) {
    super('ERR_WORKER_EXITED', message, { cause: options.cause });
    this.name = 'WorkerExitedError';
    this.exitCode = options.exitCode;
  }
}

/**
 * An error thrown in the worker that is not one of the producer's typed errors (for example by a
 * module given as `metricsSink` or `kinesisClient`). Its original name and stack are kept.
 */
export class WorkerError extends SyncBridgeError {
  /** The `name` of the original error. */
  readonly remoteName: string;
  /** The `code` of the original error, when it had one. */
  readonly remoteCode: string | undefined;
  /** The stack of the original error, as it was in the worker. */
  readonly remoteStack: string | undefined;

  constructor(remoteName: string, message: string, details: { remoteCode?: string; remoteStack?: string; cause?: unknown } = {}) {
    super('ERR_WORKER_ERROR', message, { cause: details.cause });
    this.name = 'WorkerError';
    this.remoteName = remoteName;
    this.remoteCode = details.remoteCode;
    this.remoteStack = details.remoteStack;
  }
}
