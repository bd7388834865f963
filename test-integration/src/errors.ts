/**
 * Errors thrown by the kinesis-local harness. Every error is a {@link HarnessError} with a stable
 * `code`; `isHarnessError` recognises one even across duplicate copies of this module.
 */

/** Stable codes carried by {@link HarnessError}. */
export type HarnessErrorCode =
  | 'ERR_INVALID_OPTION'
  | 'ERR_EMULATOR_NOT_FOUND'
  | 'ERR_EMULATOR_START'
  | 'ERR_EMULATOR_PORT_IN_USE'
  | 'ERR_STREAM_TIMEOUT'
  | 'ERR_UNEXPECTED_RESPONSE';

const harnessErrorBrand = Symbol.for('@tskpl/test-integration/HarnessError');

/** Options accepted by the {@link HarnessError} constructor. */
export interface HarnessErrorOptions {
  /** The underlying error, if any. */
  cause?: unknown;
  /** Path of the file holding the emulator's captured output, when one was written. */
  logFile?: string;
}

/** The one error class of the harness. */
export class HarnessError extends Error {
  /** Stable code; match on this rather than on the message. */
  readonly code: HarnessErrorCode;
  /** Where the emulator's output was saved, when the failure involved the emulator. */
  readonly logFile: string | undefined;
  /** Brand shared by every copy of this module (see {@link isHarnessError}). */
  readonly [harnessErrorBrand] = true;

  /**
   * @param code - the stable error code
   * @param message - what was wrong, the value received and what is allowed
   * @param options - optional `cause` and `logFile`
   */
  constructor(code: HarnessErrorCode, message: string, options?: HarnessErrorOptions) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'HarnessError';
    this.code = code;
    this.logFile = options?.logFile;
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
