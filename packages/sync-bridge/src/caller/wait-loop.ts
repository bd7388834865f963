/**
 * The only place the caller's thread blocks: `Atomics.wait` on the signal word, in slices, until a
 * condition holds, an overall deadline passes, or the worker is found dead. Nothing here needs
 * the caller's event loop.
 */
import type { BridgeClock } from '../clock/clock.js';
import { ArgumentError, TimeoutError } from '../errors.js';
import { Control, WorkerState } from '../shared/layout.js';

/** Longest single `Atomics.wait`; between slices the loop re-checks the deadline and liveness. */
export const WAIT_SLICE_MS = 50;

/** What the wait loop needs from its owner. */
export interface WaitLoopHost {
  readonly control: Int32Array;
  readonly clock: BridgeClock;
  /** A blocked call gives up (TimeoutError, `unresponsive`) after this long without a heartbeat; 0 disables that. */
  readonly heartbeatTimeoutMs: number;
  /** How often the worker beats, in milliseconds. */
  readonly heartbeatMs: number;
  /** Receives pending messages from the worker (non-blocking). */
  drain(): void;
  /** Throws the typed error when the worker is known to be dead (cheap: shared memory and events only). */
  throwIfDead(): void;
  /** Finds out whether the worker thread still exists (costs about 0.2 ms); `throwIfDead` then reports it. */
  probeLiveness(): void;
}

/** How a blocking call watches the worker. */
export interface BlockOptions {
  /** Give up when the heartbeat stops for `heartbeatTimeoutMs`. @defaultValue true */
  readonly watchHeartbeat?: boolean;
}

/** Validates a caller-provided timeout: undefined means no deadline. */
export function checkTimeout(operation: string, timeoutMs: number | undefined): number {
  if (timeoutMs === undefined) return Infinity;
  if (typeof timeoutMs !== 'number' || Number.isNaN(timeoutMs) || timeoutMs < 0) {
    throw new ArgumentError('timeoutMs', `SyncProducer ${operation}(timeoutMs): got ${String(timeoutMs)}; expected a number of milliseconds ≥ 0, or undefined for no timeout.`);
  }
  return timeoutMs;
}

/**
 * Blocks until `done()` returns true. Throws {@link TimeoutError} after `timeoutMs` (Infinity:
 * never) or, with `reason: 'unresponsive'`, when the worker has not beaten for the host's
 * `heartbeatTimeoutMs` (a slow worker is left running), and whatever `throwIfDead` throws once
 * the worker is gone. While the heartbeat is quiet the loop also probes whether the thread still
 * exists, so a worker that died without its exit hook (terminated, out of memory) is reported as
 * dead within a few heartbeats, whatever the heartbeat timeout.
 */
export function blockUntil(host: WaitLoopHost, operation: string, timeoutMs: number, done: () => boolean, options: BlockOptions = {}): void {
  const { control, clock } = host;
  host.drain();
  if (done()) return;
  host.throwIfDead();
  const start = clock.now();
  const deadline = start + timeoutMs;
  const unresponsiveAfterMs = options.watchHeartbeat === false || host.heartbeatTimeoutMs === 0 ? Infinity : host.heartbeatTimeoutMs;
  const quietAfterMs = 2 * host.heartbeatMs;
  let beat = Atomics.load(control, Control.heartbeat);
  let beatSeenAt = start;
  let probedAt = -Infinity;
  Atomics.store(control, Control.callerWaiting, 1);
  try {
    for (;;) {
      // Read the signal before checking: a change after this read makes the wait return at once.
      const signal = Atomics.load(control, Control.signal);
      host.drain();
      if (done()) return;
      host.throwIfDead();
      const now = clock.now();
      const currentBeat = Atomics.load(control, Control.heartbeat);
      if (currentBeat !== beat) {
        beat = currentBeat;
        beatSeenAt = now;
      } else if (now - beatSeenAt >= quietAfterMs && now - probedAt >= WAIT_SLICE_MS) {
        // Quiet: busy or gone? Only a thread that no longer exists counts as dead.
        probedAt = now;
        host.probeLiveness();
        host.throwIfDead();
      }
      if (now >= deadline) throw new TimeoutError(operation, timeoutMs);
      // (While starting, loading modules may block the worker's event loop; the start has its own timeout.)
      if (now - beatSeenAt >= unresponsiveAfterMs && Atomics.load(control, Control.state) !== WorkerState.starting) {
        throw new TimeoutError(operation, host.heartbeatTimeoutMs, 'unresponsive');
      }
      Atomics.wait(control, Control.signal, signal, Math.min(WAIT_SLICE_MS, deadline - now));
    }
  } finally {
    Atomics.store(control, Control.callerWaiting, 0);
  }
}
