/**
 * The sender: at most `maxConnections` PutRecords requests in flight across all streams; batches
 * beyond that wait in a FIFO. Each request is timed with the injected clock and its outcome is
 * handed to the retrier.
 */
import type { KinesisRecordEntry } from '@tskpl/agg-codec';
import type { Clock } from '../clock/clock.js';
import type { PutRecordsBatch, RequestTiming } from '../record/user-record.js';

/** What a Kinesis record's `data` becomes once its request body is written. */
const RELEASED = new Uint8Array(0);
import type { KinesisTransport, PutRecordsResponse } from '../transport/transport.js';

/** What happens to a request's outcome (the retrier, retrier/retrier.ts). */
export interface PutRecordsOutcomes {
  /**
   * Called just before a batch is sent: removes records that cannot be sent (expired) and returns
   * the batch to send, or undefined if nothing is left.
   */
  prepare(batch: PutRecordsBatch): PutRecordsBatch | undefined;
  onResponse(batch: PutRecordsBatch, response: PutRecordsResponse, timing: RequestTiming): void;
  onError(batch: PutRecordsBatch, error: unknown, timing: RequestTiming): void;
  /** `onResponse` or `onError` threw: the batch's records that have no outcome yet must be failed. */
  onInternalError(batch: PutRecordsBatch, error: unknown): void;
}


/** Settings of the sender. */
export interface SenderDeps {
  readonly clock: Clock;
  readonly transport: KinesisTransport;
  readonly maxConnections: number;
  /**
   * Overall deadline of one request, ms: past it (or past the earliest TTL of its records, if
   * sooner) the request is aborted and handed to `onError` as a `RequestTimeout`, whatever the
   * connection does (a server that answers one byte at a time never times out a socket-idle timer).
   */
  readonly requestTimeoutMs: number;
  /** Where each request's outcome goes. */
  readonly outcomes: PutRecordsOutcomes;
}

/** The sender. */
export interface Sender {
  send(batch: PutRecordsBatch): void;
  readonly inFlight: number;
  readonly queued: number;
}

/** Creates the sender. */
export function createSender(deps: SenderDeps): Sender {
  // FIFO with a moving head: no Array#shift per batch.
  let queue: PutRecordsBatch[] = [];
  let head = 0;
  let inFlight = 0;

  function pump(): void {
    while (inFlight < deps.maxConnections && head < queue.length) {
      const next = queue[head]!;
      queue[head++] = undefined as unknown as PutRecordsBatch;
      if (head > 1024 && head * 2 > queue.length) {
        queue = queue.slice(head);
        head = 0;
      }
      const batch = deps.outcomes.prepare(next);
      if (batch !== undefined) dispatch(batch);
    }
  }

  function dispatch(batch: PutRecordsBatch): void {
    inFlight++;
    const entries: KinesisRecordEntry[] = batch.records;
    const startedAt = deps.clock.now();
    const startedAtWall = deps.clock.wallTime();
    let earliestExpiry = Infinity;
    for (const record of batch.records) if (record.expiresAt < earliestExpiry) earliestExpiry = record.expiresAt;
    const deadline = Math.min(startedAt + deps.requestTimeoutMs, earliestExpiry + 1);
    const controller = new AbortController();
    let settled = false;
    const timer = deps.clock.setTimer(deadline - startedAt, () => {
      if (settled) return;
      settled = true;
      controller.abort();
      const error = new Error(`PutRecords did not complete within ${deadline - startedAt} ms (requestTimeoutMs ${deps.requestTimeoutMs}, or the earliest record TTL); aborted.`);
      error.name = 'RequestTimeout';
      complete(batch, startedAt, startedAtWall, undefined, error, false);
    });
    let request: Promise<PutRecordsResponse>;
    try {
      request = deps.transport.putRecords(batch.owner.ref, entries, { signal: controller.signal, onBodyWritten: () => releaseData(batch) });
    } catch (error) {
      request = Promise.reject(error);
    }
    request.then(
      (response) => {
        if (settled) return;
        settled = true;
        timer.cancel();
        complete(batch, startedAt, startedAtWall, response, undefined, true);
      },
      (error: unknown) => {
        if (settled) return;
        settled = true;
        timer.cancel();
        complete(batch, startedAt, startedAtWall, undefined, error, false);
      },
    );
  }

  /** The transport wrote the body: the aggregates' bytes are in it (a re-send re-aggregates the members). */
  function releaseData(batch: PutRecordsBatch): void {
    for (const record of batch.records) record.data = RELEASED;
  }

  function complete(
    batch: PutRecordsBatch,
    startedAt: number,
    startedAtWall: number,
    response: PutRecordsResponse | undefined,
    error: unknown,
    ok: boolean,
  ): void {
    inFlight--;
    const timing: RequestTiming = { startedAt, endedAt: deps.clock.now(), startedAtWall, endedAtWall: deps.clock.wallTime() };
    try {
      if (ok) deps.outcomes.onResponse(batch, response!, timing);
      else deps.outcomes.onError(batch, error, timing);
    } catch (unexpected) {
      // Never strand the batch's records behind an exception in a promise callback.
      deps.outcomes.onInternalError(batch, unexpected);
    } finally {
      pump();
    }
  }

  return {
    send(batch) {
      queue.push(batch);
      pump();
    },
    get inFlight() {
      return inFlight;
    },
    get queued() {
      return queue.length - head;
    },
  };
}
