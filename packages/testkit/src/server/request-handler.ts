import type { IncomingMessage, ServerResponse } from 'node:http';
import type { TimerHandle } from '../clock/clock.js';
import type { FakeKinesisConfig } from '../config/options.js';
import { KinesisServiceError } from '../errors.js';
import type { FaultController, RequestFaultDecision } from '../faults/fault-controller.js';
import type { RequestCounters } from '../ledger/request-counters.js';
import { nameFromArn, type StreamRegistry } from '../model/registry.js';
import type { Stream } from '../model/stream.js';
import type { OperationContext } from '../operations/context.js';
import { decodeIterator } from '../operations/get-records.js';
import { OPERATIONS } from '../operations/operation-table.js';
import { formatShardId } from '../model/sequence-number.js';
import type { JsonObject } from '../protocol/input.js';
import { BodyBufferPool } from '../protocol/body-pool.js';
import { readJson } from '../protocol/json-reader.js';
import { defaultStatusOf, readBody, sendError, sendJson, TARGET_PREFIX } from '../protocol/wire.js';

/** Keys whose string values are base64 blobs, kept as views of the request body. */
const BLOB_KEYS: ReadonlySet<string> = new Set(['Data']);

/** What the request handler needs from the server. */
export interface RequestHandlerDeps {
  config: FakeKinesisConfig;
  registry: StreamRegistry;
  faults: FaultController;
  requests: RequestCounters;
  limitsEnforced(stream: Stream): boolean;
}

/** The request listener plus a way to cancel what it still holds (latency timers, hung requests). */
export interface RequestHandler {
  listener(request: IncomingMessage, response: ServerResponse): void;
  /** Clears pending timers and destroys the sockets of hung or delayed requests. */
  abortPending(): void;
}

interface Exchange {
  request: IncomingMessage;
  response: ServerResponse;
  operation: string;
  requestId: string;
  input: JsonObject;
  /** Returns the body buffer to the pool (a no-op when records keep views of it). */
  release(): void;
}

const noop = (): void => undefined;

interface Pending {
  timer: TimerHandle | undefined;
  response: ServerResponse;
}

function filterTargets(input: JsonObject): { streamName: string | undefined; shardId: string | undefined } {
  let streamName = typeof input.StreamName === 'string' ? input.StreamName : undefined;
  if (streamName === undefined && typeof input.StreamARN === 'string') streamName = nameFromArn(input.StreamARN);
  let shardId: string | undefined;
  for (const field of ['ShardId', 'ShardToSplit', 'ShardToMerge']) {
    if (typeof input[field] === 'string') {
      shardId = input[field];
      break;
    }
  }
  if (shardId === undefined && typeof input.ShardIterator === 'string') {
    const state = decodeIterator(input.ShardIterator);
    if (state !== undefined) shardId = formatShardId(state.shardNumber);
  }
  return { streamName, shardId };
}

/** Creates the HTTP request listener: decoding, fault injection, dispatch, encoding, counting. */
export function createRequestHandler(deps: RequestHandlerDeps): RequestHandler {
  const { config, registry, faults, requests } = deps;
  const pending = new Set<Pending>();
  const pool = new BodyBufferPool();
  let requestNumber = 0;

  const hold = (response: ServerResponse, delayMs: number | undefined, then: () => void): void => {
    const entry: Pending = { timer: undefined, response };
    if (delayMs !== undefined) {
      entry.timer = config.clock.setTimer(delayMs, () => {
        pending.delete(entry);
        then();
      });
    }
    pending.add(entry);
    response.on('close', () => {
      if (entry.timer === undefined) pending.delete(entry);
    });
  };

  const run = (operation: string, input: JsonObject, requestId: string, responseLost: boolean): { output: unknown } | { error: KinesisServiceError } => {
    const context: OperationContext = { config, registry, faults, requestId, responseLost, limitsEnforced: deps.limitsEnforced };
    try {
      return { output: OPERATIONS.get(operation)!(input, context) };
    } catch (error) {
      if (error instanceof KinesisServiceError) return { error };
      const message = error instanceof Error ? error.message : String(error);
      return { error: new KinesisServiceError('InternalFailure', `The fake failed unexpectedly: ${message}`, 500) };
    }
  };

  const answer = (response: ServerResponse, operation: string, requestId: string, input: JsonObject): void => {
    const result = run(operation, input, requestId, false);
    if ('output' in result) {
      requests.add(operation, 'success');
      sendJson(response, requestId, result.output);
    } else {
      requests.add(operation, result.error.errorType);
      sendError(response, requestId, result.error.status, result.error.errorType, result.error.message);
    }
  };

  const applyOutcome = (exchange: Exchange, outcome: RequestFaultDecision['outcome']): void => {
    const { request, response, operation, requestId, input } = exchange;
    if (outcome === undefined) {
      answer(response, operation, requestId, input);
      exchange.release();
      return;
    }
    switch (outcome.type) {
      case 'error': {
        requests.add(operation, outcome.errorType);
        const message = outcome.message ?? `Injected ${outcome.errorType}.`;
        sendError(response, requestId, outcome.status ?? defaultStatusOf(outcome.errorType), outcome.errorType, message);
        break;
      }
      case 'reset':
        requests.add(operation, 'reset');
        request.socket.destroy();
        break;
      case 'hang':
        requests.add(operation, 'hang');
        hold(response, outcome.ms, () => {
          if (outcome.then === 'apply') {
            const result = run(operation, input, requestId, true);
            if ('output' in result) sendJson(response, requestId, result.output);
            else sendError(response, requestId, result.error.status, result.error.errorType, result.error.message);
          } else {
            request.socket.destroy();
          }
          exchange.release();
        });
        return;
      case 'lostResponse': {
        requests.add(operation, 'lostResponse');
        run(operation, input, requestId, true);
        if (outcome.via === 'reset') {
          request.socket.destroy();
        } else {
          const errorType = outcome.errorType ?? 'InternalFailure';
          sendError(response, requestId, outcome.status ?? defaultStatusOf(errorType), errorType, 'Internal service failure.');
        }
        break;
      }
    }
    exchange.release();
  };

  const handle = (request: IncomingMessage, response: ServerResponse, body: Buffer, pooled: Buffer | undefined): void => {
    const requestId = `fake-${(++requestNumber).toString(16).padStart(8, '0')}`;
    const target = request.headers['x-amz-target'];
    const operation = typeof target === 'string' && target.startsWith(TARGET_PREFIX) ? target.slice(TARGET_PREFIX.length) : undefined;
    // The body can go back to the pool once handled, unless stored records keep views of it.
    const keepsBody = (operation === 'PutRecords' || operation === 'PutRecord') && config.retainRecords && config.retainRecordData;
    const release = pooled === undefined || keepsBody ? noop : () => pool.release(pooled);
    if (operation === undefined || !OPERATIONS.has(operation)) {
      requests.add(operation ?? '(none)', 'UnknownOperationException');
      sendError(response, requestId, 400, 'UnknownOperationException', `Operation ${String(target)} is not supported by the fake.`);
      release();
      return;
    }
    const contentType = request.headers['content-type'] ?? '';
    let input: JsonObject;
    try {
      if (!contentType.includes('json')) throw new Error(`content-type ${contentType} is not JSON`);
      const parsed = readJson(body, BLOB_KEYS);
      if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new Error('the body is not a JSON object');
      input = parsed as JsonObject;
    } catch (error) {
      requests.add(operation, 'SerializationException');
      sendError(response, requestId, 400, 'SerializationException', `Cannot read the request: ${(error as Error).message}.`);
      release();
      return;
    }
    const exchange: Exchange = { request, response, operation, requestId, input, release };
    const targets = filterTargets(input);
    const decision = faults.forRequest(operation, targets.streamName, targets.shardId);
    if (decision.latencyMs > 0) {
      hold(response, decision.latencyMs, () => applyOutcome(exchange, decision.outcome));
    } else {
      applyOutcome(exchange, decision.outcome);
    }
  };

  return {
    listener(request, response) {
      request.on('error', () => undefined);
      response.on('error', () => undefined);
      if (request.method !== 'POST') {
        sendError(response, 'fake-get', 404, 'UnknownOperationException', 'Only POST requests are served.');
        return;
      }
      readBody(request, pool, (body, pooled) => handle(request, response, body, pooled));
    },
    abortPending() {
      for (const entry of pending) {
        if (entry.timer !== undefined) config.clock.clearTimer(entry.timer);
        entry.response.destroy();
      }
      pending.clear();
    },
  };
}
