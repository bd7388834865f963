// The kinesis-local launcher of @tskpl/testkit, from its sources and from its built dist (ESM and
// CommonJS): loopback-only ports, routing as Kinesis does it, stop(), and no orphaned emulator.
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { PutRecordsCommand, type KinesisClient } from '@aws-sdk/client-kinesis';
import { startKinesisLocal, type KinesisLocal } from '@tskpl/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createKinesisClient, createStream, hashRangeOf, listAllShards, readAllRecords, uniqueStreamName } from '../src/index.js';

const testkitDist = fileURLToPath(new URL('../../packages/testkit/dist/', import.meta.url));

function md5HashKey(partitionKey: string): bigint {
  return BigInt(`0x${createHash('md5').update(partitionKey, 'utf8').digest('hex')}`);
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Local addresses (`127.0.0.1`, `0.0.0.0`, `::`…) with a TCP socket LISTENing on `port`, from /proc/net/tcp{,6}. */
function listeningAddresses(port: number): string[] {
  const addresses: string[] = [];
  for (const file of ['/proc/net/tcp', '/proc/net/tcp6']) {
    if (!existsSync(file)) continue;
    for (const line of readFileSync(file, 'utf8').split('\n').slice(1)) {
      const [, local, , state] = line.trim().split(/\s+/);
      if (state !== '0A' || local === undefined) continue;
      const [addressHex, portHex] = local.split(':');
      if (Number.parseInt(portHex ?? '', 16) !== port || addressHex === undefined) continue;
      addresses.push(addressHex.length === 8 ? Buffer.from(addressHex, 'hex').reverse().join('.') : addressHex === '0'.repeat(32) ? '::' : addressHex);
    }
  }
  return addresses;
}

async function waitFor(condition: () => boolean, timeoutMs: number): Promise<boolean> {
  const deadline = performance.now() + timeoutMs;
  while (performance.now() < deadline) {
    if (condition()) return true;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return condition();
}

describe('startKinesisLocal from the sources', () => {
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

  it('listens on 127.0.0.1 only, on both of its ports', () => {
    expect(emulator.endpoint).toBe(`http://127.0.0.1:${emulator.port}`);
    expect(isAlive(emulator.pid)).toBe(true);
    expect(listeningAddresses(emulator.port)).toEqual(['127.0.0.1']);
    expect(listeningAddresses(emulator.tlsPort)).toEqual(['127.0.0.1']);
  });

  it('stores PutRecords entries on the shard whose hash range holds MD5(partition key) and reads them back', async () => {
    const streamName = uniqueStreamName('harness');
    const summary = await createStream(client, streamName, 2);
    expect(summary.OpenShardCount).toBe(2);
    const sent = Array.from({ length: 50 }, (_, index) => ({ partitionKey: `key-${index}`, data: new TextEncoder().encode(`record ${index}`) }));
    const response = await client.send(
      new PutRecordsCommand({ StreamName: streamName, Records: sent.map((record) => ({ PartitionKey: record.partitionKey, Data: record.data })) }),
    );
    expect(response.FailedRecordCount ?? 0).toBe(0);
    const ranges = new Map((await listAllShards(client, streamName)).map((shard) => [shard.ShardId, hashRangeOf(shard)]));
    const stored = await readAllRecords(client, streamName);
    expect(stored).toHaveLength(sent.length);
    const byKey = new Map(stored.map((record) => [record.partitionKey, record]));
    sent.forEach((record, index) => {
      const found = byKey.get(record.partitionKey);
      expect(Buffer.from(found?.data ?? []).toString()).toBe(`record ${index}`);
      expect(response.Records?.[index]?.ShardId).toBe(found?.shardId);
      expect(response.Records?.[index]?.SequenceNumber).toBe(found?.sequenceNumber);
      const range = ranges.get(found?.shardId);
      const hashKey = md5HashKey(record.partitionKey);
      expect(range !== undefined && hashKey >= range.start && hashKey <= range.end, `${record.partitionKey} on ${found?.shardId}`).toBe(true);
    });
    expect(new Set(stored.map((record) => record.shardId)).size).toBe(2);
  });

  it('stop() ends the process and is idempotent', async () => {
    const second = await startKinesisLocal();
    expect(isAlive(second.pid)).toBe(true);
    await second.stop();
    expect(isAlive(second.pid)).toBe(false);
    await expect(second.stop()).resolves.toBeUndefined();
  });
});

// A stand-in test process: loads the BUILT testkit (CommonJS or ESM), starts an emulator, prints
// `pid port tlsPort`, then idles until it is killed without running any exit handler.
const standIn = {
  cjs: `const { startKinesisLocal } = require(process.argv[1]);
startKinesisLocal().then((e) => console.log(e.pid, e.port, e.tlsPort), (error) => { console.error(error); process.exit(1); });
setInterval(() => {}, 1000);`,
  esm: `const { startKinesisLocal } = await import(process.argv[1]);
startKinesisLocal().then((e) => console.log(e.pid, e.port, e.tlsPort), (error) => { console.error(error); process.exit(1); });
setInterval(() => {}, 1000);`,
};

describe('startKinesisLocal from the built testkit', () => {
  it.each([
    ['cjs', 'index.cjs'],
    ['esm', 'index.js'],
  ] as const)('%s build: binds loopback only, and the emulator dies with its killed parent', async (format, file) => {
    const entry = `${testkitDist}${file}`;
    if (!existsSync(entry)) throw new Error(`${entry} is missing: build the testkit first (npm run build -w packages/testkit; turbo's test:integration does).`);
    const args = format === 'cjs' ? ['-e', standIn.cjs, entry] : ['--input-type=module', '-e', standIn.esm, entry];
    const parent = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'inherit'] });
    let emulatorPid = 0;
    try {
      const line = await new Promise<string>((resolve, reject) => {
        createInterface({ input: parent.stdout }).once('line', resolve);
        parent.once('exit', () => reject(new Error('The stand-in test process exited before printing a pid.')));
      });
      const [pid, port, tlsPort] = line.split(' ').map(Number);
      emulatorPid = pid ?? 0;
      expect(isAlive(emulatorPid)).toBe(true);
      expect(listeningAddresses(port ?? 0)).toEqual(['127.0.0.1']);
      expect(listeningAddresses(tlsPort ?? 0)).toEqual(['127.0.0.1']);
      parent.kill('SIGKILL'); // no exit handler runs in the parent
      expect(await waitFor(() => !isAlive(emulatorPid), 10_000)).toBe(true);
    } finally {
      parent.kill('SIGKILL');
      if (emulatorPid > 0 && isAlive(emulatorPid)) process.kill(emulatorPid, 'SIGKILL');
    }
  });
});
