import { afterAll, beforeAll, expect, it } from 'vitest';
import { ConfigError } from '@tskpl/producer';
import { SyncProducer, WorkerError, WorkerExitedError } from '../src/index.js';
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

function startDoomed(mode: 'exit' | 'throw' | 'hang', extra: Record<string, unknown> = {}): SyncProducer {
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

it('declares a worker whose heartbeat stopped (killed, out of memory, stuck) dead instead of hanging', () => {
  const producer = startDoomed('hang', { workerHeartbeatTimeoutMs: 500 });
  const pending = producer.putRecord({ streamName, partitionKey: 'k', data });
  const error = expectWorkerExited(() => pending.wait());
  expect(error.message).toContain('stopped responding');
  expectWorkerExited(() => producer.putRecord({ streamName, partitionKey: 'k', data }));
  expectWorkerExited(() => producer.close());
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
