// The packed packages on every runtime of runtimes.json, through their ESM and their CJS
// entries: exports present, 1000 records produced to the fake Kinesis (in this process) and read
// back by the runtime itself, every result checked against what is stored, 100 more through the
// sync bridge (worker_threads + Atomics.wait). The fake's ledger is checked here as well.
import { execFile } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { deaggregate } from '@tskpl/agg-codec';
import { startFakeKinesis, type FakeKinesis } from '@tskpl/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { commandFor, createConsumerProject, installRuntimes, RUNTIMES, type Runtime } from '../src/setup.js';

const run = promisify(execFile);
let runtimes: Runtime[] = [];
let project = '';
let fake: FakeKinesis;

beforeAll(async () => {
  [runtimes, project] = await Promise.all([installRuntimes(), createConsumerProject()]);
  fake = await startFakeKinesis();
});
afterAll(async () => {
  await fake?.close();
  if (project) rmSync(project, { recursive: true, force: true });
});

interface SmokeReport {
  entry: string;
  runtime: string;
  verified: number;
  expected: number;
  sync: string;
  problems: string[];
}

describe.each(RUNTIMES.map((spec) => spec.name))('%s', (name) => {
  it.each(['esm', 'cjs'])('%s entries: imports every package, 1000 + 100 sync records delivered and verified', async (entry) => {
    const runtime = runtimes.find((candidate) => candidate.name === name)!;
    const streamName = `${name}-${entry}`;
    fake.createStream({ streamName, shardCount: 4 });
    const [executable, ...args] = commandFor(runtime, join(project, entry === 'esm' ? 'smoke.mjs' : 'smoke.cjs'));
    const env = { ...process.env, KINESIS_ENDPOINT: fake.clientConfig().endpoint, STREAM_NAME: streamName, DENO_NO_UPDATE_CHECK: '1', NO_COLOR: '1' };
    const { stdout } = await run(executable!, args, { cwd: project, env, maxBuffer: 16 * 1024 * 1024 }).catch((error: Error & { stdout?: string; stderr?: string }) => {
      throw new Error(`${name} ${entry} failed: ${error.message}\n${error.stdout ?? ''}\n${error.stderr ?? ''}`);
    });
    const report = JSON.parse(stdout.trim().split('\n').at(-1)!) as SmokeReport;
    expect(report).toMatchObject({ entry, verified: 1100, expected: 1100, sync: '100 records', problems: [] });
    expect(report.runtime).toMatch(runtime.kind === 'node' ? `node ${runtime.version === 'current' ? process.versions.node : runtime.version}` : `${runtime.kind} ${runtime.version}`);
    const stored = fake.ledger.records(streamName).flatMap((record) => deaggregate({ data: record.data ?? new Uint8Array(), partitionKey: record.partitionKey }));
    expect(new Set(stored.map((member) => Buffer.from(member.data).toString('utf8'))).size).toBe(1100);
    console.log(`${name} ${entry}: ${report.runtime}, ${report.verified} records verified, sync bridge ${report.sync}`);
  });
});
