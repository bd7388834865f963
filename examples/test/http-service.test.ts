import { afterEach, describe, expect, it } from 'vitest';
import type { FakeKinesis } from '@tskpl/testkit';
import { runExample, startStream, storedPayloads } from './helpers.js';

let fake: FakeKinesis | undefined;
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

describe('examples/src/http-service.ts', () => {
  it('on SIGTERM under load, stops accepting, delivers every record it answered 202 for, and exits 0', async () => {
    const started = await startStream('http-orders');
    fake = started.fake;
    // Slow PutRecords answers, so that records are still outstanding when SIGTERM arrives.
    fake.faults.rate({ operation: 'PutRecords', probability: 1, fault: { type: 'latency', ms: 150, maxMs: 300 } });
    const service = runExample('http-service.js', { ...started.env, PORT: '0' });
    const [, url] = await service.line(/listening on (http:\/\/\S+),/);

    const accepted: string[] = [];
    const refusedAfterSigterm: string[] = [];
    let sigtermSent = false;
    let next = 0;
    const client = async () => {
      for (;;) {
        const id = `order-${next++}`;
        try {
          const response = await fetch(`${url}/orders`, { method: 'POST', body: JSON.stringify({ id }), headers: { 'x-customer-id': `c-${next % 50}` } });
          await response.text();
          if (response.status === 202) accepted.push(id);
          else if (sigtermSent) refusedAfterSigterm.push(id);
          else throw new Error(`status ${response.status} before SIGTERM`);
        } catch (error) {
          if (!sigtermSent) throw error;
          refusedAfterSigterm.push(id); // connection refused or reset: the server stopped accepting
          return;
        }
      }
    };
    const clients = Array.from({ length: 8 }, () => client());
    while (accepted.length < 400) await new Promise((resolve) => setTimeout(resolve, 10));
    service.child.kill('SIGTERM');
    sigtermSent = true;
    await Promise.all(clients);
    const code = await service.exited;

    expect(code, service.stderr()).toBe(0);
    const [, outstandingAtSigterm] = service.stdout().match(/SIGTERM: .*\((\d+) outstanding\)/) ?? [];
    expect(Number(outstandingAtSigterm)).toBeGreaterThan(0); // the test did catch records in flight
    expect(refusedAfterSigterm.length).toBeGreaterThan(0); // it stopped accepting
    const stored = storedPayloads(fake, 'http-orders').map((payload) => (JSON.parse(payload) as { id: string }).id);
    const storedSet = new Set(stored);
    expect(accepted.filter((id) => !storedSet.has(id))).toEqual([]); // nothing answered 202 was lost
    expect(service.stdout()).toMatch(new RegExp(`closed: \\d+ records admitted, 0 failed`));
  });
});
