/**
 * Errors thrown by `@tskpl/testkit` to its caller (not the Kinesis errors it answers on the wire:
 * those are {@link KinesisServiceError}s turned into AWS JSON error responses).
 */

const testkitErrorBrand = Symbol.for('@tskpl/testkit.TestkitError');

/** Stable codes carried by every {@link TestkitError}. */
export type TestkitErrorCode = 'ERR_TESTKIT_OPTIONS' | 'ERR_TESTKIT_STATE' | 'ERR_TESTKIT_NOT_FOUND';

/**
 * Base class of the errors the testkit throws to its caller. `code` is stable across versions;
 * {@link isTestkitError} recognises instances even across duplicate installs.
 */
export class TestkitError extends Error {
  /** Stable machine-readable code. */
  readonly code: TestkitErrorCode;
  /** Never true: a testkit error is a misuse, not a transient condition. */
  readonly retriable = false;

  constructor(code: TestkitErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
    this.name = new.target.name;
    Object.defineProperty(this, testkitErrorBrand, { value: true });
  }
}

/** An option given to the testkit is invalid; the message names the option, the value and the allowed range. */
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

/** True when `value` is a {@link TestkitError} from any copy of this package. */
export function isTestkitError(value: unknown): value is TestkitError {
  return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[testkitErrorBrand] === true;
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
