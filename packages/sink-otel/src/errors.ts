/**
 * Errors of @tskpl/sink-otel. Each carries a stable `code` and a `Symbol.for` brand, so
 * `instanceof` holds across duplicate installs of the package.
 */

const brand = Symbol.for('tskpl.sink-otel.error');

/** Every code an error of this package can carry. */
export type OpenTelemetrySinkErrorCode = 'ERR_INVALID_CONFIG';

/** Base of the errors of @tskpl/sink-otel. */
export class OpenTelemetrySinkError extends Error {
  /** Stable, documented identifier; match on this, not on the message. */
  readonly code: OpenTelemetrySinkErrorCode;
  /** Whether retrying the same call can succeed. */
  readonly retriable: boolean;

  constructor(code: OpenTelemetrySinkErrorCode, message: string, options: { retriable?: boolean; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'OpenTelemetrySinkError';
    this.code = code;
    this.retriable = options.retriable ?? false;
    Object.defineProperty(this, brand, { value: true });
  }

  /** `instanceof` by brand and error name, so it holds across duplicate installs of the package. */
  static override [Symbol.hasInstance](value: unknown): boolean {
    if (typeof value !== 'object' || value === null || !(value as Record<symbol, unknown>)[brand]) return false;
    return this.name === 'OpenTelemetrySinkError' || (value as Error).name === this.name;
  }
}

/** An option passed to `new OpenTelemetrySink()` is invalid. Names the option, the value and what is allowed. */
export class OpenTelemetrySinkOptionError extends OpenTelemetrySinkError {
  /** The option's name, e.g. `meter`. */
  readonly option: string;

  constructor(option: string, value: unknown, allowed: string) {
    super('ERR_INVALID_CONFIG', `Invalid option ${option}: got ${describeValue(value)}; expected ${allowed}.`);
    this.name = 'OpenTelemetrySinkOptionError';
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
