/**
 * Errors of `@tskpl/sink-datadog`. Each extends {@link TskplError} (the base all `@tskpl` packages share,
 * ./tskpl-error.ts): a stable `code` and a `Symbol.for('tskpl.error')` brand, so `instanceof`
 * holds across duplicate installs of the package.
 */

import { TskplError } from './tskpl-error.js';
import type { TskplErrorOptions } from './tskpl-error.js';

/** Every code an error of this package can carry. */
export type DatadogSinkErrorCode = 'ERR_INVALID_CONFIG' | 'ERR_SINK_SEND';

/** Base of the errors of @tskpl/sink-datadog. */
export class DatadogSinkError extends TskplError {
  static override readonly scope: string = '@tskpl/sink-datadog';
  declare readonly code: DatadogSinkErrorCode;

  constructor(code: DatadogSinkErrorCode, message: string, options: TskplErrorOptions = {}) {
    super(code, message, options);
  }
}

/** An option passed to `new DatadogSink()` is invalid. Names the option, the value and what is allowed. */
export class DatadogSinkOptionError extends DatadogSinkError {
  /** The option's name, e.g. `port`. */
  readonly option: string;

  constructor(option: string, value: unknown, allowed: string) {
    super('ERR_INVALID_CONFIG', `Invalid option ${option}: got ${describeValue(value)}; expected ${allowed}.`);
    this.name = 'DatadogSinkOptionError';
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

/** Sending to the DogStatsD agent failed (socket error); the export's promise rejects with it. */
export class DatadogSinkSendError extends DatadogSinkError {
  constructor(message: string, options: { cause?: unknown } = {}) {
    super('ERR_SINK_SEND', message, { retriable: true, ...options });
    this.name = 'DatadogSinkSendError';
  }
}
