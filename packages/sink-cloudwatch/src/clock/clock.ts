/**
 * Timers and randomness for the sink's backoff and deadlines, injected so that tests control them. This
 * folder is the only place in the package that touches real timers.
 */
import type { Clock } from '@tskpl/producer';

/** What the sink needs of a clock: the producer's `Clock` fits. */
export type SinkClock = Pick<Clock, 'setTimer' | 'random'>;

/** Real, unref'ed timers and `Math.random`. */
export const systemSinkClock: SinkClock = {
  setTimer(delayMs, callback) {
    const handle = setTimeout(callback, Math.max(0, delayMs));
    handle.unref();
    return { cancel: () => clearTimeout(handle) };
  },
  random: () => Math.random(),
};
