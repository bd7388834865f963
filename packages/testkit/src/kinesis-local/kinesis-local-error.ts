/**
 * The error `startKinesisLocal` throws when the emulator cannot be found or started. Invalid
 * options throw the package's {@link TestkitOptionsError} instead.
 */

const kinesisLocalErrorBrand = Symbol.for('@tskpl/testkit.KinesisLocalError');

/** Stable codes carried by {@link KinesisLocalError}. */
export type KinesisLocalErrorCode =
  /** The optional peer dependency `kinesis-local` is not installed (or its files are missing). */
  | 'ERR_KINESIS_LOCAL_NOT_INSTALLED'
  /** The emulator exited or did not answer in time. */
  | 'ERR_KINESIS_LOCAL_START'
  /** Its ports were taken every time a free pair was tried. */
  | 'ERR_KINESIS_LOCAL_PORT_IN_USE';

/** Options of the {@link KinesisLocalError} constructor. */
export interface KinesisLocalErrorOptions {
  /** The underlying error, if any. */
  cause?: unknown;
  /** File holding the emulator's captured output, when one was written. */
  logFile?: string;
}

/**
 * kinesis-local could not be found or started. `code` is stable; {@link isKinesisLocalError}
 * recognises instances across duplicate installs of the testkit.
 */
export class KinesisLocalError extends Error {
  /** Stable machine-readable code. */
  readonly code: KinesisLocalErrorCode;
  /** True for start-up failures, which another attempt may not repeat; false when the package is missing. */
  readonly retriable: boolean;
  /** Where the emulator's output was saved, when it failed after spawning. */
  readonly logFile: string | undefined;

  /**
   * @param code - the stable code
   * @param message - what went wrong and what to do about it
   * @param options - `cause` and `logFile`
   */
  constructor(code: KinesisLocalErrorCode, message: string, options: KinesisLocalErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'KinesisLocalError';
    this.code = code;
    this.retriable = code !== 'ERR_KINESIS_LOCAL_NOT_INSTALLED';
    this.logFile = options.logFile;
    Object.defineProperty(this, kinesisLocalErrorBrand, { value: true });
  }
}

/**
 * True when `value` is a {@link KinesisLocalError} from any copy of this package.
 * @param value - anything
 */
export function isKinesisLocalError(value: unknown): value is KinesisLocalError {
  return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[kinesisLocalErrorBrand] === true;
}
