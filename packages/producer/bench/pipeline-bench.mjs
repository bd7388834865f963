// Pipeline benchmark: user records/s through the whole Producer with an in-process transport
// that answers every PutRecords at once (no network), 100 B records, aggregation on; compared in
// the same run with the aggregation step alone of aws-kinesis-agg on the same records. Also the
// heap held per outstanding record. Run: npm run build -w packages/producer && node --expose-gc bench/pipeline-bench.mjs
import { readFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { Producer } from '../dist/index.js';
import agg from 'aws-kinesis-agg';

const RECORDS = Number(process.argv[2] ?? 300_000);
const ROUNDS = Number(process.argv[3] ?? 5);
const MAX_HASH = (1n << 128n) - 1n;
const silent = { warn() {}, error() {} };

function instantTransport(shardCount) {
  const width = (MAX_HASH + 1n) / BigInt(shardCount);
  const ids = Array.from({ length: shardCount }, (_, index) => `shardId-${String(index).padStart(12, '0')}`);
  const state = { sequence: 0, hold: false, held: [] };
  return {
    state,
    async putRecords(_stream, entries) {
      if (state.hold) await new Promise((resolve) => state.held.push(resolve));
      const records = new Array(entries.length);
      for (let index = 0; index < entries.length; index++) {
        const shard = Number(BigInt(entries[index].explicitHashKey) / width);
        records[index] = { shardId: ids[Math.min(shard, shardCount - 1)], sequenceNumber: String(++state.sequence) };
      }
      return { records, failedRecordCount: 0 };
    },
    async listShards() {
      return {
        shards: ids.map((shardId, index) => ({
          shardId,
          startingHashKey: (width * BigInt(index)).toString(),
          endingHashKey: (index === shardCount - 1 ? MAX_HASH : width * BigInt(index + 1) - 1n).toString(),
        })),
      };
    },
    async describeStreamSummary() { return { maxRecordSizeInKiB: 1024 }; },
    destroy() {},
  };
}

const keys = Array.from({ length: 10_000 }, (_, index) => `customer-${index}`);
const payload = Buffer.alloc(100, 7);

async function runProducer(shardCount, metricsLevel) {
  // A fresh producer per round, timed from construction: the cold start (the shard map's first
  // answer) is part of what users get.
  const started = performance.now();
  const cpu = process.cpuUsage();
  const producer = new Producer({ transport: instantTransport(shardCount), logger: silent, metricsLevel, rateLimit: 100_000 });
  for (let index = 0; index < RECORDS; index++) {
    await producer.putRecord({ streamName: 'bench', partitionKey: keys[index % keys.length], data: payload });
  }
  await producer.flush();
  const seconds = (performance.now() - started) / 1000;
  const used = process.cpuUsage(cpu);
  await producer.close();
  return { wall: RECORDS / seconds, cpu: RECORDS / ((used.user + used.system) / 1e6) };
}

function runAwsKinesisAgg() {
  const records = Array.from({ length: RECORDS }, (_, index) => ({ partitionKey: keys[index % keys.length], data: payload }));
  const started = performance.now();
  const cpu = process.cpuUsage();
  let blobs = 0;
  agg.aggregate(records, (encoded) => { blobs++; void encoded; }, () => {}, (error) => { throw error; });
  const seconds = (performance.now() - started) / 1000;
  const used = process.cpuUsage(cpu);
  return { wall: RECORDS / seconds, cpu: RECORDS / ((used.user + used.system) / 1e6), blobs };
}

async function heapPerOutstanding() {
  const count = 100_000;
  const transport = instantTransport(4);
  const producer = new Producer({ transport, logger: silent, maxOutstandingRecords: count + 10, rateLimit: 100_000, metricsLevel: 'none' });
  transport.state.hold = true;
  const data = Array.from({ length: count }, () => Buffer.alloc(100, 7)); // the caller's buffers, allocated before measuring
  globalThis.gc?.();
  const before = process.memoryUsage();
  for (let index = 0; index < count; index++) {
    await producer.putRecord({ streamName: 'bench', partitionKey: keys[index % keys.length], data: data[index] });
  }
  await new Promise((resolve) => setTimeout(resolve, 300));
  globalThis.gc?.();
  const after = process.memoryUsage();
  const outstanding = producer.outstandingRecords;
  for (const release of transport.state.held.splice(0)) release();
  transport.state.hold = false;
  await producer.close();
  return { outstanding, heap: (after.heapUsed - before.heapUsed) / count, external: (after.external - before.external) / count };
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

const machine = `${cpus().length} × ${cpus()[0]?.model ?? 'unknown CPU'}, Node ${process.version}, load average ${readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ')}`;
console.log(`machine: ${machine}`);
console.log(`${RECORDS} records of 100 B per round, ${ROUNDS} rounds, medians; wall = records / elapsed, cpu = records / process CPU seconds`);
const cases = [['4 shards, metrics none', 4, 'none'], ['64 shards, metrics none', 64, 'none'], ['4 shards, metrics detailed (default)', 4, 'detailed']];
const samples = Object.fromEntries(cases.map(([label]) => [label, []]));
const aggSamples = [];
for (let round = 0; round < ROUNDS; round++) {
  for (const [label, shards, level] of cases) samples[label].push(await runProducer(shards, level));
  aggSamples.push(runAwsKinesisAgg());
}
const aggWall = median(aggSamples.map((sample) => sample.wall));
const aggCpu = median(aggSamples.map((sample) => sample.cpu));
const format = (value) => Math.round(value).toLocaleString('en');
for (const [label] of cases) {
  const wall = median(samples[label].map((sample) => sample.wall));
  const cpu = median(samples[label].map((sample) => sample.cpu));
  console.log(`producer, ${label}: ${format(wall)} records/s wall, ${format(cpu)} records/CPU-s (${(cpu / aggCpu).toFixed(2)}× aws-kinesis-agg's aggregation step alone, CPU)`);
}
console.log(`aws-kinesis-agg aggregate() alone (no shard prediction, no sending): ${format(aggWall)} records/s wall, ${format(aggCpu)} records/CPU-s`);
const heap = await heapPerOutstanding();
console.log(`memory per outstanding record (100 B data, ${heap.outstanding} held in flight): ${Math.round(heap.heap)} B heap + ${Math.round(heap.external)} B external${globalThis.gc ? '' : ' (run with --expose-gc for a clean figure)'}`);
