import type { FakeKinesis } from '@tskpl/testkit';
import { afterEach, describe, expect, it } from 'vitest';
import { runExample, startStream } from './helpers.js';

let fake: FakeKinesis | undefined;
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

const SUMMARY_ROWS = ['delivered', 'verified', 'duplicates', 'aggregated share', 'shards', 'latency', 'retries', 'throughput', 'elapsed'];

function expectSummary(stdout: string, records: number): void {
  expect(stdout).toMatch(/put +\d+\/\d+ +delivered +\d+ +\d+ records\/s.* outstanding +\d+ +retries \d+ +throttled \d+/);
  for (const row of SUMMARY_ROWS) expect(stdout).toMatch(new RegExp(`^  ${row} +\\S`, 'm'));
  expect(stdout).toMatch(new RegExp(`delivered +${records} / ${records} \\(failed 0\\)`));
  expect(stdout).toMatch(/latency +p50 \d+ ms, p99 \d+ ms/);
  expect(stdout).toMatch(/Verified: every record delivered where its result says\./);
}

describe('examples/src/demo.ts', () => {
  it('against kinesis-local: produces, reads back, verifies, prints the summary, exits 0', async () => {
    const demo = runExample('demo.js', process.env, ['--records', '2000']);
    expect(await demo.exited, demo.stderr()).toBe(0);
    expectSummary(demo.stdout(), 2000);
  }, 120_000);

  it('with --stream: the same output for an existing stream (here the fake Kinesis, through KINESIS_ENDPOINT)', async () => {
    const started = await startStream('existing', 3);
    fake = started.fake;
    const demo = runExample('demo.js', started.env, ['--stream', 'existing', '--region', 'us-east-1', '--records', '3000']);
    expect(await demo.exited, demo.stderr()).toBe(0);
    expect(demo.stdout()).toMatch(/Using stream existing \(PROVISIONED, 3 open shards, us-east-1\)/);
    expectSummary(demo.stdout(), 3000);
    expect(demo.stdout()).toMatch(/shards +3 of 3/);
  });

  it('rejects a bad flag with the usage and exit code 2', async () => {
    const demo = runExample('demo.js', process.env, ['--records', 'many']);
    expect(await demo.exited).toBe(2);
    expect(demo.stderr()).toMatch(/--records must be a positive integer, got "many"[\s\S]*Usage: npm run demo/);
  });
});
