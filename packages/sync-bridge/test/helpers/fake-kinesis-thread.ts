/**
 * Starts `@tskpl/testkit`'s fake Kinesis on its own worker thread (see fixtures/fake-kinesis-host.ts),
 * so the test's thread can block in a SyncProducer while the fake serves the worker's requests.
 */
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { CreateStreamOptions } from '@tskpl/testkit';
import { testBuildDir } from '../build-for-tests.js';

/** A fake Kinesis on another thread; every method is asynchronous (call them while not blocked). */
export interface FakeKinesisThread {
  readonly endpoint: string;
  readonly region: string;
  createStream(options: CreateStreamOptions): Promise<void>;
  count(streamName: string): Promise<number>;
  sequenceNumbers(streamName: string): Promise<string[]>;
  /** Delays every PutRecords on the stream by `ms`. */
  latency(streamName: string, ms: number): Promise<void>;
  /** Every PutRecords on the stream is never answered, until {@link clearFaults}. */
  hang(streamName: string): Promise<void>;
  /** Removes every fault. */
  clearFaults(): Promise<void>;
  close(): Promise<void>;
}

/** Starts the fake; resolves once it listens. */
export async function startFakeKinesisThread(): Promise<FakeKinesisThread> {
  const worker = new Worker(join(testBuildDir, 'fake-kinesis-host.js'));
  const waiting = new Map<number, (value: unknown) => void>();
  let nextId = 0;
  const ready = await new Promise<{ endpoint: string; region: string }>((resolve, reject) => {
    worker.once('error', reject);
    worker.on('message', (message: { ready?: boolean; endpoint: string; region: string; id: number; value: unknown }) => {
      if (message.ready === true) resolve(message);
      else waiting.get(message.id)?.(message.value);
    });
  });
  const call = <T>(request: Record<string, unknown>): Promise<T> =>
    new Promise<T>((resolve) => {
      const id = ++nextId;
      waiting.set(id, (value) => {
        waiting.delete(id);
        resolve(value as T);
      });
      worker.postMessage({ ...request, id });
    });
  return {
    endpoint: ready.endpoint,
    region: ready.region,
    createStream: (options) => call<void>({ op: 'createStream', options }),
    count: (streamName) => call<number>({ op: 'count', streamName }),
    sequenceNumbers: (streamName) => call<string[]>({ op: 'sequenceNumbers', streamName }),
    latency: (streamName, ms) => call<void>({ op: 'latency', streamName, ms }),
    hang: (streamName) => call<void>({ op: 'hang', streamName }),
    clearFaults: () => call<void>({ op: 'clearFaults' }),
    close: async () => {
      await call<void>({ op: 'close' });
      await worker.terminate();
    },
  };
}

/** Where the test build of the package lives (ESM and CJS entries, worker files). */
export const testBuild = {
  esm: join(testBuildDir, 'index.js'),
  cjs: join(testBuildDir, 'index.cjs'),
  workerEsm: join(testBuildDir, 'worker.js'),
  workerCjs: join(testBuildDir, 'worker.cjs'),
};

/** Producer options that point the worker's producer at the fake. */
export function fakeOptions(fake: FakeKinesisThread): { endpoint: string; region: string; credentials: { accessKeyId: string; secretAccessKey: string }; workerFile: string } {
  return { endpoint: fake.endpoint, region: fake.region, credentials: { accessKeyId: 'fake', secretAccessKey: 'fake' }, workerFile: testBuild.workerEsm };
}

let streamCounter = 0;
/** A stream name unique within the test run. */
export function uniqueStreamName(prefix: string): string {
  streamCounter += 1;
  return `${prefix}-${process.pid}-${streamCounter}`;
}
