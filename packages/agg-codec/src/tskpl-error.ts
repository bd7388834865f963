/**
 * The error base every published `@tskpl` package shares (docs/architecture.md, "Errors").
 *
 * This file is copied verbatim into each package (`src/tskpl-error.ts`, the producer's
 * `src/errors/tskpl-error.ts`) so that no package depends on another for it; the canonical copy
 * is scripts/shared/tskpl-error.ts and `npm run lint` (scripts/check-shared-copies.mjs) fails
 * when a copy differs. Edit the canonical file, then run
 * `node scripts/check-shared-copies.mjs --write`.
 *
 * Every error carries a stable `code` (`ERR_…`), a `name`, `retriable` and an optional `cause`,
 * and a brand under `Symbol.for('tskpl.error')`: the names of its classes, each qualified by the
 * package that defines it. `instanceof` and {@link isTskplError} read the brand, so they hold
 * across duplicate installs of a package, across packages (any copy's `TskplError` matches any
 * package's error) and for errors the sync bridge rebuilt from its worker thread.
 */

const brandKey = Symbol.for('tskpl.error');

/** Options of the {@link TskplError} constructor (and of the package base classes). */
export interface TskplErrorOptions {
  /** Whether repeating the same call can succeed. Default `false`. */
  retriable?: boolean;
  /** The underlying error, if any. */
  cause?: unknown;
}

/**
 * Base of every error a `@tskpl` package throws or reports. Each package has one base class that
 * extends it (e.g. `ProducerError`, `CodecError`) and sets {@link TskplError.scope}; match on
 * `code`, not on the message.
 */
export abstract class TskplError extends Error {
  /**
   * The package that defines the class, e.g. `@tskpl/producer`. Qualifies the class names in the
   * brand, so two packages' classes of the same name (the producer's and the sync bridge's
   * `TimeoutError`) stay apart.
   */
  static readonly scope: string = '@tskpl';

  /** Stable, documented identifier (`ERR_…`); match on this, not on the message. */
  readonly code: string;
  /** Whether repeating the same call can succeed. */
  readonly retriable: boolean;

  /**
   * @param code - the stable error code
   * @param message - what was wrong, the value received and what is allowed
   * @param options - `retriable` (default `false`) and `cause`
   */
  constructor(code: string, message: string, options: TskplErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.code = code;
    this.retriable = options.retriable ?? false;
    const kinds: string[] = [];
    for (let type: unknown = new.target; typeof type === 'function' && type !== Error; type = Object.getPrototypeOf(type)) {
      kinds.push(kindOf(type as typeof TskplError));
    }
    Object.defineProperty(this, brandKey, { value: kinds.join(' ') });
  }

  /**
   * `instanceof` by brand: true when `value` was built by this class or a subclass, in any
   * installed copy of the package.
   */
  static override [Symbol.hasInstance](value: unknown): boolean {
    const kinds = brandOf(value);
    return kinds !== undefined && kinds.split(' ').includes(kindOf(this));
  }
}

function kindOf(type: typeof TskplError): string {
  return `${type.scope}:${type.name}`;
}

function brandOf(value: unknown): string | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const kinds = (value as Record<symbol, unknown>)[brandKey];
  return typeof kinds === 'string' ? kinds : undefined;
}

/**
 * True when `value` is an error of any `@tskpl` package, from any installed copy of it.
 * @param value - anything
 */
export function isTskplError(value: unknown): value is TskplError {
  return brandOf(value) !== undefined;
}
