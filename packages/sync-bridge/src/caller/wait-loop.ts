/**
 * The only place the caller's thread blocks: `Atomics.wait` on the signal word, in slices, until a
 * condition holds, an overall deadline passes, or the worker is found dead. Nothing here needs
 * the caller's event loop.
 */
import type { BridgeClock } from '../clock/clock.js';
import { TimeoutError } from '../errors.js';
import { Control, WorkerState } from '../shared/layout.js';

/** Longest single `Atomics.wait`; between slices the loop re-checks the deadline and liveness. */
export const WAIT_SLICE_MS = 50;

/** What the wait loop needs from its owner. */
export interface WaitLoopHost {
  readonly control: Int32Array;
  readonly clock: BridgeClock;
  /** 0 disables the heartbeat watch. */
  readonly heartbeatTimeoutMs: number;
  /** Receives pending messages from the worker (non-blocking). */
  drain(): void;
  /** Throws the typed error when the worker is known to be dead. */
  throwIfDead(): void;
  /** Records that the worker stopped beating; the next `throwIfDead` throws. */
  declareUnresponsive(silentForMs: number): void;
}

/** Validates a caller-provided timeout: undefined means no deadline. */
export function checkTimeout(operation: string, timeoutMs: number | undefined): number {
  if (timeoutMs === undefined) return Infinity;
  if (typeof timeoutMs !== 'number' || Number.isNaN(timeoutMs) || timeoutMs < 0) {
    throw new RangeError(`SyncProducer ${operation}(timeoutMs): got ${String(timeoutMs)}; expected a number of milliseconds ≥ 0, or undefined for no timeout.`);
  }
  return timeoutMs;
}

/**
 * Blocks until `done()` returns true. Throws {@link TimeoutError} after `timeoutMs` (Infinity:
 * never) and whatever `throwIfDead` throws once the worker is gone.
 */
export function blockUntil(host: WaitLoopHost, operation: string, timeoutMs: number, done: () => boolean): void {
  const { control, clock } = host;
  host.drain();
  if (done()) return;
  host.throwIfDead();
  const start = clock.now();
  const deadline = start + timeoutMs;
  let beat = Atomics.load(control, Control.heartbeat);
  let beatSeenAt = start;
  Atomics.store(control, Control.callerWaiting, 1);
  try {
    for (;;) {
      // Read the signal before checking: a change after this read makes the wait return at once.
      const signal = Atomics.load(control, Control.signal);
      host.drain();
      if (done()) return;
      host.throwIfDead();
      const now = clock.now();
      if (now >= deadline) throw new TimeoutError(operation, timeoutMs);
      const currentBeat = Atomics.load(control, Control.heartbeat);
      if (currentBeat !== beat) {
        beat = currentBeat;
        beatSeenAt = now;
      } else if (host.heartbeatTimeoutMs > 0 && now - beatSeenAt >= host.heartbeatTimeoutMs && Atomics.load(control, Control.state) !== WorkerState.starting) {
        // (While starting, loading modules may block the worker's event loop; the start has its own timeout.)
        host.declareUnresponsive(now - beatSeenAt);
        host.throwIfDead();
      }
      Atomics.wait(control, Control.signal, signal, Math.min(WAIT_SLICE_MS, deadline - now));
    }
  } finally {
    Atomics.store(control, Control.callerWaiting, 0);
  }
}
