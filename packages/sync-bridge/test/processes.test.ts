import { execFile, spawn } from 'node:child_process';
import { copyFileSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startFakeKinesisThread, testBuild, uniqueStreamName, type FakeKinesisThread } from './helpers/fake-kinesis-thread.js';
import { createTempApp } from './helpers/temp-app.js';

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

function runNode(args: string[], cwd?: string): Promise<Run> {
  const started = performance.now();
  return new Promise((resolve) => {
    execFile(process.execPath, args, { timeout: 60_000, cwd }, (error, stdout, stderr) => {
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

it('shows every line the worker logs while the caller runs synchronously and then calls process.exit(0)', async () => {
  const streamName = uniqueStreamName('missing'); // never created: the producer warns about it
  const json = JSON.stringify({ endpoint: fake.endpoint, region: fake.region, streamName, sinkModule: pathToFileURL(fixture('logging-sink.mjs')).href, loopMs: 1500 });
  const run = await runNode([fixture('logs-in-sync-loop.cjs'), testBuild.cjs, json]);
  expect(run.code).toBe(0);
  const { lines } = JSON.parse(run.stdout) as { lines: number };
  expect(lines).toBeGreaterThanOrEqual(5);
  // Every line the worker's console wrote before the caller read the count, in order, none missing.
  const printed = [...run.stderr.matchAll(/^logging-sink: line (\d+)$/gm)].map((match) => Number(match[1]));
  expect(printed.slice(0, lines)).toEqual(Array.from({ length: lines }, (_, index) => index + 1));
  // And the producer's own warnings (its default logger), prefixed as the async producer prints them.
  expect(run.stderr).toMatch(new RegExp(`^\\[tskpl\\] .*${streamName}`, 'm'));
});

function runUntilReady(args: string[]): Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'inherit'] });
    let stdout = '';
    const killer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      if (stdout.includes('\n')) child.kill('SIGTERM');
    });
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      clearTimeout(killer);
      resolve({ code, signal, stdout });
    });
  });
}

it('stores every buffered record on SIGTERM with the README’s signal handler (and none without it)', async () => {
  const withHandler = await config('sigterm', 100);
  const handled = await runUntilReady([fixture('sigterm.cjs'), testBuild.cjs, JSON.stringify({ ...JSON.parse(withHandler.json), handler: true })]);
  expect(handled.stdout).toMatch(/^ready \d+\n$/);
  expect(handled).toMatchObject({ code: 0, signal: null });
  expect(await fake.count(withHandler.streamName)).toBe(100);

  // Why the handler is needed: a signal's default action ends the process without exit hooks.
  const without = await config('sigterm-default', 100);
  const killed = await runUntilReady([fixture('sigterm.cjs'), testBuild.cjs, JSON.stringify({ ...JSON.parse(without.json), handler: false })]);
  expect(killed.signal).toBe('SIGTERM');
  expect(await fake.count(without.streamName)).toBe(0);
});

it('resolves package-name specifiers from the main script’s folder by default (pnpm-style layout)', async () => {
  const app = createTempApp();
  try {
    const main = join(app.appDir, 'main.cjs');
    copyFileSync(fixture('resolve-from-main.cjs'), main);
    const marker = app.marker('main');
    const run = await runNode([main, testBuild.cjs, JSON.stringify({ endpoint: fake.endpoint, region: fake.region, marker })], tmpdir());
    expect(run.stderr.replace(/\(node:\d+\) Warning: NodeVersionSupportWarning[\s\S]*?trace-warnings[^\n]*\n/g, '')).toBe('');
    expect(run).toMatchObject({ code: 0, stdout: 'closed' });
    expect(readFileSync(marker, 'utf8')).toBe('esm');
  } finally {
    app.remove();
  }
});
