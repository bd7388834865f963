import { KinesisClient } from '@aws-sdk/client-kinesis';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { afterEach } from 'vitest';
import { startFakeKinesis } from '../server/fake-kinesis.js';
import type { FakeKinesis } from '../server/fake-kinesis.js';
import type { FakeKinesisOptions } from '../config/options.js';

/** A fake plus a real SDK client pointed at it (HTTP/1.1, SDK retries off); closed after each test. */
export interface Harness {
  fake: FakeKinesis;
  client: KinesisClient;
}

const open: Harness[] = [];

afterEach(async () => {
  for (const harness of open.splice(0)) {
    harness.client.destroy();
    await harness.fake.close();
  }
});

/** Starts a fake and a client; `requestTimeoutMs` sets the client's request timeout. */
export async function startHarness(options: FakeKinesisOptions = {}, requestTimeoutMs = 5000): Promise<Harness> {
  const fake = await startFakeKinesis(options);
  const client = new KinesisClient({
    ...fake.clientConfig(),
    maxAttempts: 1,
    requestHandler: new NodeHttpHandler({ requestTimeout: requestTimeoutMs, connectionTimeout: 2000, throwOnRequestTimeout: true }),
  });
  const harness = { fake, client };
  open.push(harness);
  return harness;
}

/** The rejection of `promise` (fails the test when it resolves). */
export async function rejectionOf(promise: Promise<unknown>): Promise<Error & { name: string; $metadata?: { httpStatusCode?: number }; $fault?: string }> {
  try {
    await promise;
  } catch (error) {
    return error as Error & { name: string };
  }
  throw new Error('expected the promise to reject, but it resolved');
}

/** `count` entries of `size` bytes each with distinct partition keys. */
export function entries(count: number, size = 10, prefix = 'key'): Array<{ Data: Uint8Array; PartitionKey: string }> {
  return Array.from({ length: count }, (_, index) => ({ Data: new Uint8Array(size).fill(index % 256), PartitionKey: `${prefix}-${index}` }));
}
