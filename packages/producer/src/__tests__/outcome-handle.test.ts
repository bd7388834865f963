// What a caller can do with the Outcome it keeps: serialise it, and hold it after the producer is
// gone. The outcome is the pipeline's record object (record/pipeline-record.ts).
import { execFile } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { bytes, createHarness, results } from './harness.js';

const packageDir = fileURLToPath(new URL('../..', import.meta.url));

describe('Outcome as the caller holds it', () => {
  it('JSON.stringify writes done and result, never the payload or the pipeline', async () => {
    const { clock, producer } = createHarness({ orders: 1 });
    const outcome = await producer.putRecord({ streamName: 'orders', partitionKey: 'secret-key', data: bytes('secret-payload') });
    expect(JSON.parse(JSON.stringify(outcome))).toEqual({ done: false });
    const [result] = await results(clock, [outcome]);
    const written = JSON.stringify(outcome);
    expect(JSON.parse(written)).toEqual({ done: true, result: JSON.parse(JSON.stringify(result)) });
    expect(written).not.toContain('secret-key');
    expect(written).not.toContain('owner');
    await producer.close();
  });

  it('wait() returns one promise per outcome, whether called before or after it settles', async () => {
    const { clock, producer } = createHarness({ orders: 1 });
    const early = await producer.putRecord({ streamName: 'orders', partitionKey: 'a', data: bytes('1') });
    const late = await producer.putRecord({ streamName: 'orders', partitionKey: 'b', data: bytes('2') });
    const waited = early.wait();
    const [result] = await results(clock, [early, late]);
    expect(early.wait()).toBe(waited);
    expect(late.wait()).toBe(late.wait());
    expect(await late.wait()).toBe(late.result);
    expect(await waited).toBe(result);
    await producer.close();
  });

  it('an outcome kept after close() does not keep the producer, its transport or its clock alive', async () => {
    // A separate process with --expose-gc, against the built package, as a user's process runs.
    const script = `
      import { Producer } from '@tskpl/producer';
      import { createFakeClock, FakeTransport } from '@tskpl/producer/testing';
      const kept = [];
      let refs;
      async function run() {
        const clock = createFakeClock();
        const transport = new FakeTransport({ orders: 2 });
        const producer = new Producer({ clock, transport });
        for (let i = 0; i < 10; i++) kept.push(await producer.putRecord({ streamName: 'orders', partitionKey: 'k' + i, data: new Uint8Array(1000) }));
        for (let step = 0; step < 100 && !kept.every((o) => o.done); step++) {
          clock.advance(100);
          await new Promise((resolve) => setImmediate(resolve));
        }
        await producer.close();
        refs = { producer: new WeakRef(producer), transport: new WeakRef(transport), clock: new WeakRef(clock) };
      }
      await run();
      for (let round = 0; round < 5; round++) { await new Promise((resolve) => setImmediate(resolve)); gc(); }
      console.log(JSON.stringify({
        successful: kept.every((o) => o.result?.successful === true),
        producer: refs.producer.deref() !== undefined,
        transport: refs.transport.deref() !== undefined,
        clock: refs.clock.deref() !== undefined,
      }));
    `;
    mkdirSync(`${packageDir}.tmp`, { recursive: true });
    const file = `${packageDir}.tmp/outcome-retention.mjs`;
    writeFileSync(file, script);
    const stdout = await new Promise<string>((resolve, reject) => {
      execFile(process.execPath, ['--expose-gc', file], { cwd: packageDir, timeout: 20_000 }, (error, out, stderr) => {
        if (error !== null) reject(new Error(`${error.message}\n${stderr}`));
        else resolve(out);
      });
    });
    expect(JSON.parse(stdout.trim().split('\n').pop()!)).toEqual({ successful: true, producer: false, transport: false, clock: false });
  });
});
