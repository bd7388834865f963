import type { IncomingMessage, ServerResponse } from 'node:http';
import type { BodyBufferPool } from './body-pool.js';

/** The JSON protocol `@aws-sdk/client-kinesis` v3 speaks (awsJson1_1). */
export const JSON_CONTENT_TYPE = 'application/x-amz-json-1.1';
/** `x-amz-target` prefix of every Kinesis operation. */
export const TARGET_PREFIX = 'Kinesis_20131202.';

/**
 * Collects a request body into one buffer taken from `pool` (sized from content-length when given).
 * `onBody` gets the body and the pooled buffer behind it, to release once nothing refers to it.
 */
export function readBody(request: IncomingMessage, pool: BodyBufferPool, onBody: (body: Buffer, pooled: Buffer | undefined) => void): void {
  const declared = Number(request.headers['content-length']);
  if (Number.isInteger(declared) && declared >= 0) {
    const pooled = pool.acquire(declared);
    let offset = 0;
    request.on('data', (chunk: Buffer) => {
      if (offset + chunk.length <= declared) chunk.copy(pooled, offset);
      offset += chunk.length;
    });
    request.on('end', () => onBody(pooled.subarray(0, Math.min(offset, declared)), pooled));
    return;
  }
  const chunks: Buffer[] = [];
  request.on('data', (chunk: Buffer) => chunks.push(chunk));
  request.on('end', () => onBody(Buffer.concat(chunks), undefined));
}

/** Answers 200 with a JSON body. */
export function sendJson(response: ServerResponse, requestId: string, output: unknown): void {
  if (response.destroyed || response.headersSent) return;
  const body = JSON.stringify(output);
  response.writeHead(200, {
    'content-type': JSON_CONTENT_TYPE,
    'content-length': Buffer.byteLength(body),
    'x-amzn-requestid': requestId,
  });
  response.end(body);
}

/** Answers an AWS JSON error: `{ "__type": errorType, "message": … }` with its status. */
export function sendError(response: ServerResponse, requestId: string, status: number, errorType: string, message: string): void {
  if (response.destroyed || response.headersSent) return;
  const body = JSON.stringify({ __type: errorType, message });
  response.writeHead(status, {
    'content-type': JSON_CONTENT_TYPE,
    'content-length': Buffer.byteLength(body),
    'x-amzn-requestid': requestId,
    'x-amzn-errortype': errorType,
  });
  response.end(body);
}

/** Default HTTP status of an AWS error type: 500 for internal failures, 503 for unavailability, else 400. */
export function defaultStatusOf(errorType: string): number {
  if (errorType.startsWith('InternalFailure') || errorType === 'InternalServerError') return 500;
  if (errorType.startsWith('ServiceUnavailable')) return 503;
  return 400;
}
