import { explicitHashKeyBinary } from '@tskpl/agg-codec';
import { describe, expect, it, vi } from 'vitest';
import { createFakeClock } from '../clock/fake-clock.js';
import type { FakeClock } from '../clock/fake-clock.js';
import type { Logger } from '../config/logger.js';
import { ShardMapError } from '../errors/errors.js';
import type { KinesisTransport, ListShardsPage, ListShardsRequest, ShardDescription } from '../transport/transport.js';
import { createShardMap } from './shard-map.js';
import type { ShardMap, ShardMapDeps } from './shard-map.js';

const MAX = (1n << 128n) - 1n;
const STREAM = { streamName: 'orders' };

function key(value: bigint): string {
  return explicitHashKeyBinary(value.toString());
}

function shardId(shardNumber: number): string {
  return `shardId-${String(shardNumber).padStart(12, '0')}`;
}

/** Contiguous shards covering the whole key space; `ends` are the ending keys except the last (MAX). */
function shardsCovering(ends: readonly bigint[], numbers: readonly number[]): ShardDescription[] {
  const all = [...ends, MAX];
  return all.map((end, index) => ({
    shardId: shardId(numbers[index] as number),
    startingHashKey: (index === 0 ? 0n : (all[index - 1] as bigint) + 1n).toString(),
    endingHashKey: end.toString(),
  }));
}

interface Held {
  resolve(page: ListShardsPage): void;
  reject(error: unknown): void;
}

/** A ListShards script: each call takes the next step; with the script empty the call is held until the test settles it. */
function createScriptedTransport() {
  const requests: ListShardsRequest[] = [];
  const script: Array<ListShardsPage | Error> = [];
  const held: Held[] = [];
  const transport: KinesisTransport = {
    listShards(request) {
      requests.push(request);
      const step = script.shift();
      if (step === undefined) return new Promise<ListShardsPage>((resolve, reject) => held.push({ resolve, reject }));
      return step instanceof Error ? Promise.reject(step) : Promise.resolve(step);
    },
    putRecords: () => Promise.reject(new Error('not scripted')),
    describeStreamSummary: () => Promise.reject(new Error('not scripted')),
    destroy() {},
  };
  return { transport, requests, script, held };
}

function throttled(): Error {
  const error = new Error('Rate exceeded for stream orders');
  error.name = 'LimitExceededException';
  return error;
}

/** Lets pending promise callbacks (the ListShards walk) run. */
function settle(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

function recordingLogger() {
  return { warn: vi.fn(), error: vi.fn(), info: vi.fn(), debug: vi.fn() } satisfies Logger;
}

function setup(firstPages: Array<ListShardsPage | Error>, extra: Partial<ShardMapDeps> = {}) {
  const clock = createFakeClock();
  const scripted = createScriptedTransport();
  scripted.script.push(...firstPages);
  const logger = recordingLogger();
  const map = createShardMap({ stream: STREAM, transport: scripted.transport, clock, logger, ...extra });
  return { clock, map, logger, ...scripted };
}

async function readyMap(shards: ShardDescription[], extra: Partial<ShardMapDeps> = {}) {
  const context = setup([{ shards }], extra);
  await settle();
  expect(context.map.state).toBe('READY');
  return context;
}

/** Uneven ranges: shard i ends at MAX·((i+1)/n)², so the first is tiny and the last wide. */
function unevenEnds(count: number): bigint[] {
  const total = BigInt(count * count);
  return Array.from({ length: count - 1 }, (_, index) => (MAX * BigInt((index + 1) * (index + 1))) / total);
}

describe('ShardMap prediction', () => {
  it.each([1, 3, 64])('finds the owning shard at start, end and end + 1 of each of %i uneven ranges', async (count) => {
    const ends = unevenEnds(count);
    const numbers = Array.from({ length: count }, (_, index) => 100 + 3 * index);
    const shards = shardsCovering(ends, numbers);
    // ListShards order is not key order: interleave the list before serving it.
    const served = [...shards.filter((_, index) => index % 2 === 1), ...shards.filter((_, index) => index % 2 === 0)];
    const { map } = await readyMap(served);
    expect(map.openShardCount).toBe(count);
    const allEnds = [...ends, MAX];
    allEnds.forEach((end, index) => {
      const start = index === 0 ? 0n : (allEnds[index - 1] as bigint) + 1n;
      expect(map.predict(key(start))).toBe(numbers[index]);
      expect(map.predict(key(end))).toBe(numbers[index]);
      if (end < MAX) expect(map.predict(key(end + 1n))).toBe(numbers[index + 1]);
      expect(map.rangeOf(numbers[index] as number)).toEqual({ start: key(start), end: key(end) });
    });
  });

  it('answers -1 for a key in a gap of the table instead of guessing', async () => {
    const { map } = await readyMap([
      { shardId: shardId(0), startingHashKey: '0', endingHashKey: '99' },
      { shardId: shardId(1), startingHashKey: '200', endingHashKey: MAX.toString() },
    ]);
    expect(map.predict(key(99n))).toBe(0);
    expect(map.predict(key(150n))).toBe(-1);
    expect(map.predict(key(200n))).toBe(1);
  });
});

describe('ShardMap fetching', () => {
  it('walks three pages, naming the stream only on the first', async () => {
    const shards = shardsCovering(unevenEnds(6), [0, 1, 2, 3, 4, 5]);
    const { map, requests } = setup([
      { shards: shards.slice(0, 2), nextToken: 'token-2' },
      { shards: shards.slice(2, 4), nextToken: 'token-3' },
      { shards: shards.slice(4) },
    ]);
    expect(map.state).toBe('UPDATING');
    await settle();
    expect(requests).toEqual([
      { stream: STREAM, maxResults: 1000 },
      { nextToken: 'token-2', maxResults: 1000 },
      { nextToken: 'token-3', maxResults: 1000 },
    ]);
    expect(Object.keys(requests[1] as object).sort()).toEqual(['maxResults', 'nextToken']);
    expect(Object.keys(requests[2] as object).sort()).toEqual(['maxResults', 'nextToken']);
    expect(map.state).toBe('READY');
    expect(map.openShardCount).toBe(6);
    expect(map.predict(key(MAX))).toBe(5);
    expect(map.predict(key(0n))).toBe(0);
  });

  it('retries after 1000, 1500, 2250 … ms capped at 30000, and starts over at 1000 after a success', async () => {
    const failures = 11;
    const { clock, map, requests, script } = setup(Array.from({ length: failures }, throttled));
    await settle();
    const delays: number[] = [];
    for (let failure = 0; failure < failures; failure++) {
      expect(map.state).toBe('INVALID');
      if (failure === failures - 1) script.push({ shards: shardsCovering([], [0]) });
      delays.push(await measureRetryDelay(clock, requests));
      await settle();
    }
    expect(delays).toEqual([1000, 1500, 2250, 3375, 5062, 7593, 11389, 17083, 25624, 30000, 30000]);
    expect(map.state).toBe('READY');

    script.push(throttled());
    clock.advance(1);
    map.invalidate(clock.now(), 0);
    await settle();
    expect(map.state).toBe('INVALID');
    expect(await measureRetryDelay(clock, requests)).toBe(1000);
  });

  it('resets the backoff after every successful page, even when a later page fails', async () => {
    const { clock, requests, script } = setup([throttled(), throttled()]);
    await settle();
    expect(await measureRetryDelay(clock, requests)).toBe(1000);
    await settle();
    script.push({ shards: [], nextToken: 'next' }, throttled());
    expect(await measureRetryDelay(clock, requests)).toBe(1500);
    await settle();
    expect(requests.at(-1)).toEqual({ nextToken: 'next', maxResults: 1000 });
    expect(await measureRetryDelay(clock, requests)).toBe(1000);
    expect(requests.at(-1)).toEqual({ stream: STREAM, maxResults: 1000 });
  });

  it('moves INVALID → UPDATING → READY, and UPDATING → INVALID on failure, answering -1 unless READY', async () => {
    const shards = shardsCovering([MAX / 2n], [0, 1]);
    const { clock, map, held, script } = setup([]);
    expect(map.state).toBe('UPDATING');
    expect(map.predict(key(0n))).toBe(-1);
    expect(map.updatedAt).toBe(-Infinity);
    held.shift()?.resolve({ shards });
    await settle();
    expect(map.state).toBe('READY');
    expect(map.updatedAt).toBe(clock.now());
    expect(map.predict(key(0n))).toBe(0);

    clock.advance(10);
    map.invalidate(clock.now(), 0);
    expect(map.state).toBe('UPDATING');
    // The old view is not used for prediction while a refresh runs, but its ranges still answer.
    expect(map.predict(key(0n))).toBe(-1);
    expect(map.rangeOf(0)).toEqual({ start: key(0n), end: key(MAX / 2n) });
    held.shift()?.reject(throttled());
    await settle();
    expect(map.state).toBe('INVALID');
    expect(map.predict(key(0n))).toBe(-1);
    expect(map.rangeOf(1)).toBeDefined();

    script.push({ shards });
    clock.advance(1000);
    await settle();
    expect(map.state).toBe('READY');
    expect(map.predict(key(MAX))).toBe(1);
  });
});

/** Advances to the moment the next ListShards request goes out and returns how long that took (integer ms). */
async function measureRetryDelay(clock: FakeClock, requests: readonly ListShardsRequest[]): Promise<number> {
  const before = requests.length;
  let waited = 0;
  while (requests.length === before) {
    if (waited > 60_000) throw new Error('no retry within 60 s');
    clock.advance(1);
    waited++;
  }
  return waited;
}

describe('ShardMap listeners and errors', () => {
  it('calls onReady on every transition to READY, survives a throwing listener, and unsubscribes', async () => {
    const { clock, map, held, logger } = setup([]);
    const calls: string[] = [];
    map.onReady(() => {
      throw new Error('listener bug');
    });
    const unsubscribe = map.onReady(() => calls.push(map.state));
    held.shift()?.resolve({ shards: shardsCovering([], [0]) });
    await settle();
    expect(calls).toEqual(['READY']);
    expect(logger.error).toHaveBeenCalledTimes(1);

    clock.advance(5);
    map.invalidate(clock.now(), -1);
    held.shift()?.resolve({ shards: shardsCovering([], [0]) });
    await settle();
    expect(calls).toEqual(['READY', 'READY']);

    unsubscribe();
    clock.advance(5);
    map.invalidate(clock.now(), -1);
    held.shift()?.resolve({ shards: shardsCovering([], [0]) });
    await settle();
    expect(calls).toHaveLength(2);
  });

  it('calls onError once per failed refresh and logs a failure streak once, then its count on recovery', async () => {
    const errors = [throttled(), throttled(), throttled()];
    const onError = vi.fn();
    const { clock, map, logger, script } = setup([...errors], { onError });
    await settle();
    clock.advance(1000);
    await settle();
    clock.advance(1500);
    await settle();
    expect(onError.mock.calls.map((call) => call[0])).toEqual(errors);
    expect(logger.warn).toHaveBeenCalledTimes(1);
    expect(logger.warn.mock.calls[0]?.[1]).toMatchObject({ stream: 'orders', errorCode: 'LimitExceededException', retryInMs: 1000 });

    script.push({ shards: shardsCovering([], [0]) });
    clock.advance(2250);
    await settle();
    expect(map.state).toBe('READY');
    expect(logger.warn).toHaveBeenCalledTimes(2);
    expect(logger.warn.mock.calls[1]?.[1]).toMatchObject({ failures: 3 });
  });

  it('treats a malformed shard id as a failed refresh', async () => {
    const onError = vi.fn();
    const { map, clock, logger } = setup([{ shards: [{ shardId: 'garbage', startingHashKey: '0', endingHashKey: MAX.toString() }] }], { onError });
    await settle();
    expect(map.state).toBe('INVALID');
    expect(onError).toHaveBeenCalledTimes(1);
    const error = onError.mock.calls[0]?.[0] as ShardMapError;
    expect(error).toBeInstanceOf(ShardMapError);
    expect(error).toMatchObject({ code: 'ERR_SHARD_MAP', errorCode: 'MalformedShardId' });
    expect(error.message).toContain('"garbage"');
    expect(logger.warn.mock.calls[0]?.[1]).toMatchObject({ errorCode: 'ERR_SHARD_MAP' });
    expect(clock.pendingTimers).toBe(1); // retried with backoff, not given up
  });

  it('stops after close: no retry timer, and a response still in flight is ignored', async () => {
    const failing = setup([throttled()]);
    await settle();
    expect(failing.clock.pendingTimers).toBe(1);
    failing.map.close();
    expect(failing.clock.pendingTimers).toBe(0);

    const inFlight = setup([]);
    const onReady = vi.fn();
    inFlight.map.onReady(onReady);
    inFlight.map.close();
    inFlight.held.shift()?.resolve({ shards: shardsCovering([], [0]) });
    await settle();
    expect(inFlight.map.state).toBe('UPDATING');
    expect(inFlight.map.predict(key(1n))).toBe(-1);
    expect(onReady).not.toHaveBeenCalled();
    expect(inFlight.clock.pendingTimers).toBe(0);
  });
});

describe('ShardMap invalidation storm guards', () => {
  async function readyTwoShards(): Promise<{ map: ShardMap; clock: FakeClock; requests: ListShardsRequest[] }> {
    const context = await readyMap(shardsCovering([MAX / 2n], [0, 1]));
    context.clock.advance(100);
    return context;
  }

  it('refreshes when the request started after the last update and the predicted shard is open', async () => {
    const { map, clock, requests } = await readyTwoShards();
    map.invalidate(clock.now() - 50, 1);
    expect(requests).toHaveLength(2);
    expect(map.state).toBe('UPDATING');
  });

  it('refreshes for a record that had no predicted shard', async () => {
    const { map, clock, requests } = await readyTwoShards();
    map.invalidate(clock.now(), -1);
    expect(requests).toHaveLength(2);
  });

  it('ignores a request that started before (or when) the map was last updated', async () => {
    const { map, requests } = await readyTwoShards();
    map.invalidate(map.updatedAt, 0);
    map.invalidate(map.updatedAt - 1, 0);
    expect(requests).toHaveLength(1);
    expect(map.state).toBe('READY');
  });

  it('ignores a predicted shard that is no longer open', async () => {
    const { map, clock, requests } = await readyTwoShards();
    map.invalidate(clock.now(), 7);
    expect(requests).toHaveLength(1);
  });

  it('ignores signals while a refresh is in flight or after a failure', async () => {
    const { map, clock, requests } = await readyTwoShards();
    map.invalidate(clock.now(), 0);
    expect(requests).toHaveLength(2);
    map.invalidate(clock.now(), 0);
    map.invalidate(clock.now(), -1);
    expect(requests).toHaveLength(2);

    const failed = setup([throttled()]);
    await settle();
    failed.map.invalidate(failed.clock.now() + 1, -1);
    expect(failed.requests).toHaveLength(1);
  });
});

describe('ShardMap closed-shard ranges', () => {
  it('keeps a split parent range for a TTL after the reshard, then sweeps it and stops its timer', async () => {
    const half = MAX / 2n;
    const quarter = half + half / 2n;
    const { map, clock, script, requests } = await readyMap(shardsCovering([half], [0, 1]));
    expect(clock.pendingTimers).toBe(0);

    clock.advance(1000);
    script.push({ shards: shardsCovering([half, quarter], [0, 2, 3]) });
    map.invalidate(clock.now(), 1);
    await settle();
    expect(requests).toHaveLength(2);
    expect(map.state).toBe('READY');
    const reshardAt = map.updatedAt;
    expect(map.predict(key(half + 1n))).toBe(2);
    expect(map.rangeOf(1)).toEqual({ start: key(half + 1n), end: key(MAX) });
    expect(clock.pendingTimers).toBe(1);

    clock.advance(reshardAt + 60_000 - clock.now());
    expect(map.rangeOf(1)).toBeDefined();
    clock.advance(30_000);
    expect(map.rangeOf(1)).toBeUndefined();
    expect(map.rangeOf(0)).toBeDefined();
    expect(map.rangeOf(2)).toEqual({ start: key(half + 1n), end: key(quarter) });
    expect(clock.pendingTimers).toBe(0);
  });

  it('does not sweep while the map is not READY', async () => {
    const half = MAX / 2n;
    const { map, clock, script } = await readyMap(shardsCovering([half], [0, 1]));
    clock.advance(1000);
    script.push({ shards: shardsCovering([half, half + 10n], [0, 2, 3]) });
    map.invalidate(clock.now(), 1);
    await settle();
    clock.advance(1000);
    map.invalidate(clock.now(), 0); // held: stays UPDATING
    expect(map.state).toBe('UPDATING');
    clock.advance(200_000);
    expect(map.rangeOf(1)).toBeDefined();
  });
});
