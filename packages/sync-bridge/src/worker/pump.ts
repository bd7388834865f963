/**
 * The worker's loop: drains frames from the ring into the producer in order, one admission at a
 * time (so the producer's backpressure stops the ring, and a full ring stops the caller), and
 * batches results back to the caller once per event-loop turn.
 */
import { receiveMessageOnPort, type MessagePort } from 'node:worker_threads';
import type { PutRecordInput, Producer, RecordResult } from '@tskpl/producer';
import type { BridgeClock } from '../clock/clock.js';
import { Control, FrameKind, type WorkerState } from '../shared/layout.js';
import type { RecordBodyMessage, WorkerMessage } from '../shared/messages.js';
import type { RingReader } from '../shared/ring-reader.js';
import { serializeError } from '../shared/serialize-error.js';
import { SyncBridgeError } from '../errors.js';

/** Frames handled before yielding to the event loop, so the producer's I/O and timers run. */
const FRAMES_PER_TURN = 1024;
/**
 * Frames released between two wakes of a blocked caller. Waking it per frame (a notify and a
 * thread switch each) cost more than the frames themselves; a partial batch is always
 * signalled before the pump yields, parks or closes. While an admission waits on the
 * producer's backpressure, the caller is woken by the result posts that end it (or re-checks
 * after its wait slice), as before.
 */
export const FRAMES_PER_WAKE = 64;
/** Longest park on an empty ring before re-checking (a safety net; wakes come from notify). */
const PARK_MS = 1000;

/** Dependencies of {@link createPump}. */
export interface PumpDeps {
  readonly control: Int32Array;
  readonly reader: RingReader;
  readonly port: MessagePort;
  readonly producer: Producer;
  readonly clock: BridgeClock;
  /** Called once the producer is closed and the last message is posted. */
  readonly onClosed: () => void;
}

/** Starts the loop; it ends after a close frame. */
export function createPump(deps: PumpDeps): { readonly done: Promise<void> } {
  const { control, reader, port, producer, clock } = deps;
  let settledIds: number[] = [];
  let settledResults: RecordResult[] = [];
  let flushScheduled = false;

  const post = (message: WorkerMessage): void => {
    port.postMessage(message);
    Atomics.add(control, Control.resultsPosted, 1);
    wakeCaller(control);
  };
  const flushResults = (): void => {
    flushScheduled = false;
    if (settledIds.length === 0) return;
    const message: WorkerMessage = { type: 'settled', ids: settledIds, results: settledResults };
    settledIds = [];
    settledResults = [];
    post(message);
  };
  const onSettled = (id: number, result: RecordResult): void => {
    settledIds.push(id);
    settledResults.push(result);
    if (!flushScheduled) {
      flushScheduled = true;
      clock.soon(flushResults);
    }
  };
  const put = async (id: number, input: PutRecordInput): Promise<void> => {
    try {
      const outcome = await producer.putRecord(input);
      void outcome.wait().then((result) => onSettled(id, result));
    } catch (error) {
      post({ type: 'rejected', id, error: serializeError(error) });
    }
  };
  const takeBody = (id: number): PutRecordInput => {
    const received = receiveMessageOnPort(port);
    const body = received?.message as RecordBodyMessage | undefined;
    if (body === undefined || body.id !== id) {
      // The caller posts a body before it publishes the frame, so this is a broken bridge, not bad input.
      throw new SyncBridgeError('ERR_BRIDGE_PROTOCOL', `sync-bridge: the body of record ${id} is missing from the port (got ${body === undefined ? 'none' : `the body of record ${String(body.id)}`}).`);
    }
    return body.input;
  };
  const close = async (): Promise<void> => {
    let error: unknown;
    try {
      await producer.close();
    } catch (caught) {
      error = caught;
    }
    // Let the outcome callbacks queued by close() run, then post what they produced.
    await new Promise<void>((resolve) => clock.soon(resolve));
    flushResults();
    post({ type: 'closed', error: error === undefined ? undefined : serializeError(error) });
    deps.onClosed();
  };

  const run = async (): Promise<void> => {
    for (;;) {
      let handled = 0;
      let unsignalled = 0;
      for (let frame = reader.next(); frame !== undefined; frame = handled < FRAMES_PER_TURN ? reader.next() : undefined) {
        handled++;
        if (frame.kind === FrameKind.record && frame.input !== undefined) {
          await put(frame.id, frame.input);
        } else if (frame.kind === FrameKind.recordViaPort) {
          await put(frame.id, takeBody(frame.id));
        } else if (frame.kind === FrameKind.flush) {
          producer.flush().catch(() => undefined);
        } else if (frame.kind === FrameKind.close) {
          reader.release();
          wakeCaller(control);
          await close();
          return;
        }
        reader.release();
        if (++unsignalled >= FRAMES_PER_WAKE) {
          unsignalled = 0;
          wakeCaller(control);
        }
      }
      // The partial batch: the caller may be blocked on the room it frees.
      if (unsignalled > 0) wakeCaller(control);
      if (handled >= FRAMES_PER_TURN) {
        await new Promise<void>((resolve) => clock.soon(resolve));
        continue;
      }
      await park(control, reader);
    }
  };
  return { done: run() };
}

/** `Atomics.waitAsync` (Node ≥ 16; not in the ES2023 lib typings). */
interface AtomicsWithWaitAsync {
  waitAsync(array: Int32Array, index: number, value: number, timeoutMs: number): { async: false; value: 'not-equal' | 'timed-out' } | { async: true; value: Promise<'ok' | 'timed-out'> };
}

/** Waits (without blocking the event loop) until the caller publishes frames. */
async function park(control: Int32Array, reader: RingReader): Promise<void> {
  Atomics.store(control, Control.workerSleeping, 1);
  const observed = reader.writePosition();
  if (!reader.hasFrames()) {
    const waiting = (Atomics as unknown as AtomicsWithWaitAsync).waitAsync(control, Control.writePosition, observed, PARK_MS);
    if (waiting.async) await waiting.value;
  }
  Atomics.store(control, Control.workerSleeping, 0);
}

/** Bumps the caller's signal word and wakes it, when it is blocked. */
export function wakeCaller(control: Int32Array): void {
  if (Atomics.load(control, Control.callerWaiting) === 1) {
    Atomics.add(control, Control.signal, 1);
    Atomics.notify(control, Control.signal);
  }
}

/** Stores a new lifecycle state and always wakes the caller. */
export function setWorkerState(control: Int32Array, state: (typeof WorkerState)[keyof typeof WorkerState]): void {
  Atomics.store(control, Control.state, state);
  Atomics.add(control, Control.signal, 1);
  Atomics.notify(control, Control.signal);
}
