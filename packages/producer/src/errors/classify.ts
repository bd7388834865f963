/**
 * How the producer treats every failure, as one table and one pure function. Unknown codes are
 * never silently retried forever: an unknown client (4xx) error is terminal; an unknown server
 * or network error is retried with backoff until the record's TTL.
 */

/** What to do with a failure. */
export type FailureClass =
  /** Retry after a throttling backoff; the shard's rate is lowered. */
  | 'throttled'
  /** Retry after a jittered backoff. */
  | 'transient'
  /** Fail the affected records at once with this code. */
  | 'terminal'
  /** The request was rejected for its content: split it so only the offending record fails. */
  | 'content';

/** The classification table: AWS error code → class. */
export const ERROR_CLASSES: Readonly<Record<string, FailureClass>> = Object.freeze({
  // Throttling
  ProvisionedThroughputExceededException: 'throttled',
  KMSThrottlingException: 'throttled',
  LimitExceededException: 'throttled',
  ThrottlingException: 'throttled',
  Throttling: 'throttled',
  TooManyRequestsException: 'throttled',
  RequestLimitExceeded: 'throttled',
  SlowDown: 'throttled',
  // Transient: the service or the network failed; the same request can succeed
  InternalFailure: 'transient',
  InternalFailureException: 'transient',
  InternalServerError: 'transient',
  ServiceUnavailable: 'transient',
  ServiceUnavailableException: 'transient',
  ResourceInUseException: 'transient',
  RequestTimeout: 'transient',
  RequestTimeoutException: 'transient',
  TimeoutError: 'transient',
  AbortError: 'transient',
  NetworkingError: 'transient',
  ECONNRESET: 'transient',
  ECONNREFUSED: 'transient',
  ECONNABORTED: 'transient',
  EPIPE: 'transient',
  ETIMEDOUT: 'transient',
  EHOSTUNREACH: 'transient',
  ENETUNREACH: 'transient',
  EAI_AGAIN: 'transient',
  ExpiredTokenException: 'transient',
  // Synthetic codes of the producer itself
  'Wrong Shard': 'transient',
  Expired: 'transient',
  ExpiredToken: 'transient',
  RequestExpired: 'transient',
  IDPCommunicationErrorException: 'transient',
  // Terminal: retrying cannot help
  ResourceNotFoundException: 'terminal',
  AccessDeniedException: 'terminal',
  UnrecognizedClientException: 'terminal',
  InvalidSignatureException: 'terminal',
  IncompleteSignature: 'terminal',
  MissingAuthenticationToken: 'terminal',
  InvalidClientTokenId: 'terminal',
  KMSDisabledException: 'terminal',
  KMSInvalidStateException: 'terminal',
  KMSNotFoundException: 'terminal',
  KMSAccessDeniedException: 'terminal',
  KMSOptInRequired: 'terminal',
  // The client is misconfigured: no region, no credentials found, a signing key that cannot be built
  RegionMissing: 'terminal',
  CredentialsProviderError: 'terminal',
  // A request the service (or a proxy in front of it) found too large as a whole
  HTTP413: 'content',
  // Content: the request as a whole was rejected for what it holds
  ValidationException: 'content',
  InvalidArgumentException: 'content',
  SerializationException: 'content',
});

/** A failure reduced to what classification needs. */
export interface FailureInfo {
  readonly code: string;
  readonly message: string;
  readonly httpStatus?: number;
}

/**
 * Classifies an error code (and the HTTP status when there is one) by {@link ERROR_CLASSES}.
 * Codes not in the table: `HTTPnnn` and any status 429 are throttling, 5xx transient, other 4xx
 * terminal; anything else (an unknown server or network error) is transient until the TTL.
 */
export function classifyFailure(code: string, httpStatus?: number): FailureClass {
  const known = ERROR_CLASSES[code];
  if (known !== undefined && Object.hasOwn(ERROR_CLASSES, code)) return known;
  const status = httpStatus ?? statusOfCode(code);
  if (status === 429) return 'throttled';
  if (status === 413) return 'content';
  if (status !== undefined && status >= 400 && status < 500) return 'terminal';
  return 'transient';
}

/** True when `code` is in the table or names an HTTP status (`HTTP502`): known, so not worth a warning. */
export function isClassified(code: string): boolean {
  return Object.hasOwn(ERROR_CLASSES, code) || statusOfCode(code) !== undefined;
}

function statusOfCode(code: string): number | undefined {
  return /^HTTP[1-5]\d\d$/.test(code) ? Number(code.slice(4)) : undefined;
}

/** Names of errors that say nothing about the failure beyond the HTTP status (a proxy's HTML page, an empty body). */
const OPAQUE_NAMES = new Set(['Error', 'UnknownError', 'Unknown', 'SyntaxError', 'TypeError']);

/** Extracts code, message and HTTP status from whatever a transport threw. */
export function failureOf(error: unknown): FailureInfo {
  if (typeof error !== 'object' || error === null) {
    return { code: 'UnknownError', message: String(error) };
  }
  const candidate = error as { name?: unknown; code?: unknown; message?: unknown; $metadata?: { httpStatusCode?: unknown } };
  const status = typeof candidate.$metadata?.httpStatusCode === 'number' ? candidate.$metadata.httpStatusCode : undefined;
  const nodeCode = typeof candidate.code === 'string' ? candidate.code : undefined;
  const name = typeof candidate.name === 'string' ? candidate.name : undefined;
  // Node network errors carry the useful part in `code` (ECONNRESET); AWS errors in `name`.
  let code = nodeCode && /^E[A-Z_]+$/.test(nodeCode) ? nodeCode : name ?? nodeCode ?? 'UnknownError';
  const message = typeof candidate.message === 'string' ? candidate.message : '';
  if (OPAQUE_NAMES.has(code)) {
    // A body that was not the service's JSON (a load balancer's HTML page, an empty 500): the status is the code.
    if (status !== undefined && status >= 400) {
      code = `HTTP${status}`;
      return { code, message: `HTTP ${status} without a Kinesis error in the body (${message.split('\n')[0]})`, httpStatus: status };
    }
    if (message === 'Region is missing') code = 'RegionMissing';
  }
  return status === undefined ? { code, message } : { code, message, httpStatus: status };
}
