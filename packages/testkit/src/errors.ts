/**
 * Errors thrown by `@tskpl/testkit` to its caller (not the Kinesis errors it answers on the wire:
 * those are {@link KinesisServiceError}s turned into AWS JSON error responses).
 */

import { TskplError } from './tskpl-error.js';

/** Stable codes carried by every {@link TestkitError}. */
export type TestkitErrorCode = 'ERR_TESTKIT_OPTIONS' | 'ERR_TESTKIT_STATE' | 'ERR_TESTKIT_NOT_FOUND' | KinesisLocalErrorCode;

/** Codes of {@link KinesisLocalError}. */
export type KinesisLocalErrorCode =
  /** The optional peer dependency `kinesis-local` is not installed (or its files are missing). */
  | 'ERR_KINESIS_LOCAL_NOT_INSTALLED'
  /** The emulator exited or did not answer in time. */
  | 'ERR_KINESIS_LOCAL_START'
  /** Its ports were taken every time a free pair was tried. */
  | 'ERR_KINESIS_LOCAL_PORT_IN_USE';

/**
 * Base class of the errors the testkit throws to its caller (its base of the {@link TskplError}
 * scheme all `@tskpl` packages share). `code` is stable across versions; `instanceof` and
 * {@link isTestkitError} recognise instances even across duplicate installs.
 */
export class TestkitError extends TskplError {
  static override readonly scope: string = '@tskpl/testkit';
  declare readonly code: TestkitErrorCode;

  constructor(code: TestkitErrorCode, message: string, options?: { cause?: unknown; retriable?: boolean }) {
    super(code, message, options);
  }
}

/** An option or argument given to the testkit is invalid; the message names it, the value and the allowed range. */
export class TestkitOptionsError extends TestkitError {
  constructor(message: string) {
    super('ERR_TESTKIT_OPTIONS', message);
  }
}

/** The fake server is used in the wrong state (e.g. after `close()`). */
export class TestkitStateError extends TestkitError {
  constructor(message: string) {
    super('ERR_TESTKIT_STATE', message);
  }
}

/** A stream or shard named in a programmatic call does not exist. */
export class TestkitNotFoundError extends TestkitError {
  constructor(message: string) {
    super('ERR_TESTKIT_NOT_FOUND', message);
  }
}

/** Options of the {@link KinesisLocalError} constructor. */
export interface KinesisLocalErrorOptions {
  /** The underlying error, if any. */
  cause?: unknown;
  /** File holding the emulator's captured output, when one was written. */
  logFile?: string;
}

/** kinesis-local could not be found or started (`startKinesisLocal`). Invalid options throw {@link TestkitOptionsError}. */
export class KinesisLocalError extends TestkitError {
  declare readonly code: KinesisLocalErrorCode;
  /** Where the emulator's output was saved, when it failed after spawning. */
  readonly logFile: string | undefined;

  constructor(code: KinesisLocalErrorCode, message: string, options: KinesisLocalErrorOptions = {}) {
    super(code, message, { cause: options.cause, retriable: code !== 'ERR_KINESIS_LOCAL_NOT_INSTALLED' });
    this.logFile = options.logFile;
  }
}

/** True when `value` is a {@link KinesisLocalError} from any copy of this package. */
export function isKinesisLocalError(value: unknown): value is KinesisLocalError {
  return value instanceof KinesisLocalError;
}

/** True when `value` is a {@link TestkitError} from any copy of this package. */
export function isTestkitError(value: unknown): value is TestkitError {
  return value instanceof TestkitError;
}

/**
 * A Kinesis service error to be answered on the wire in the AWS JSON error shape
 * (`__type` + `message`), with its HTTP status. Operations throw it; the server serialises it.
 */
export class KinesisServiceError extends Error {
  /** The AWS error type, e.g. `ResourceNotFoundException`; the SDK rebuilds an exception of this name. */
  readonly errorType: string;
  /** HTTP status: 400 for client errors, 500/503 for server errors. */
  readonly status: number;

  constructor(errorType: string, message: string, status = 400) {
    super(message);
    this.name = 'KinesisServiceError';
    this.errorType = errorType;
    this.status = status;
  }
}

/** Shorthand for a `ValidationException` (a request that violates the API model). */
export function validationError(message: string): KinesisServiceError {
  return new KinesisServiceError('ValidationException', message);
}

/** Shorthand for an `InvalidArgumentException` (a request the service rejects for its content). */
export function invalidArgument(message: string): KinesisServiceError {
  return new KinesisServiceError('InvalidArgumentException', message);
}

/** Shorthand for a `ResourceNotFoundException`. */
export function resourceNotFound(message: string): KinesisServiceError {
  return new KinesisServiceError('ResourceNotFoundException', message);
}
