/**
 * What travels through the MessagePort besides the ring. The worker posts to the caller (drained
 * with `receiveMessageOnPort`, never by the caller's event loop); the caller posts only the
 * bodies of records too large for the ring.
 */
import type { MessagePort } from 'node:worker_threads';
import type { SerializedError } from './serialize-error.js';
import type { SettledBatch } from './settled-batch.js';
import type { SyncPutRecordInput } from './record-input.js';

/** A module that the worker imports to build an option that cannot be cloned. */
export interface ModuleSpecifier {
  /**
   * A package name (optionally with a subpath), resolved from the caller's location: the
   * `resolveFrom` option, by default the main script's folder; an absolute path; or a `file:` URL.
   * Relative paths are rejected: resolve them first (`new URL('./sink.js', import.meta.url)` or
   * `require.resolve('./sink')`).
   */
  readonly module: string | URL;
  /** Name of the export; `default` when omitted. */
  readonly export?: string;
  /**
   * Structured-cloneable argument. A class export is constructed with `new Export(options)`;
   * a function export is called as a factory `Export(options)` (it may return a promise); any
   * other export is used as it is.
   */
  readonly options?: unknown;
}

/** Worker → caller messages. Every post is followed by a bump of `Control.resultsPosted`. */
export type WorkerMessage =
  | SettledBatch
  | { readonly type: 'rejected'; readonly id: number; readonly error: SerializedError }
  | { readonly type: 'startup-failed'; readonly error: SerializedError }
  | { readonly type: 'closed'; readonly error: SerializedError | undefined }
  | { readonly type: 'fatal'; readonly error: SerializedError };

/** Caller → worker: the body of a `recordViaPort` frame, posted before the frame is published. */
export interface RecordBodyMessage {
  readonly id: number;
  readonly input: SyncPutRecordInput;
}

/** What the worker receives as `workerData`. */
export interface WorkerBootData {
  readonly shared: SharedArrayBuffer;
  readonly ringOffset: number;
  readonly ringCapacity: number;
  readonly port: MessagePort;
  /**
   * Never used for messages: the worker only holds it. When the worker thread ends, however it
   * ends, Node closes this end and the caller can see it synchronously (see `WorkerLink`).
   */
  readonly lifeline: MessagePort;
  /** Cloneable producer options, passed through. */
  readonly producerOptions: Record<string, unknown>;
  /** Options built in the worker from modules, by option name; `module` is always a URL (file:, node: or data:). */
  readonly moduleOptions: Record<string, { readonly module: string; readonly export: string; readonly options: unknown }>;
  readonly heartbeatMs: number;
}
