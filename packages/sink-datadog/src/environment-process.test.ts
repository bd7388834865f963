import { createSocket } from 'node:dgram';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';

/** The workspace's child-process runner (it bundles a test script from source and runs it with real timers), shared with sink-cloudwatch. */
type RunChild = (script: string, env: Record<string, string | undefined>) => Promise<{ code: number | null; stdout: string; stderr: string }>;
const { runChild } = (await import(new URL('../../sink-cloudwatch/src/__tests__/run-child.ts', import.meta.url).href)) as { runChild: RunChild };

describe('DatadogSink in a process configured by the Datadog environment variables', () => {
  it('sends to the port in DD_DOGSTATSD_PORT when no port is given', async () => {
    const socket = createSocket('udp4');
    const lines: string[] = [];
    socket.on('message', (message) => lines.push(...message.toString('utf8').split('\n').filter((line) => line.length > 0)));
    await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
    try {
      const port = (socket.address() as AddressInfo).port;
      const run = await runChild(new URL('./__tests__/export-from-environment.ts', import.meta.url).pathname, {
        DD_DOGSTATSD_PORT: String(port),
        DD_AGENT_HOST: '127.0.0.1',
        DD_DOGSTATSD_URL: undefined,
        DD_DOGSTATSD_SOCKET: undefined,
      });
      expect(run.code, run.stderr).toBe(0);
      for (let wait = 0; wait < 100 && lines.length === 0; wait++) await new Promise((resolve) => setTimeout(resolve, 20));
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatch(/^kpl\.UserRecordsPut:3\|c\|#run:child,stream_name:orders(\||$)/); // hot-shots may append its origin field (|c:…)
    } finally {
      await new Promise<void>((resolve) => socket.close(() => resolve()));
    }
  }, 60_000);
});
