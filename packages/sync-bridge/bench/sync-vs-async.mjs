// Throughput of SyncProducer (blocking, producer on a worker thread) against the async Producer,
// same machine, same run, same fake Kinesis (on its own thread), 100-byte records.
// Runs over the built packages: `npm run build -w packages/sync-bridge` (and its dependencies) first.
// Usage: node bench/sync-vs-async.mjs [records per run = 100000] [rounds = 3]
import { cpus, totalmem } from 'node:os';
import { once } from 'node:events';
import { Worker } from 'node:worker_threads';
import { Producer } from '@tskpl/producer';
import { SyncProducer } from '@tskpl/sync-bridge';

const recordsPerRun = Number(process.argv[2] ?? 100_000);
const rounds = Number(process.argv[3] ?? 3);
const shardCount = 8;
const streams = Array.from({ length: rounds * 2 }, (_, index) => `bench-${index}`);
const host = new Worker(new URL('./fake-kinesis-host.mjs', import.meta.url), { workerData: { streams, shardCount } });
const [{ endpoint, region }] = await once(host, 'message');
const options = { endpoint, region, credentials: { accessKeyId: 'fake', secretAccessKey: 'fake' }, metricsLevel: 'none' };
const payload = new Uint8Array(100).fill(42);
const keys = Array.from({ length: 1000 }, (_, index) => `partition-key-${index}`);

async function runAsync(streamName) {
  const producer = new Producer(options);
  const started = performance.now();
  const outcomes = [];
  for (let index = 0; index < recordsPerRun; index++) {
    outcomes.push(await producer.putRecord({ streamName, partitionKey: keys[index % keys.length], data: payload }));
  }
  await producer.flush();
  let successful = 0;
  for (const outcome of outcomes) if ((await outcome.wait()).successful) successful++;
  const elapsedMs = performance.now() - started;
  await producer.close();
  return { elapsedMs, successful };
}

function runSync(streamName) {
  const producer = new SyncProducer(options);
  const started = performance.now();
  const outcomes = [];
  for (let index = 0; index < recordsPerRun; index++) {
    outcomes.push(producer.putRecord({ streamName, partitionKey: keys[index % keys.length], data: payload }));
  }
  producer.flush();
  let successful = 0;
  for (const outcome of outcomes) if (outcome.wait().successful) successful++;
  const elapsedMs = performance.now() - started;
  producer.close();
  return { elapsedMs, successful };
}

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const rates = { async: [], sync: [] };
for (let round = 0; round < rounds; round++) {
  for (const kind of round % 2 === 0 ? ['async', 'sync'] : ['sync', 'async']) {
    const streamName = streams[round * 2 + (kind === 'async' ? 0 : 1)];
    const { elapsedMs, successful } = kind === 'async' ? await runAsync(streamName) : runSync(streamName);
    if (successful !== recordsPerRun) throw new Error(`${kind}: only ${successful} of ${recordsPerRun} records succeeded`);
    const rate = (recordsPerRun / elapsedMs) * 1000;
    rates[kind].push(rate);
    console.log(`round ${round + 1} ${kind.padEnd(5)} ${Math.round(rate).toLocaleString('en-US').padStart(9)} records/s (${elapsedMs.toFixed(0)} ms)`);
  }
}
host.postMessage('close');
const asyncRate = median(rates.async);
const syncRate = median(rates.sync);
console.log(`\nmedian async ${Math.round(asyncRate).toLocaleString('en-US')} records/s, sync ${Math.round(syncRate).toLocaleString('en-US')} records/s, sync/async = ${(syncRate / asyncRate).toFixed(2)}`);
console.log(`machine: ${cpus()[0]?.model ?? 'unknown CPU'}, ${cpus().length} cores, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}, ${process.platform}/${process.arch}`);
