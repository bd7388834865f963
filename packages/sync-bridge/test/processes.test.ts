import { execFile } from 'node:child_process';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startFakeKinesisThread, testBuild, uniqueStreamName, type FakeKinesisThread } from './helpers/fake-kinesis-thread.js';

let fake: FakeKinesisThread;
beforeAll(async () => {
  fake = await startFakeKinesisThread();
});
afterAll(async () => fake.close());

const fixture = (name: string): string => fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url));

interface Run {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
  readonly elapsedMs: number;
}

function runNode(args: string[]): Promise<Run> {
  const started = performance.now();
  return new Promise((resolve) => {
    execFile(process.execPath, args, { timeout: 60_000 }, (error, stdout, stderr) => {
      resolve({ code: error === null ? 0 : typeof error.code === 'number' ? error.code : null, stdout, stderr, elapsedMs: performance.now() - started });
    });
  });
}

async function config(prefix: string, count: number, close = true): Promise<{ streamName: string; json: string }> {
  const streamName = uniqueStreamName(prefix);
  await fake.createStream({ streamName, shardCount: 4 });
  return { streamName, json: JSON.stringify({ endpoint: fake.endpoint, region: fake.region, streamName, count, close }) };
}

it('a CommonJS script with no async code puts 2000 records and gets every result', async () => {
  const { streamName, json } = await config('cjs', 2000);
  const run = await runNode([fixture('put-records.cjs'), testBuild.cjs, json]);
  expect(run.stderr.replace(/\(node:\d+\) Warning: NodeVersionSupportWarning[\s\S]*?trace-warnings[^\n]*\n/g, '')).toBe('');
  expect(run.code).toBe(0);
  expect(JSON.parse(run.stdout)).toEqual({ successful: 2000, distinct: 2000, outstanding: 0 });
  expect(await fake.count(streamName)).toBe(2000);
});

it('works from an ES module', async () => {
  const { streamName, json } = await config('esm', 500);
  const run = await runNode([fixture('put-records.mjs'), pathToFileURL(testBuild.esm).href, json]);
  expect(run.code).toBe(0);
  expect(JSON.parse(run.stdout)).toEqual({ successful: 500, distinct: 500 });
  expect(await fake.count(streamName)).toBe(500);
});

it('works from inside another worker thread', async () => {
  const { streamName, json } = await config('nested', 300);
  const worker = new Worker(fixture('put-records.mjs'), { workerData: { entry: pathToFileURL(testBuild.esm).href, config: json } });
  const summary = await new Promise((resolve, reject) => {
    worker.once('message', resolve);
    worker.once('error', reject);
  });
  expect(summary).toEqual({ successful: 300, distinct: 300 });
  expect(await fake.count(streamName)).toBe(300);
  await worker.terminate();
});

it('closes an unclosed producer at process exit with a bounded flush, and the process exits', async () => {
  const { streamName, json } = await config('unclosed', 700, false);
  const run = await runNode([fixture('put-records.cjs'), testBuild.cjs, json]);
  expect(run.code).toBe(0);
  expect(JSON.parse(run.stdout)).toEqual({ put: 700 });
  expect(await fake.count(streamName)).toBe(700);
  expect(run.elapsedMs).toBeLessThan(30_000);
});
