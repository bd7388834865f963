/**
 * What went wrong, logged once per period with counts — never once per record. The first event
 * of a quiet period arms one timer; when it fires, every count gathered since is logged in a
 * single warning and the counts start over. `close()` logs what is left.
 */
import type { Clock, Timer } from '../clock/clock.js';
import type { Logger } from '../config/logger.js';

/** How often, at most, the producer logs its incidents (the KPL logs its statistics every 15 s). */
export const INCIDENT_LOG_INTERVAL_MS = 15_000;

/** Counts events by description and logs them once per period. */
export interface IncidentLog {
  /** Adds `count` to the events described by `what` (e.g. "records expired"). */
  count(what: string, count?: number): void;
  /** Logs what was counted since the last log, now. */
  flush(): void;
  /** Logs what is left and stops the timer. */
  close(): void;
}

/** Creates an incident log writing warnings to `logger`. */
export function createIncidentLog(clock: Clock, logger: Logger, intervalMs = INCIDENT_LOG_INTERVAL_MS): IncidentLog {
  let counts = new Map<string, number>();
  let timer: Timer | undefined;

  function flush(): void {
    timer?.cancel();
    timer = undefined;
    if (counts.size === 0) return;
    const reported = counts;
    counts = new Map();
    const summary = [...reported].map(([what, count]) => `${count} ${what}`).join('; ');
    logger.warn(`In the last ${Math.round(intervalMs / 1000)} s or less: ${summary}.`, Object.fromEntries(reported));
  }

  return {
    count(what, count = 1) {
      counts.set(what, (counts.get(what) ?? 0) + count);
      timer ??= clock.setTimer(intervalMs, flush);
    },
    flush,
    close: flush,
  };
}
