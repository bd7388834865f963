/**
 * Errors of `@tskpl/sink-cloudwatch`. Each extends {@link TskplError} (the base all `@tskpl` packages share,
 * ./tskpl-error.ts): a stable `code` and a `Symbol.for('tskpl.error')` brand, so `instanceof`
 * holds across duplicate installs of the package.
 */

import { TskplError } from './tskpl-error.js';
import type { TskplErrorOptions } from './tskpl-error.js';

/** Every code an error of this package can carry. */
export type CloudWatchSinkErrorCode = 'ERR_INVALID_CONFIG' | 'ERR_SINK_SEND';

/** Base of the errors of @tskpl/sink-cloudwatch. */
export class CloudWatchSinkError extends TskplError {
  static override readonly scope: string = '@tskpl/sink-cloudwatch';
  declare readonly code: CloudWatchSinkErrorCode;

  constructor(code: CloudWatchSinkErrorCode, message: string, options: TskplErrorOptions = {}) {
    super(code, message, options);
  }
}

/** An option passed to `new CloudWatchSink()` is invalid. Names the option, the value and what is allowed. */
export class CloudWatchSinkOptionError extends CloudWatchSinkError {
  /** The option's name, e.g. `namespace`. */
  readonly option: string;

  constructor(option: string, value: unknown, allowed: string) {
    super('ERR_INVALID_CONFIG', `Invalid option ${option}: got ${describeValue(value)}; expected ${allowed}.`);
    this.name = 'CloudWatchSinkOptionError';
    this.option = option;
  }
}

/** Short, safe description of a value for error messages. */
export function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (value === undefined) return 'undefined';
  if (typeof value === 'string') return value.length > 64 ? `a string of ${value.length} characters` : JSON.stringify(value);
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return String(value);
  if (typeof value === 'function') return 'a function';
  if (Array.isArray(value)) return `an array of ${value.length} items`;
  return `an object (${(value as object).constructor?.name ?? 'Object'})`;
}

/**
 * Some metrics of an export were not stored: PutMetricData failed after its retries, or the
 * sink dropped a batch because too many requests were already pending.
 */
export class CloudWatchSinkSendError extends CloudWatchSinkError {
  /** Datums not stored. */
  readonly failedDatums: number;
  /** PutMetricData requests that failed or were dropped. */
  readonly failedRequests: number;

  constructor(message: string, failedRequests: number, failedDatums: number, options: { cause?: unknown } = {}) {
    super('ERR_SINK_SEND', message, { retriable: true, ...options });
    this.name = 'CloudWatchSinkSendError';
    this.failedRequests = failedRequests;
    this.failedDatums = failedDatums;
  }
}
