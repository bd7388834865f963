/**
 * Errors cross the thread boundary as plain data (this file, used by the worker) and are rebuilt
 * on the caller's side as the same typed classes (`caller/rebuild-error.ts`). No imports: the
 * worker loads it before anything that could fail to load.
 */

/** An error as it travels from the worker to the caller (structured-clone safe). */
export interface SerializedError {
  readonly name: string;
  readonly message: string;
  readonly code?: string;
  readonly stack?: string;
  readonly retriable?: boolean;
  /** `ValidationError.field`. */
  readonly field?: string;
  /** `ConfigError.option`. */
  readonly option?: string;
  /** `ConfigError.allowed`. */
  readonly allowed?: string;
  readonly cause?: SerializedError;
}

/** Turns anything thrown into {@link SerializedError}; never throws. */
export function serializeError(error: unknown, depth = 0): SerializedError {
  if (typeof error !== 'object' || error === null) {
    return { name: 'Error', message: `a non-error value was thrown: ${String(error)}` };
  }
  const source = error as Record<string, unknown>;
  const text = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);
  const cause = depth < 3 && source['cause'] !== undefined ? serializeError(source['cause'], depth + 1) : undefined;
  return {
    name: text(source['name']) ?? 'Error',
    message: text(source['message']) ?? '',
    code: text(source['code']),
    stack: text(source['stack']),
    retriable: typeof source['retriable'] === 'boolean' ? source['retriable'] : undefined,
    field: text(source['field'] ?? source['argument']),
    option: text(source['option']),
    allowed: text(source['allowed']),
    cause,
  };
}

