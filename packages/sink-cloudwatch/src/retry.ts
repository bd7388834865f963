/**
 * Which PutMetricData failures are worth retrying, and how long to wait: throttling and
 * transient failures with full-jitter exponential backoff; anything else fails at once.
 */

/** Error names CloudWatch (and the SDK) use for throttling. */
const THROTTLING = new Set(['Throttling', 'ThrottlingException', 'ThrottledException', 'TooManyRequestsException', 'RequestLimitExceeded', 'RequestThrottled', 'RequestThrottledException']);

/** Error names of transient failures. */
const TRANSIENT = new Set([
  'InternalServiceFault',
  'InternalFailure',
  'ServiceUnavailable',
  'ServiceUnavailableException',
  'RequestTimeout',
  'RequestTimeoutException',
  'TimeoutError',
  'ECONNRESET',
  'ECONNREFUSED',
  'EPIPE',
  'ETIMEDOUT',
]);

/** How a failed request is handled. */
export type FailureKind = 'throttled' | 'transient' | 'terminal';

/** Classifies a PutMetricData failure from its name, code, HTTP status and the SDK's retry hints. */
export function classifyFailure(error: unknown): FailureKind {
  if (typeof error !== 'object' || error === null) return 'terminal';
  const candidate = error as { name?: unknown; code?: unknown; $metadata?: { httpStatusCode?: unknown }; $retryable?: { throttling?: unknown } };
  const name = typeof candidate.name === 'string' ? candidate.name : '';
  const code = typeof candidate.code === 'string' ? candidate.code : '';
  const status = typeof candidate.$metadata?.httpStatusCode === 'number' ? candidate.$metadata.httpStatusCode : undefined;
  if (THROTTLING.has(name) || THROTTLING.has(code) || status === 429 || candidate.$retryable?.throttling === true) return 'throttled';
  if (TRANSIENT.has(name) || TRANSIENT.has(code) || (status !== undefined && status >= 500)) return 'transient';
  return 'terminal';
}

/** Full-jitter backoff: a random delay in [0, min(maxMs, baseMs × 2^retry)). */
export function backoffDelayMs(retry: number, baseMs: number, maxMs: number, random: () => number): number {
  const ceiling = Math.min(maxMs, baseMs * 2 ** retry);
  return Math.floor(random() * ceiling);
}
