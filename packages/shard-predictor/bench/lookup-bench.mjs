// Shard predictor micro-benchmark: lookups per second at 1, 64 and 10 000 shards (evenly split,
// as CreateStream lays them out), on the built package (dist/). Run `npm run build -w
// @tskpl/shard-predictor` first, then `npm run bench -w @tskpl/shard-predictor`.
//
// Three ways in, from the most to the least work per call:
//   shardIdFor(partitionKey)       validate + MD5 of the key + search
//   shardIdForHashKey(decimal)     parse a decimal explicit hash key + search
//   lookupHashRange(index, binary) the search alone on a 16-character binary key (what
//                                  @tskpl/producer does per record; it has the MD5 already)
// Each case runs BENCH_ROUNDS rounds (default 5) of BENCH_ROUND_MS (default 200 ms); the median
// rate is printed, with the process CPU time over the same calls (the machine may be shared).
import { readFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { partitionKeyHashBinary } from '@tskpl/agg-codec';
import { createHashRangeIndex, createShardPredictor, lookupHashRange } from '../dist/index.js';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const ROUND_MS = Number(process.env.BENCH_ROUND_MS ?? 200);
const SHARD_COUNTS = [1, 64, 10_000];
const KEYS = 8192; // a power of two: the loop picks keys with a mask
const MAX = (1n << 128n) - 1n;

function evenShards(count) {
  const total = MAX + 1n;
  return Array.from({ length: count }, (_, index) => ({
    ShardId: `shardId-${String(index).padStart(12, '0')}`,
    HashKeyRange: { StartingHashKey: ((total * BigInt(index)) / BigInt(count)).toString(), EndingHashKey: ((total * BigInt(index + 1)) / BigInt(count) - 1n).toString() },
    SequenceNumberRange: { StartingSequenceNumber: '1' },
  }));
}

const partitionKeys = Array.from({ length: KEYS }, (_, index) => `customer-${index}`);
const binaryKeys = partitionKeys.map(partitionKeyHashBinary);
const decimalKeys = binaryKeys.map((key) => BigInt(`0x${Buffer.from(key, 'latin1').toString('hex')}`).toString());

/** Calls `step(i)` (which returns a number, folded into a sink) in batches until ROUND_MS has passed; returns { wall, cpu } calls per second. */
function measure(step) {
  let sink = 0;
  let calls = 0;
  const cpu = process.cpuUsage();
  const started = performance.now();
  let elapsed = 0;
  while (elapsed < ROUND_MS) {
    for (let index = 0; index < 4096; index++) sink ^= step((calls + index) & (KEYS - 1));
    calls += 4096;
    elapsed = performance.now() - started;
  }
  const used = process.cpuUsage(cpu);
  if (sink === 0.5) console.log(sink); // keeps the results alive
  return { wall: calls / (elapsed / 1000), cpu: calls / ((used.user + used.system) / 1e6) };
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

const machine = `${cpus().length} × ${cpus()[0]?.model ?? 'unknown CPU'}, Node ${process.version}, load average ${readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ')}`;
console.log(`machine: ${machine}`);
console.log(`${ROUNDS} rounds of ${ROUND_MS} ms per case, medians; wall = lookups / elapsed, cpu = lookups / process CPU seconds\n`);
console.log('| shards | way in | lookups/s (wall) | lookups/CPU-s |');
console.log('|---:|---|---:|---:|');
const format = (value) => Math.round(value).toLocaleString('en');
for (const count of SHARD_COUNTS) {
  const shards = evenShards(count);
  const predictor = createShardPredictor(shards);
  const index = createHashRangeIndex(predictor.shards.map((shard) => ({ start: binaryKeyOf(shard.startingHashKey), end: binaryKeyOf(shard.endingHashKey) })));
  const cases = [
    ['shardIdFor(partitionKey)', (i) => predictor.shardIdFor(partitionKeys[i]).length],
    ['shardIdForHashKey(decimal)', (i) => predictor.shardIdForHashKey(decimalKeys[i]).length],
    ['lookupHashRange(index, binary)', (i) => lookupHashRange(index, binaryKeys[i])],
  ];
  const samples = cases.map(() => []);
  for (let round = 0; round < ROUNDS; round++) cases.forEach(([, step], at) => samples[at].push(measure(step)));
  cases.forEach(([label], at) => {
    console.log(`| ${count.toLocaleString('en')} | \`${label}\` | ${format(median(samples[at].map((sample) => sample.wall)))} | ${format(median(samples[at].map((sample) => sample.cpu)))} |`);
  });
}

function binaryKeyOf(decimal) {
  return Buffer.from(BigInt(decimal).toString(16).padStart(32, '0'), 'hex').toString('latin1');
}
