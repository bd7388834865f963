/**
 * A stream's description (DescribeStreamSummary): its maximum record size, its ARN and whether it
 * places records by partition key. Asked once per stream when its first record arrives, retried
 * after a failure (2 s, 4 s, 6 s, 8 s: five attempts), then given up with a warning and the
 * defaults assumed.
 */
import type { Clock, Timer } from '../clock/clock.js';
import type { Logger } from '../config/logger.js';
import type { KinesisTransport, StreamRef, StreamSummary } from '../transport/transport.js';

/** Kinesis's default maximum record size (data + partition key). */
export const DEFAULT_MAX_RECORD_BYTES = 1_048_576;
/** DescribeStreamSummary attempts before the defaults are assumed. */
export const DESCRIBE_ATTEMPTS = 5;
/** Delay before the n-th retry is n × this, ms. */
export const DESCRIBE_RETRY_MS = 2_000;

/** A description being fetched. */
export interface StreamDescription {
  /** The summary, or undefined once every attempt failed (or the description was closed). */
  readonly summary: Promise<StreamSummary | undefined>;
  /** Stops retrying; `summary` resolves undefined if it had not yet. Idempotent. */
  close(): void;
}

/** Starts fetching `ref`'s description. */
export function describeStream(deps: { ref: StreamRef; label: string; transport: KinesisTransport; clock: Clock; logger: Logger }): StreamDescription {
  let attempts = 0;
  let closed = false;
  let retryTimer: Timer | undefined;
  let resolveSummary!: (summary: StreamSummary | undefined) => void;
  const summary = new Promise<StreamSummary | undefined>((resolve) => {
    resolveSummary = resolve;
  });

  function attempt(): void {
    attempts++;
    deps.transport.describeStreamSummary(deps.ref).then(
      (answer) => resolveSummary(closed ? undefined : answer),
      (error: unknown) => {
        if (attempts < DESCRIBE_ATTEMPTS && !closed) {
          retryTimer = deps.clock.setTimer(DESCRIBE_RETRY_MS * attempts, () => {
            retryTimer = undefined;
            if (!closed) attempt();
          });
          return;
        }
        if (!closed) {
          deps.logger.warn(`DescribeStreamSummary failed for ${deps.label}; assuming the default maximum record size of 1 MiB.`, {
            stream: deps.label,
            errorCode: (error as { name?: string } | undefined)?.name,
          });
        }
        resolveSummary(undefined);
      },
    );
  }
  attempt();

  return {
    summary,
    close() {
      if (closed) return;
      closed = true;
      retryTimer?.cancel();
      resolveSummary(undefined);
    },
  };
}
