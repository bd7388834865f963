import { createServer, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { runChild } from './__tests__/run-child.js';

describe('CloudWatchSink in a process, with an endpoint that accepts and never answers', () => {
  it('flush() waits for records only, close() is bounded, and the process then exits on its own', async () => {
    const sockets = new Set<Socket>();
    const server = createServer((socket) => {
      sockets.add(socket); // read and hold: never a byte back
      socket.on('close', () => sockets.delete(socket));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      const run = await runChild('src/__tests__/close-with-hung-endpoint.ts', { CLOUDWATCH_ENDPOINT: endpoint, AWS_REGION: undefined, AWS_DEFAULT_REGION: undefined }, 40_000);
      expect(run.code, run.stderr).toBe(0);
      const { flushMs, closeMs } = JSON.parse(run.stdout.trim()) as { flushMs: number; closeMs: number };
      expect(flushMs).toBeLessThan(1_000);
      expect(closeMs).toBeLessThan(11_000); // the producer waits at most 10 s for the final export and the shutdown
      expect(run.elapsedMs).toBeLessThan(closeMs + 8_000); // start-up and the put loop, but no lingering after close()
    } finally {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  }, 60_000);
});
