import { afterAll, beforeAll, expect, it } from 'vitest';
import { ConfigError } from '@tskpl/producer';
import { SyncProducer, TimeoutError, WorkerError, WorkerExitedError } from '../src/index.js';
import { catchError } from './helpers/catch-error.js';
import { fakeOptions, startFakeKinesisThread, uniqueStreamName, type FakeKinesisThread } from './helpers/fake-kinesis-thread.js';

let fake: FakeKinesisThread;
let streamName: string;
beforeAll(async () => {
  fake = await startFakeKinesisThread();
  streamName = uniqueStreamName('death');
  await fake.createStream({ streamName, shardCount: 1 });
});
afterAll(async () => fake.close());

const sinkModule = new URL('./fixtures/misbehaving-sink.mjs', import.meta.url);
const data = new Uint8Array([1, 2, 3]);

function startDoomed(mode: 'exit' | 'throw' | 'vanish', extra: Record<string, unknown> = {}): SyncProducer {
  return new SyncProducer({
    ...fakeOptions(fake),
    // Records stay buffered long enough to be pending when the worker dies.
    recordMaxBufferedTimeMs: 60_000,
    metricsSink: { module: sinkModule, export: 'createMisbehavingSink', options: { mode, afterMs: 300 } },
    ...extra,
  });
}

function expectWorkerExited(run: () => unknown): WorkerExitedError {
  let caught: unknown;
  const started = performance.now();
  try {
    run();
  } catch (error) {
    caught = error;
  }
  expect(caught).toBeInstanceOf(WorkerExitedError);
  expect(performance.now() - started).toBeLessThan(10_000);
  return caught as WorkerExitedError;
}

it('turns a pending wait into WorkerExitedError when the worker calls process.exit, and every later call too', () => {
  const producer = startDoomed('exit');
  const pending = producer.putRecord({ streamName, partitionKey: 'k', data });
  const error = expectWorkerExited(() => pending.wait(20_000));
  expect(error).toMatchObject({ code: 'ERR_WORKER_EXITED', exitCode: 7 });
  expectWorkerExited(() => pending.wait());
  expectWorkerExited(() => producer.putRecord({ streamName, partitionKey: 'k', data }));
  expectWorkerExited(() => producer.flush());
  expectWorkerExited(() => producer.close());
  producer.close();
});

it('reports an error thrown in the worker as the cause, rebuilt with its message', () => {
  const producer = startDoomed('throw');
  const pending = producer.putRecord({ streamName, partitionKey: 'k', data });
  const error = expectWorkerExited(() => pending.wait(20_000));
  expectWorkerExited(() => producer.flush(20_000));
  expect(error.cause).toBeInstanceOf(WorkerError);
  expect((error.cause as WorkerError).message).toBe('the sink exploded');
  expect(error.exitCode).toBe(1);
  expectWorkerExited(() => producer.close());
});

it('detects a worker that died without running its exit hook (killed, out of memory), even with the heartbeat watch off', () => {
  const producer = startDoomed('vanish', { workerHeartbeatTimeoutMs: 0 });
  const pending = producer.putRecord({ streamName, partitionKey: 'k', data });
  const error = expectWorkerExited(() => pending.wait(15_000));
  expect(error.message).toContain('exited');
  expectWorkerExited(() => producer.putRecord({ streamName, partitionKey: 'k', data }));
  expectWorkerExited(() => producer.close());
});

it('treats a worker whose event loop stalls 2.5 s as slow, not dead: the blocked call throws TimeoutError, the worker survives, nothing is lost', async () => {
  const stallStream = uniqueStreamName('stall');
  await fake.createStream({ streamName: stallStream, shardCount: 1 });
  const stalled = new SharedArrayBuffer(4);
  const stage = new Int32Array(stalled);
  const producer = new SyncProducer({
    ...fakeOptions(fake),
    workerHeartbeatTimeoutMs: 1000,
    recordMaxBufferedTimeMs: 60_000,
    metricsSink: { module: sinkModule, export: 'createMisbehavingSink', options: { mode: 'stall', afterMs: 300, stallMs: 2500, stalled } },
  });
  const outcomes = Array.from({ length: 200 }, (_, index) => producer.putRecord({ streamName: stallStream, partitionKey: `k${index}`, data }));
  Atomics.wait(stage, 0, 0, 10_000);
  expect(Atomics.load(stage, 0)).toBe(1);
  // No deadline given: the stalled heartbeat ends this call only.
  const started = performance.now();
  const error = catchError(() => producer.flush());
  const elapsedMs = performance.now() - started;
  expect(error).toBeInstanceOf(TimeoutError);
  expect(error).toMatchObject({ code: 'ERR_SYNC_TIMEOUT', operation: 'flush', reason: 'unresponsive', timeoutMs: 1000, retriable: true });
  expect(elapsedMs).toBeGreaterThanOrEqual(950);
  expect(elapsedMs).toBeLessThan(2300);
  expect(Atomics.load(stage, 0)).toBe(1);
  // The same worker carries on once its event loop runs again.
  Atomics.wait(stage, 0, 1, 10_000);
  expect(Atomics.load(stage, 0)).toBe(2);
  producer.flush(20_000);
  expect(producer.outstandingRecords).toBe(0);
  producer.close(20_000);
  expect(outcomes.every((outcome) => outcome.wait(0).successful)).toBe(true);
  expect(await fake.count(stallStream)).toBe(200);
});

it('builds module-specified options in the worker and reports a bad specifier as ConfigError', () => {
  const producer = new SyncProducer({ ...fakeOptions(fake), metricsSink: { module: sinkModule, export: 'RecordingSink', options: { a: 1 } } });
  producer.close(20_000);
  let caught: unknown;
  try {
    new SyncProducer({ ...fakeOptions(fake), metricsSink: { module: sinkModule, export: 'NoSuchExport' } });
  } catch (error) {
    caught = error;
  }
  expect(caught).toBeInstanceOf(ConfigError);
  expect(caught).toMatchObject({ option: 'metricsSink' });
});
