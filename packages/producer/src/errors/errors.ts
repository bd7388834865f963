/**
 * Every error the producer throws or reports. Each class extends {@link TskplError} (the base all
 * `@tskpl` packages share, ./tskpl-error.ts): a stable `code`, `retriable`, `cause`, and a
 * `Symbol.for('tskpl.error')` brand, so `instanceof` holds across duplicate installs of the
 * package and across the sync bridge's worker boundary (where errors are rebuilt by code).
 */

import type { RecordResult } from '../record/user-record.js';
import { TskplError } from './tskpl-error.js';
import type { TskplErrorOptions } from './tskpl-error.js';

/** Codes of {@link ValidationError}: bad input to `putRecord`, rejected before anything is buffered. */
export type ValidationErrorCode =
  | 'ERR_MISSING_STREAM'
  | 'ERR_INVALID_STREAM'
  | 'ERR_INVALID_PARTITION_KEY'
  | 'ERR_INVALID_EXPLICIT_HASH_KEY'
  | 'ERR_INVALID_DATA'
  | 'ERR_RECORD_TOO_LARGE';

/** Every code a producer error can carry. */
export type ProducerErrorCode =
  | ValidationErrorCode
  | 'ERR_INVALID_CONFIG'
  | 'ERR_PRODUCER_CLOSED'
  | 'ERR_SHARD_MAP'
  | 'ERR_TIMEOUT'
  | 'ERR_INVALID_ARGUMENT'
  | 'ERR_RECORD_FAILED'
  | 'ERR_PRODUCER';

/** Base of all producer errors. */
export class ProducerError extends TskplError {
  static override readonly scope: string = '@tskpl/producer';
  declare readonly code: ProducerErrorCode;

  constructor(code: ProducerErrorCode, message: string, options: TskplErrorOptions = {}) {
    super(code, message, options);
  }
}

/** An option passed to `new Producer()` is invalid. Names the option, the value and what is allowed. */
export class ConfigError extends ProducerError {
  /** The option's name, e.g. `recordTtlMs`. */
  readonly option: string;
  /** What was allowed, e.g. `an integer in 100 … 2147483647`. */
  readonly allowed: string;

  constructor(option: string, value: unknown, allowed: string, message = `Invalid option ${option}: got ${describeValue(value)}; expected ${allowed}.`) {
    super('ERR_INVALID_CONFIG', message);
    this.name = 'ConfigError';
    this.option = option;
    this.allowed = allowed;
  }
}

/** `putRecord` input is invalid; the record was not buffered and nothing else was affected. */
export class ValidationError extends ProducerError {
  /** The offending field: `streamName`, `partitionKey`, `explicitHashKey` or `data`. */
  readonly field: string;
  declare readonly code: ValidationErrorCode;

  constructor(code: ValidationErrorCode, field: string, message: string, options: { cause?: unknown } = {}) {
    super(code, message, options);
    this.name = 'ValidationError';
    this.field = field;
  }
}

/** The producer was closed (or is closing); it accepts no more records. */
export class ProducerClosedError extends ProducerError {
  constructor(message = 'The producer is closed; putRecord is not allowed after close().') {
    super('ERR_PRODUCER_CLOSED', message);
    this.name = 'ProducerClosedError';
  }
}

/**
 * A stream's shard map could not be fetched for a reason retrying cannot fix (e.g. the stream does
 * not exist): `ready()` rejects with it. A ListShards answer the producer cannot read (a malformed
 * shard id, `errorCode` `MalformedShardId`) is logged as one too, and retried with backoff.
 */
export class ShardMapError extends ProducerError {
  /** The stream (name or ARN). */
  readonly stream: string;
  /** The AWS error code ListShards failed with, e.g. `ResourceNotFoundException`. */
  readonly errorCode: string;

  constructor(stream: string, errorCode: string, message: string) {
    super('ERR_SHARD_MAP', message);
    this.name = 'ShardMapError';
    this.stream = stream;
    this.errorCode = errorCode;
  }
}

/** A wait the caller bounded (e.g. `ready(stream, { timeoutMs })`) ran out. */
export class TimeoutError extends ProducerError {
  /** The bound that elapsed, ms. */
  readonly timeoutMs: number;

  constructor(message: string, timeoutMs: number) {
    super('ERR_TIMEOUT', message, { retriable: true });
    this.name = 'TimeoutError';
    this.timeoutMs = timeoutMs;
  }
}

/**
 * An argument of a producer method other than `putRecord`'s record is invalid (e.g. a
 * `getMetrics` metric name or window, a `ready` timeout); nothing was changed.
 */
export class ArgumentError extends ProducerError {
  /** The offending argument, e.g. `windowSeconds`. */
  readonly argument: string;

  constructor(argument: string, message: string) {
    super('ERR_INVALID_ARGUMENT', message);
    this.name = 'ArgumentError';
    this.argument = argument;
  }
}

/** A record written to `producer.writable()` failed for good; `result` holds its attempts. */
export class RecordFailedError extends ProducerError {
  /** The failed record's result: its last error code, message and attempts. */
  readonly result: RecordResult;

  constructor(result: RecordResult) {
    super('ERR_RECORD_FAILED', `A record failed with ${result.errorCode ?? 'an unknown error'}: ${result.errorMessage ?? ''}`);
    this.name = 'RecordFailedError';
    this.result = result;
  }
}

/** Short, safe description of a value for error messages (never a payload). */
export function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (value === undefined) return 'undefined';
  if (typeof value === 'string') return value.length > 64 ? `a string of ${value.length} characters` : JSON.stringify(value);
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return String(value);
  if (value instanceof Uint8Array) return `a ${value.constructor.name} of ${value.byteLength} bytes`;
  if (Array.isArray(value)) return `an array of ${value.length} items`;
  if (typeof value === 'function') return 'a function';
  return `an object (${(value as object).constructor?.name ?? 'Object'})`;
}
