/**
 * Errors thrown by the test-only stream helpers. Every error is a {@link HarnessError} with a stable
 * `code`; `isHarnessError` recognises one even across duplicate copies of this module.
 */

/** Stable codes carried by {@link HarnessError}. */
export type HarnessErrorCode =
  | 'ERR_INVALID_CONFIG'
  | 'ERR_STREAM_TIMEOUT'
  | 'ERR_UNEXPECTED_RESPONSE';

const harnessErrorBrand = Symbol.for('@tskpl/test-integration/HarnessError');

/** Options accepted by the {@link HarnessError} constructor. */
export interface HarnessErrorOptions {
  /** The underlying error, if any. */
  cause?: unknown;
}

/** The one error class of the harness. */
export class HarnessError extends Error {
  /** Stable code; match on this rather than on the message. */
  readonly code: HarnessErrorCode;
  /** Brand shared by every copy of this module (see {@link isHarnessError}). */
  readonly [harnessErrorBrand] = true;

  /**
   * @param code - the stable error code
   * @param message - what was wrong, the value received and what is allowed
   * @param options - optional `cause`
   */
  constructor(code: HarnessErrorCode, message: string, options?: HarnessErrorOptions) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'HarnessError';
    this.code = code;
  }

  /** `instanceof` that also works across duplicate copies of this module. */
  static override [Symbol.hasInstance](value: unknown): boolean {
    return isHarnessError(value);
  }
}

/**
 * True when `value` is a {@link HarnessError} from any copy of this module.
 * @param value - anything
 */
export function isHarnessError(value: unknown): value is HarnessError {
  return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[harnessErrorBrand] === true;
}
