/**
 * Errors thrown by `@tskpl/agg-codec`. Every error is a {@link CodecError} with a stable `code`;
 * `isCodecError` and `instanceof` recognise one even when two copies of the package are installed
 * (the brand of ./tskpl-error.ts).
 */

import { TskplError } from './tskpl-error.js';

/** Stable codes carried by {@link CodecError}. */
export type CodecErrorCode =
  | 'ERR_INVALID_PARTITION_KEY'
  | 'ERR_INVALID_EXPLICIT_HASH_KEY'
  | 'ERR_INVALID_DATA'
  | 'ERR_EMPTY_RECORDS'
  | 'ERR_INVALID_RECORD'
  | 'ERR_INVALID_CONFIG'
  | 'ERR_NOT_AGGREGATE'
  | 'ERR_HASH_KEY_OUT_OF_RANGE'
  | 'ERR_CORRUPT_AGGREGATE';

/** Options accepted by the {@link CodecError} constructor. */
export interface CodecErrorOptions {
  /** The underlying error, if any. */
  cause?: unknown;
}

/**
 * The one error class of the codec (its base of the {@link TskplError} scheme all `@tskpl` packages
 * share). Codec errors describe bad input or a bad aggregate, so they are never worth retrying
 * (`retriable` is always `false`).
 */
export class CodecError extends TskplError {
  static override readonly scope: string = '@tskpl/agg-codec';
  declare readonly code: CodecErrorCode;
  /** Always `false`: the same input fails the same way again. */
  declare readonly retriable: false;

  /**
   * @param code - the stable error code
   * @param message - what was wrong, the value received and what is allowed
   * @param options - optional `cause`
   */
  constructor(code: CodecErrorCode, message: string, options?: CodecErrorOptions) {
    super(code, message, { cause: options?.cause });
  }
}

/**
 * True when `value` is a {@link CodecError} from any copy of this package (the same as
 * `value instanceof CodecError`).
 * @param value - anything
 */
export function isCodecError(value: unknown): value is CodecError {
  return value instanceof CodecError;
}

/** Short, safe rendering of a received value for an error message (never a payload dump). */
export function describeValue(value: unknown): string {
  if (typeof value === 'string') {
    return value.length > 64 ? `${JSON.stringify(value.slice(0, 64))}… (${value.length} characters)` : JSON.stringify(value);
  }
  if (value === null) return 'null';
  if (value instanceof Uint8Array) return `${value.constructor.name}(${value.length})`;
  if (typeof value === 'object') return `an object (${Object.prototype.toString.call(value)})`;
  return `${typeof value} ${String(value)}`;
}
