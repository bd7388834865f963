/** A live progress line: rewritten in place on a terminal, one line per second otherwise. */
export interface ProgressLine {
  /** Stops the updates and prints the final state. */
  stop(): void;
}

/** What the progress line shows. */
export interface ProgressSource {
  readonly put: number;
  readonly delivered: number;
  readonly failed: number;
  readonly outstanding: number;
  /** Attempts beyond the first, over the records settled so far. */
  readonly retries: number;
  /** Attempts answered ProvisionedThroughputExceededException, over the records settled so far. */
  readonly throttled: number;
  readonly total: number;
}

/**
 * Starts printing `source` to `out`: every 200 ms with `\r` when `out` is a TTY, every second as a
 * new line otherwise (logs, CI). Records/s is the delivery rate since the previous update.
 * @param out - where to print (process.stdout)
 * @param source - read on every update
 */
export function startProgressLine(out: NodeJS.WriteStream, source: () => ProgressSource): ProgressLine {
  const tty = out.isTTY === true;
  const started = performance.now();
  let lastDelivered = 0;
  let lastAt = started;
  const render = (final: boolean) => {
    const now = performance.now();
    const state = source();
    const rate = final ? (state.delivered * 1000) / Math.max(1, now - started) : ((state.delivered - lastDelivered) * 1000) / Math.max(1, now - lastAt);
    lastDelivered = state.delivered;
    lastAt = now;
    const line =
      `  ${((now - started) / 1000).toFixed(1).padStart(5)} s  put ${String(state.put).padStart(6)}/${state.total}` +
      `  delivered ${String(state.delivered).padStart(6)}  ${Math.round(rate).toString().padStart(6)} records/s${final ? ' (mean)' : ''}` +
      `  outstanding ${String(state.outstanding).padStart(6)}  retries ${state.retries}  throttled ${state.throttled}  failed ${state.failed}`;
    if (tty) out.write(`\r${line}\u001b[K${final ? '\n' : ''}`);
    else out.write(`${line}\n`);
  };
  const timer = setInterval(() => render(false), tty ? 200 : 1_000);
  return {
    stop() {
      clearInterval(timer);
      render(true);
    },
  };
}
