// Pipeline benchmark: user records/s through the whole Producer with an in-process transport
// that answers every PutRecords at once (no network), 100 B records, aggregation on; compared in
// the same run with the aggregation step alone of aws-kinesis-agg on the same records. Also the
// heap held per outstanding record. Run: npm run build -w packages/producer && node --expose-gc bench/pipeline-bench.mjs
import { createHash } from 'node:crypto';
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
  let sequence = 0;
  let hold = false;
  const held = [];
  return {
    set hold(value) { hold = value; },
    async putRecords(_stream, entries) {
      if (hold) await new Promise((resolve) => held.push(resolve));
      const records = new Array(entries.length);
      for (let index = 0; index < entries.length; index++) {
        const hashKey = BigInt(entries[index].explicitHashKey);
        const shard = Number(hashKey / width);
        records[index] = { shardId: ids[Math.min(shard, shardCount - 1)], sequenceNumber: String(++sequence) };
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
  const producer = new Producer({ transport: instantTransport(shardCount), logger: silent, metricsLevel, rateLimit: 100_000 });
  // Warm the shard map.
  await producer.putRecord({ streamName: 'bench', partitionKey: 'warm', data: payload });
  await producer.flush();
  const started = performance.now();
  for (let index = 0; index < RECORDS; index++) {
    await producer.putRecord({ streamName: 'bench', partitionKey: keys[index % keys.length], data: payload });
  }
  await producer.flush();
  const seconds = (performance.now() - started) / 1000;
  await producer.close();
  return RECORDS / seconds;
}

function runAwsKinesisAgg() {
  const records = Array.from({ length: RECORDS }, (_, index) => ({ partitionKey: keys[index % keys.length], data: payload }));
  const started = performance.now();
  let blobs = 0;
  agg.aggregate(records, (encoded) => { blobs++; void encoded; }, () => {}, (error) => { throw error; });
  const seconds = (performance.now() - started) / 1000;
  return { rate: RECORDS / seconds, blobs };
}

async function heapPerOutstanding() {
  const count = 100_000;
  const transport = instantTransport(4);
  const producer = new Producer({ transport, logger: silent, maxOutstandingRecords: count + 10, rateLimit: 100_000 });
  await producer.putRecord({ streamName: 'bench', partitionKey: 'warm', data: payload });
  await producer.flush();
  transport.hold = true;
  globalThis.gc?.();
  const before = process.memoryUsage().heapUsed;
  const outcomes = [];
  for (let index = 0; index < count; index++) {
    outcomes.push(await producer.putRecord({ streamName: 'bench', partitionKey: keys[index % keys.length], data: Buffer.alloc(100, 7) }));
  }
  await new Promise((resolve) => setTimeout(resolve, 300));
  globalThis.gc?.();
  const after = process.memoryUsage().heapUsed;
  // Outcome handles are the caller's; the data buffers are the caller's too (100 B each, off-heap mostly).
  return (after - before) / count;
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

const machine = `${cpus().length} × ${cpus()[0]?.model ?? 'unknown CPU'}, Node ${process.version}`;
console.log(`machine: ${machine}; ${RECORDS} records of 100 B per round, ${ROUNDS} rounds, medians`);
const results = {};
for (const [label, shards, level] of [['4 shards', 4, 'none'], ['64 shards', 64, 'none'], ['4 shards, metrics detailed', 4, 'detailed']]) {
  const rates = [];
  for (let round = 0; round < ROUNDS; round++) rates.push(await runProducer(shards, level));
  results[label] = median(rates);
}
const aggRates = [];
for (let round = 0; round < ROUNDS; round++) aggRates.push(runAwsKinesisAgg().rate);
const aggRate = median(aggRates);
for (const [label, rate] of Object.entries(results)) {
  console.log(`producer, ${label}: ${Math.round(rate).toLocaleString('en')} user records/s (${(rate / aggRate).toFixed(2)}× aws-kinesis-agg's aggregation step alone)`);
}
console.log(`aws-kinesis-agg aggregate() alone: ${Math.round(aggRate).toLocaleString('en')} user records/s`);
const perRecord = await heapPerOutstanding();
console.log(`heap per outstanding record (100 B data, held in flight): ${Math.round(perRecord)} bytes${globalThis.gc ? '' : ' (run with --expose-gc for a clean figure)'}`);
void createHash;
