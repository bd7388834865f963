/**
 * The caller's side of one worker: starts it, owns the shared memory, the ring writer and the
 * port, receives the worker's messages, and knows when the worker is gone.
 */
import { MessageChannel, receiveMessageOnPort, Worker, type MessagePort } from 'node:worker_threads';
import type { RecordResult } from '@tskpl/producer';
import type { BridgeClock } from '../clock/clock.js';
import { WorkerExitedError } from '../errors.js';
import { Control, CONTROL_WORDS, WorkerState } from '../shared/layout.js';
import type { RecordBodyMessage, WorkerBootData, WorkerMessage } from '../shared/messages.js';
import { unpackSettled } from '../shared/settled-batch.js';
import { RingWriter } from '../shared/ring-writer.js';
import type { SerializedError } from '../shared/serialize-error.js';
import type { SyncBridgeConfig } from './options.js';
import { rebuildError } from './rebuild-error.js';
import { blockUntil, type BlockOptions, type WaitLoopHost } from './wait-loop.js';
import { locateWorkerFile } from './worker-file.js';

/** Where the link delivers what the worker reports. */
export interface LinkListener {
  settled(id: number, result: RecordResult): void;
  rejected(id: number, error: Error): void;
  /** The worker is gone; `error` is what every pending and later call throws. */
  died(error: WorkerExitedError): void;
}

/** One running worker and the shared memory between it and the caller. */
export class WorkerLink implements WaitLoopHost {
  readonly control: Int32Array;
  readonly clock: BridgeClock;
  readonly heartbeatTimeoutMs: number;
  readonly heartbeatMs: number;
  readonly writer: RingWriter;
  readonly #worker: Worker;
  readonly #port: MessagePort;
  /** Our end of the channel whose other end the worker holds until its thread ends. */
  #lifeline: MessagePort;
  #threadGone = false;
  #errorFromEvent: unknown;
  readonly #listener: LinkListener;
  readonly #settled: (id: number, result: RecordResult) => void;
  #postedSeen = 0;
  #startupError: SerializedError | undefined;
  #closeError: SerializedError | undefined | null = null;
  #fatal: SerializedError | undefined;
  #death: WorkerExitedError | undefined;
  #exitCodeFromEvent: number | undefined;

  constructor(config: SyncBridgeConfig, clock: BridgeClock, listener: LinkListener) {
    this.clock = clock;
    this.heartbeatTimeoutMs = config.workerHeartbeatTimeoutMs;
    this.heartbeatMs = config.heartbeatMs;
    this.#listener = listener;
    this.#settled = (id, result) => listener.settled(id, result);
    const file = locateWorkerFile(config.workerFile);
    const capacity = config.ringSizeBytes & ~7;
    const controlBytes = CONTROL_WORDS * 4;
    const shared = new SharedArrayBuffer(controlBytes + capacity);
    this.control = new Int32Array(shared, 0, CONTROL_WORDS);
    this.writer = new RingWriter(this.control, shared, controlBytes, capacity);
    const channel = new MessageChannel();
    this.#port = channel.port1;
    const lifeline = new MessageChannel();
    this.#lifeline = lifeline.port1;
    const boot: WorkerBootData = {
      shared,
      ringOffset: controlBytes,
      ringCapacity: capacity,
      port: channel.port2,
      lifeline: lifeline.port2,
      producerOptions: config.producerOptions,
      moduleOptions: config.moduleOptions,
      heartbeatMs: config.heartbeatMs,
    };
    this.#worker = new Worker(file, { workerData: boot, transferList: [channel.port2, lifeline.port2] });
    // The caller never needs the worker to keep its process alive: an unclosed producer is
    // closed by the exit hook, and blocking calls do not use the event loop.
    this.#worker.unref();
    // Without a listener an 'error' event would be thrown in the caller. The death itself is
    // observed through shared memory and the lifeline; these events only add details when the
    // caller's event loop happens to run.
    this.#worker.on('error', (error) => {
      this.#errorFromEvent = error;
    });
    this.#worker.on('exit', (code) => {
      this.#exitCodeFromEvent = code;
    });
  }

  /** Blocks until the worker is ready; throws its startup error rebuilt (e.g. ConfigError). */
  waitUntilReady(timeoutMs: number): void {
    try {
      this.block('start', timeoutMs, () => Atomics.load(this.control, Control.state) !== WorkerState.starting);
    } catch (error) {
      this.terminate();
      throw error;
    }
    if (Atomics.load(this.control, Control.state) === WorkerState.startupFailed) {
      this.drain();
      this.terminate();
      throw rebuildError(this.#startupError ?? { name: 'Error', message: 'the worker failed to start' });
    }
  }

  /** Blocks until `done()` (see `blockUntil`). */
  block(operation: string, timeoutMs: number, done: () => boolean, options?: BlockOptions): void {
    blockUntil(this, operation, timeoutMs, done, options);
  }

  /** Receives every message the worker posted since the last call. Never blocks. */
  drain(): void {
    const posted = Atomics.load(this.control, Control.resultsPosted);
    if (posted === this.#postedSeen) return;
    this.#postedSeen = posted;
    for (let received = receiveMessageOnPort(this.#port); received !== undefined; received = receiveMessageOnPort(this.#port)) {
      this.#handle(received.message as WorkerMessage);
    }
  }

  /** True once the worker closed its producer and posted its last message. */
  isClosed(): boolean {
    return Atomics.load(this.control, Control.state) === WorkerState.closed;
  }

  /** The error `producer.close()` threw in the worker, once closed (undefined when it succeeded). */
  closeError(): Error | undefined {
    return this.#closeError === null || this.#closeError === undefined ? undefined : rebuildError(this.#closeError);
  }

  /** Posts the body of a record too large for the ring (before its frame is published). */
  postBody(body: RecordBodyMessage): void {
    this.#port.postMessage(body);
  }

  throwIfDead(): void {
    if (this.#death === undefined) {
      const state = Atomics.load(this.control, Control.state);
      if (state !== WorkerState.died && this.#exitCodeFromEvent === undefined && !this.#threadGone) return;
      if (state === WorkerState.closed || state === WorkerState.startupFailed) return;
      this.drain();
      const exitCode = state === WorkerState.died ? Atomics.load(this.control, Control.exitCode) : this.#exitCodeFromEvent;
      const cause = this.#fatal === undefined ? (this.#errorFromEvent as Error | undefined) : rebuildError(this.#fatal);
      const reason =
        cause !== undefined ? `crashed: ${cause.message}` : exitCode !== undefined ? `exited with code ${String(exitCode)}` : 'exited without running its exit hook (terminated, or out of memory?)';
      this.#die(new WorkerExitedError(`The SyncProducer worker ${reason}; pending records have no outcome.`, { exitCode, cause }));
    }
    throw this.#death;
  }

  /**
   * Finds out, without the event loop, whether the worker thread still exists. When a thread ends
   * (even by terminate() or out of memory, which run no hook in it), Node closes the ports it
   * held; the close notice lands in our end of the lifeline, and receiving it closes our end. A
   * closing port cannot be transferred, so a transfer that throws means the thread is gone; one
   * that succeeds gives back the same channel.
   */
  probeLiveness(): void {
    if (this.#threadGone) return;
    receiveMessageOnPort(this.#lifeline);
    try {
      this.#lifeline = structuredClone(this.#lifeline, { transfer: [this.#lifeline] });
    } catch {
      this.#threadGone = true;
    }
  }

  /** The error every call throws once the worker is gone, or undefined while it lives. */
  get death(): WorkerExitedError | undefined {
    return this.#death;
  }

  /** Stops the worker thread (it does not keep the process alive either way). */
  terminate(): void {
    this.#worker.terminate().catch(() => undefined);
  }

  #die(error: WorkerExitedError): void {
    this.#death = error;
    this.terminate();
    this.#listener.died(error);
  }

  #handle(message: WorkerMessage): void {
    switch (message.type) {
      case 'settled':
        unpackSettled(message, this.#settled);
        break;
      case 'rejected':
        this.#listener.rejected(message.id, rebuildError(message.error));
        break;
      case 'startup-failed':
        this.#startupError = message.error;
        break;
      case 'closed':
        this.#closeError = message.error;
        break;
      case 'fatal':
        this.#fatal = message.error;
        break;
    }
  }
}
