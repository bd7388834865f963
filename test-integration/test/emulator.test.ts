import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createInterface } from 'node:readline';
import { ListStreamsCommand, PutRecordsCommand, type KinesisClient } from '@aws-sdk/client-kinesis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createKinesisClient,
  createStream,
  hashRangeOf,
  listAllShards,
  readAllRecords,
  startKinesisLocal,
  uniqueStreamName,
  type KinesisLocal,
} from '../src/index.js';
import { emulatorEnvironment, locateEmulatorFiles, resolveKinesisLocalConfig } from '../src/emulator-config.js';
import { findFreePorts } from '../src/free-port.js';

function md5HashKey(partitionKey: string): bigint {
  return BigInt(`0x${createHash('md5').update(partitionKey, 'utf8').digest('hex')}`);
}

async function waitFor(condition: () => Promise<boolean> | boolean, timeoutMs: number): Promise<boolean> {
  const deadline = performance.now() + timeoutMs;
  while (performance.now() < deadline) {
    if (await condition()) return true;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return condition();
}

// Stands in for a test process: starts an emulator the way the harness does (same preload and
// environment, with itself as the parent), prints the emulator's pid, then idles until killed.
const fakeTestProcess = `
const { spawn } = require('node:child_process');
const [preload, main] = process.argv.slice(1);
const child = spawn(process.execPath, ['--require', preload, main], {
  env: { ...process.env, TSKPL_EMULATOR_PARENT_PID: String(process.pid) },
  stdio: 'ignore',
});
console.log(child.pid);
setInterval(() => {}, 1000);
`;

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

describe('kinesis-local harness', () => {
  let emulator: KinesisLocal;
  let client: KinesisClient;

  beforeAll(async () => {
    emulator = await startKinesisLocal();
    client = createKinesisClient(emulator.endpoint);
  });

  afterAll(async () => {
    client?.destroy();
    await emulator?.stop();
  });

  it('listens on a loopback endpoint with a live pid', () => {
    expect(emulator.endpoint).toBe(`http://127.0.0.1:${emulator.port}`);
    expect(isAlive(emulator.pid)).toBe(true);
  });

  it('stores PutRecords entries on the shard whose hash range holds MD5(partition key) and reads them back', async () => {
    const streamName = uniqueStreamName('harness');
    const summary = await createStream(client, streamName, 2);
    expect(summary.StreamStatus).toBe('ACTIVE');
    expect(summary.OpenShardCount).toBe(2);

    const sent = Array.from({ length: 50 }, (_, index) => ({
      partitionKey: `key-${index}-${'x'.repeat(index % 7)}`,
      data: new TextEncoder().encode(`record ${index}`),
    }));
    const response = await client.send(
      new PutRecordsCommand({ StreamName: streamName, Records: sent.map((record) => ({ PartitionKey: record.partitionKey, Data: record.data })) }),
    );
    expect(response.FailedRecordCount ?? 0).toBe(0);

    const shards = await listAllShards(client, streamName);
    expect(shards).toHaveLength(2);
    const ranges = new Map(shards.map((shard) => [shard.ShardId, hashRangeOf(shard)]));

    const stored = await readAllRecords(client, streamName);
    expect(stored).toHaveLength(sent.length);
    const byKey = new Map(stored.map((record) => [record.partitionKey, record]));
    sent.forEach((record, index) => {
      const found = byKey.get(record.partitionKey);
      expect(found, record.partitionKey).toBeDefined();
      expect(Buffer.from(found?.data ?? []).toString()).toBe(`record ${index}`);
      // The result entry names the same shard the record was read from.
      expect(response.Records?.[index]?.ShardId).toBe(found?.shardId);
      expect(response.Records?.[index]?.SequenceNumber).toBe(found?.sequenceNumber);
      const range = ranges.get(found?.shardId);
      const hashKey = md5HashKey(record.partitionKey);
      expect(range && hashKey >= range.start && hashKey <= range.end, `${record.partitionKey} on ${found?.shardId}`).toBe(true);
    });
    // Both shards got records, so the check above really distinguishes them.
    expect(new Set(stored.map((record) => record.shardId)).size).toBe(2);
  });

  it('stop() ends the process so its pid is no longer alive, and is idempotent', async () => {
    const second = await startKinesisLocal();
    expect(isAlive(second.pid)).toBe(true);
    await second.stop();
    expect(isAlive(second.pid)).toBe(false);
    await expect(second.stop()).resolves.toBeUndefined();
  });

  it('an emulator ends by itself when the test process that started it is killed', async () => {
    const files = locateEmulatorFiles();
    const [port, tlsPort] = await findFreePorts(2, '127.0.0.1');
    const env = emulatorEnvironment(resolveKinesisLocalConfig(), files, port ?? 0, tlsPort ?? 0);
    const parent = spawn(process.execPath, ['-e', fakeTestProcess, files.preloadPath, files.mainPath], { env, stdio: ['ignore', 'pipe', 'inherit'] });
    const firstLine = await new Promise<string>((resolve, reject) => {
      createInterface({ input: parent.stdout }).once('line', resolve);
      parent.once('exit', () => reject(new Error('The stand-in test process exited before printing a pid.')));
    });
    const orphanPid = Number(firstLine);
    const probe = createKinesisClient(`http://127.0.0.1:${port}`, { maxAttempts: 1, requestTimeoutMs: 1_000 });
    try {
      expect(Number.isInteger(orphanPid) && orphanPid > 0).toBe(true);
      const answered = await waitFor(() => probe.send(new ListStreamsCommand({})).then(() => true, () => false), 60_000);
      expect(answered).toBe(true);
      parent.kill('SIGKILL'); // no exit handler runs in the parent
      expect(await waitFor(() => !isAlive(orphanPid), 10_000)).toBe(true);
    } finally {
      probe.destroy();
      parent.kill('SIGKILL');
      if (orphanPid > 0 && isAlive(orphanPid)) process.kill(orphanPid, 'SIGKILL');
    }
  });
});
