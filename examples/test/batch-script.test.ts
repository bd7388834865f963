import { fileURLToPath } from 'node:url';
import { spawn } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import type { FakeKinesis } from '@tskpl/testkit';
import { startStream, storedPayloads } from './helpers.js';

let fake: FakeKinesis | undefined;
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

const script = fileURLToPath(new URL('../cjs/batch-script.cjs', import.meta.url));

function run(env: NodeJS.ProcessEnv): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [script], { env });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('examples/cjs/batch-script.cjs (CommonJS, SyncProducer)', () => {
  it('delivers every record, exits 0, and what is stored is what it put', async () => {
    const started = await startStream('batch');
    fake = started.fake;
    const { code, stdout, stderr } = await run({ ...started.env, RECORDS: '3000' });
    expect(code, stderr).toBe(0);
    expect(stdout).toMatch(/batch done: 3000 delivered, 0 failed/);
    const ids = storedPayloads(fake, 'batch')
      .map((payload) => (JSON.parse(payload) as { id: number }).id)
      .sort((a, b) => a - b);
    expect(new Set(ids).size).toBe(3000);
    expect(ids[0]).toBe(0);
    expect(ids.at(-1)).toBe(2999);
  });

  it('exits 1 and names the error when records fail', async () => {
    const started = await startStream('batch-denied');
    fake = started.fake;
    fake.faults.rate({ operation: 'PutRecords', probability: 1, fault: { type: 'error', errorType: 'AccessDeniedException' } });
    const { code, stdout, stderr } = await run({ ...started.env, RECORDS: '50', STREAM_NAME: 'batch-denied' });
    expect(code).toBe(1);
    expect(stdout).toMatch(/batch done: 0 delivered, 50 failed/);
    expect(stderr).toMatch(/failed: AccessDeniedException/);
  });
});
