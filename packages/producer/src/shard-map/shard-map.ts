/**
 * The shard map of one stream: which open shard owns which hash-key range, fetched with
 * ListShards (`AT_LATEST`, 1000 per page, later pages by `NextToken` alone), refreshed only at
 * start, after a failure (backoff 1 s × 1.5 up to 30 s) and when a wrong-shard result
 * invalidates it. Closed shards' ranges stay available for a while after a reshard so that the
 * retrier can still judge results that come back from them. See docs/kpl-compatibility.md, "Shard map".
 */
import { explicitHashKeyBinary } from '@tskpl/agg-codec';
import type { Clock, Timer } from '../clock/clock.js';
import type { Logger } from '../config/logger.js';
import { ShardMapError } from '../errors/errors.js';
import { shardNumberOf, type HashRange, type ShardMapHandle } from '../record/user-record.js';
import type { KinesisTransport, ListShardsRequest, ShardDescription, StreamRef } from '../transport/transport.js';
import { buildShardView, EMPTY_VIEW, lookupShard } from './shard-view.js';
import type { ShardEntry, ShardView } from './shard-view.js';

/** `INVALID` (initial, and after a failed refresh), `UPDATING` (a ListShards walk is in flight), `READY`. */
export type ShardMapState = 'INVALID' | 'UPDATING' | 'READY';

/** A shard's hash-key range, both ends inclusive, as 16-character binary keys (compare with `<`). */
export type ShardRange = HashRange;

/** Which open shard of a stream owns a hash key. Created by {@link createShardMap}. */
export interface ShardMap extends ShardMapHandle {
  /** Where the map is in its life cycle. */
  readonly state: ShardMapState;
  /**
   * Shard number owning `routingKey` (a 16-character binary hash key), or -1 when the map is not `READY`.
   * Binary search over the sorted ending keys; no allocation.
   */
  predict(routingKey: string): number;
  /**
   * Range of an open shard, or of a shard that was closed by a reshard: closed shards' ranges
   * are kept while the map is younger than {@link CLOSED_SHARD_TTL_MS} and removed by the next sweep
   * (every half of it), so for between 1× and 1.5× the TTL. `undefined` when unknown.
   */
  rangeOf(shardNumber: number): ShardRange | undefined;
  /**
   * Wrong-shard signal (the KPL's storm guard, docs/kpl-compatibility.md "Shard map"): starts a refresh only if `seenAt` is later than
   * `updatedAt`, the state is `READY`, and `predictedShard` is -1 or still open.
   * @param seenAt - clock time the PutRecords request that revealed the wrong prediction started
   * @param predictedShard - the shard the record was predicted to, or -1
   */
  invalidate(seenAt: number, predictedShard: number): void;
  /**
   * Calls `listener` on every transition to `READY` (after the initial fetch and each refresh).
   * A listener that throws is logged and does not affect the map or other listeners.
   * @returns a function that unsubscribes the listener
   */
  onReady(listener: () => void): () => void;
  /**
   * Starts an update now unless one is in flight or a retry is already scheduled. After a
   * terminal failure (see {@link ShardMapDeps.isTerminal}) the map stops retrying on its own, so
   * a stream that does not exist is not polled while nothing waits for it; the next record to it
   * calls this.
   */
  refresh(): void;
  /**
   * Drops everything known about the stream (its view and every cached range) and starts an
   * update: the stream was reported missing, and may come back with the same shard numbers and
   * other ranges (deleted and recreated). Records wait for the new answer.
   */
  forget(): void;
  /** Consecutive failed updates (0 after a success). */
  readonly failures: number;
  /** The last failed update's error code, message and whether it was terminal; undefined after a success. */
  readonly lastFailure: ShardMapFailure | undefined;
  /** Number of open shards in the last completed update (0 until the first one). */
  readonly openShardCount: number;
  /** Clock time (ms) of the last successful update, or `-Infinity`. */
  readonly updatedAt: number;
  /** Cancels timers and ignores any ListShards call still in flight; the map stops refreshing. Idempotent. */
  close(): void;
}

/** Why the last update failed. */
export interface ShardMapFailure {
  readonly errorCode: string;
  readonly errorMessage: string;
  /** True when retrying cannot help (e.g. `ResourceNotFoundException`): the map then waits for {@link ShardMap.refresh}. */
  readonly terminal: boolean;
  /** Clock time of the failure. */
  readonly at: number;
}

/** What {@link createShardMap} needs. */
export interface ShardMapDeps {
  /** The stream whose shards are mapped. */
  stream: StreamRef;
  transport: KinesisTransport;
  clock: Clock;
  logger: Logger;
  /** Called once per failed refresh with the error, after {@link ShardMap.lastFailure} is set, e.g. so the producer can fail records fast on `ResourceNotFoundException`. */
  onError?(error: unknown): void;
  /** Whether an error means retrying cannot help; such a failure stops the retries until {@link ShardMap.refresh}. @defaultValue never */
  isTerminal?(error: unknown): boolean;
}

/** ListShards page size (the service's maximum). */
const PAGE_SIZE = 1000;
/** Backoff growth per consecutive failure. */
const BACKOFF_GROWTH = 1.5;
/** First retry delay after a failed refresh, ms. */
export const SHARD_MAP_MIN_BACKOFF_MS = 1000;
/** Cap of the retry delay, ms. */
export const SHARD_MAP_MAX_BACKOFF_MS = 30_000;
/** How long closed shards' ranges stay known after the update that stopped listing them, ms. */
export const CLOSED_SHARD_TTL_MS = 60_000;

function streamLabel(stream: StreamRef): string {
  return stream.streamARN ?? stream.streamName ?? '(unnamed stream)';
}

function describeError(error: unknown): { errorCode: string; errorMessage: string } {
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code;
    return { errorCode: typeof code === 'string' ? code : error.name, errorMessage: error.message };
  }
  return { errorCode: 'Unknown', errorMessage: String(error) };
}

function parseShard(shard: ShardDescription, label: string): ShardEntry {
  const shardNumber = shardNumberOf(shard.shardId);
  if (shardNumber < 0) {
    // A failed refresh like any other (retried with backoff); `errorCode` names what was wrong.
    throw new ShardMapError(label, 'MalformedShardId', `ListShards of ${label} returned a malformed shard id ${JSON.stringify(shard.shardId)}; expected shardId-<digits>.`);
  }
  return {
    shardNumber,
    start: explicitHashKeyBinary(shard.startingHashKey),
    end: explicitHashKeyBinary(shard.endingHashKey),
  };
}

/** Creates the shard map of one stream and starts its first update at once. */
export function createShardMap(deps: ShardMapDeps): ShardMap {
  const { stream, transport, clock, logger } = deps;
  const label = streamLabel(stream);

  let state: ShardMapState = 'INVALID';
  // The last completed view. A refresh builds a new one on the side and swaps it in when the last
  // page has arrived; until then the old view stays in memory, but predict() answers -1 while
  // UPDATING (as the KPL does), by choice: a refresh only runs because the view is missing or was
  // just proven wrong by a wrong-shard result, i.e. after a reshard. Predicting from the proven-
  // wrong view would route records of a split or merged range to a closed parent; the service
  // stores them in a child, the wrong-shard check re-sends them, and when every member of such an
  // aggregate lies inside the child's range a KCL consumer keeps both copies — duplicates a
  // consumer can see, for every record put during the refresh. Answering -1 instead makes the
  // records wait for READY (docs/kpl-compatibility.md, "Shard map"), which costs a little latency
  // and duplicates nothing.
  let view: ShardView = EMPTY_VIEW;
  let updatedAt = -Infinity;
  let generation = 0;
  let backoffMs = SHARD_MAP_MIN_BACKOFF_MS;
  let failureStreak = 0;
  let lastFailure: ShardMapFailure | undefined;
  let retryTimer: Timer | undefined;
  let sweepTimer: Timer | undefined;
  let closed = false;
  // Ranges of every shard seen (open or recently closed), filled page by page.
  const ranges = new Map<number, ShardRange>();
  const listeners = new Set<() => void>();

  function update(): void {
    if (closed || state === 'UPDATING') return;
    state = 'UPDATING';
    retryTimer?.cancel();
    retryTimer = undefined;
    void walkPages();
  }

  async function walkPages(): Promise<void> {
    const entries: ShardEntry[] = [];
    let identityChanged = false;
    let nextToken: string | undefined;
    try {
      do {
        const request: ListShardsRequest =
          nextToken === undefined ? { stream, maxResults: PAGE_SIZE } : { nextToken, maxResults: PAGE_SIZE };
        const page = await transport.listShards(request);
        if (closed) return;
        for (const shard of page.shards) {
          const entry = parseShard(shard, label);
          entries.push(entry);
          const known = ranges.get(entry.shardNumber);
          if (known !== undefined && (known.start !== entry.start || known.end !== entry.end)) identityChanged = true;
          ranges.set(entry.shardNumber, { start: entry.start, end: entry.end });
        }
        backoffMs = SHARD_MAP_MIN_BACKOFF_MS; // reset after every successful page (as the KPL; docs/kpl-compatibility.md "Shard map")
        nextToken = page.nextToken === '' ? undefined : page.nextToken;
      } while (nextToken !== undefined);
    } catch (error) {
      if (!closed) fail(error);
      return;
    }
    if (closed) return;
    if (identityChanged) {
      // Shard ids are never reused within a stream: the same id with another range is a new stream of the same name.
      logger.warn(`Shard ranges of ${label} changed under the same shard ids: the stream was deleted and recreated. Ranges of the old stream are forgotten.`, { stream: label });
      const listed = new Set(entries.map((entry) => entry.shardNumber));
      for (const shardNumber of [...ranges.keys()]) if (!listed.has(shardNumber)) ranges.delete(shardNumber);
    }
    complete(entries);
  }

  function complete(entries: readonly ShardEntry[]): void {
    view = buildShardView(entries);
    generation++;
    updatedAt = clock.now();
    state = 'READY';
    if (failureStreak > 0) {
      logger.warn(`Shard map of ${label} refreshed after ${failureStreak} consecutive failed ListShards attempts`, {
        stream: label,
        failures: failureStreak,
        openShards: view.count,
      });
      failureStreak = 0;
    }
    lastFailure = undefined;
    armSweep();
    for (const listener of [...listeners]) {
      try {
        listener();
      } catch (error) {
        logger.error('A shard map onReady listener threw; ignored', { stream: label, ...describeError(error) });
      }
    }
  }

  function fail(error: unknown): void {
    state = 'INVALID';
    failureStreak++;
    const delayMs = backoffMs;
    backoffMs = Math.min(Math.floor(backoffMs * BACKOFF_GROWTH), SHARD_MAP_MAX_BACKOFF_MS);
    if (failureStreak === 1) {
      // Once per streak; the streak's length is reported when a refresh finally succeeds.
      logger.warn(`Shard map refresh of ${label} failed; retrying with backoff (further failures are counted, not logged)`, {
        stream: label,
        retryInMs: delayMs,
        ...describeError(error),
      });
    }
    const terminal = deps.isTerminal?.(error) ?? false;
    lastFailure = { ...describeError(error), terminal, at: clock.now() };
    if (!terminal) {
      retryTimer = clock.setTimer(delayMs, () => {
        retryTimer = undefined;
        update();
      });
    }
    if (deps.onError) {
      try {
        deps.onError(error);
      } catch (listenerError) {
        logger.error('The shard map onError callback threw; ignored', { stream: label, ...describeError(listenerError) });
      }
    }
  }

  function hasClosedRanges(): boolean {
    for (const shardNumber of ranges.keys()) if (!view.open.has(shardNumber)) return true;
    return false;
  }

  // The sweep timer runs only while closed shards' ranges are cached (docs/kpl-compatibility.md "Shard map": every TTL / 2,
  // deleting them only when READY and last updated more than a TTL ago).
  function armSweep(): void {
    if (closed || sweepTimer !== undefined || !hasClosedRanges()) return;
    sweepTimer = clock.setTimer(CLOSED_SHARD_TTL_MS / 2, sweep);
  }

  function sweep(): void {
    sweepTimer = undefined;
    if (state === 'READY' && clock.now() - updatedAt > CLOSED_SHARD_TTL_MS) {
      for (const shardNumber of [...ranges.keys()]) if (!view.open.has(shardNumber)) ranges.delete(shardNumber);
    }
    armSweep();
  }

  const map: ShardMap = {
    get state() {
      return state;
    },
    get openShardCount() {
      return view.count;
    },
    get updatedAt() {
      return updatedAt;
    },
    get generation() {
      return generation;
    },
    get failures() {
      return failureStreak;
    },
    get lastFailure() {
      return lastFailure;
    },
    refresh(): void {
      if (state === 'INVALID' && retryTimer === undefined) update();
    },
    forget(): void {
      if (closed || state === 'UPDATING') return;
      view = EMPTY_VIEW;
      generation++;
      ranges.clear();
      state = 'INVALID';
      update();
    },
    predict(routingKey: string): number {
      return state === 'READY' ? lookupShard(view, routingKey) : -1;
    },
    rangeOf(shardNumber: number): ShardRange | undefined {
      return ranges.get(shardNumber);
    },
    invalidate(seenAt: number, predictedShard: number): void {
      if (state !== 'READY' || !(seenAt > updatedAt)) return;
      if (predictedShard !== -1 && !view.open.has(predictedShard)) return;
      update();
    },
    onReady(listener: () => void): () => void {
      const entry = (): void => listener();
      listeners.add(entry);
      return () => {
        listeners.delete(entry);
      };
    },
    close(): void {
      if (closed) return;
      closed = true;
      retryTimer?.cancel();
      retryTimer = undefined;
      sweepTimer?.cancel();
      sweepTimer = undefined;
      listeners.clear();
    },
  };
  update();
  return map;
}
