import type { KinesisClient } from '@aws-sdk/client-kinesis';
import { startKinesisLocal, type KinesisLocal } from '@tskpl/testkit';
import { afterAll, beforeAll } from 'vitest';
import { createKinesisClient } from './streams.js';

/** One kinesis-local and one SDK client for the tests of the calling `describe` block. */
export interface EmulatorSuite {
  readonly emulator: KinesisLocal;
  readonly client: KinesisClient;
}

/**
 * Starts kinesis-local before the block's tests and stops it (and its client) after them. Call it
 * inside `describe`; read `emulator` and `client` inside the tests.
 */
export function useEmulator(): EmulatorSuite {
  let emulator: KinesisLocal | undefined;
  let client: KinesisClient | undefined;
  beforeAll(async () => {
    emulator = await startKinesisLocal();
    client = createKinesisClient(emulator.endpoint);
  });
  afterAll(async () => {
    client?.destroy();
    await emulator?.stop();
  });
  return {
    get emulator() {
      if (emulator === undefined) throw new Error('the emulator is started in beforeAll; use it inside tests');
      return emulator;
    },
    get client() {
      if (client === undefined) throw new Error('the client is created in beforeAll; use it inside tests');
      return client;
    },
  };
}
