import { writeFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { FakeKinesis } from '@tskpl/testkit';
import { afterEach, describe, expect, it } from 'vitest';
import { runExample, startStream, storedPayloads } from './helpers.js';

let fake: FakeKinesis | undefined;
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

const lines = (count: number) => Array.from({ length: count }, (_, id) => JSON.stringify({ id, customer: `c-${id % 40}`, note: 'é✓'.repeat(id % 5) }));

describe('examples/src/pipe-ndjson.ts', () => {
  it('pipes stdin through producer.writable(): every line stored once, outstanding never above maxOutstandingRecords', async () => {
    const started = await startStream('ndjson');
    fake = started.fake;
    // Slow answers make the producer fill up, so backpressure has to hold the input back.
    fake.faults.rate({ operation: 'PutRecords', probability: 1, fault: { type: 'latency', ms: 30, maxMs: 60 } });
    const example = runExample('pipe-ndjson.js', { ...started.env, MAX_OUTSTANDING: '500', PARTITION_KEY_FIELD: 'customer' });
    const input = lines(10_000);
    // Write in small pieces that split lines (and multi-byte characters) across chunks, honouring the pipe's backpressure.
    const bytes = Buffer.from(input.join('\n') + '\n');
    const pieces = Array.from({ length: Math.ceil(bytes.length / 777) }, (_, index) => bytes.subarray(index * 777, (index + 1) * 777));
    // (If the example dies early, the pipe breaks; the exit code below then tells why.)
    await pipeline(Readable.from(pieces), example.child.stdin).catch(() => undefined);
    expect(await example.exited, example.stderr()).toBe(0);
    const summary = JSON.parse(example.stdout().trim().split('\n').at(-1)!) as Record<string, number>;
    expect(summary).toMatchObject({ lines: 10_000, invalid: 0, delivered: 10_000, failed: 0 });
    expect(summary.peakOutstanding).toBeLessThanOrEqual(500);
    expect(summary.peakOutstanding).toBeGreaterThanOrEqual(400); // the bound was reached: the input was held back
    expect(storedPayloads(fake, 'ndjson').sort()).toEqual([...input].sort());
  });

  it('reads a file argument, skips lines that are not JSON and exits 1 for them', async () => {
    const started = await startStream('ndjson-file');
    fake = started.fake;
    const dir = mkdtempSync(join(tmpdir(), 'ndjson-'));
    try {
      const file = join(dir, 'input.ndjson');
      writeFileSync(file, ['{"id":1}', 'not json', '', '{"id":2}'].join('\n'));
      const example = runExample('pipe-ndjson.js', started.env, [file]);
      expect(await example.exited).toBe(1);
      expect(JSON.parse(example.stdout().trim())).toMatchObject({ lines: 3, invalid: 1, delivered: 2, failed: 0 });
      expect(example.stderr()).toMatch(/line 2: not JSON/);
      expect(storedPayloads(fake, 'ndjson-file').sort()).toEqual(['{"id":1}', '{"id":2}']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
