// Codec benchmark: @tskpl/agg-codec (built dist/) against aws-kinesis-agg on the same inputs in the
// same run. Run `npm run build -w packages/agg-codec` first, then `npm run bench -w packages/agg-codec`.
// Prints a Markdown report; `--write` also stores it in bench/RESULTS.md.
//
// The machine this runs on is usually shared, so wall-clock rates swing. Every sample therefore
// records both the wall time and the CPU time of this process (`process.cpuUsage()`: user +
// system, which includes V8's GC helper threads) over the same calls. Contenders run interleaved,
// round by round, and each ratio is computed per round (ours ÷ theirs in the same round) and then
// reduced to its median, so a round that was slowed down by another process affects both sides.
//
// Environment: BENCH_ROUNDS (default 15), BENCH_ROUND_MS (default 200), BENCH_SIZES (default
// "100,1024"). `--profile <contender>` runs one contender alone for BENCH_PROFILE_MS (default
// 5000) so that `node --cpu-prof bench/codec-bench.mjs --profile encode-builder` profiles it.
import { createHash, randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { availableParallelism, cpus } from 'node:os';
import { AggregateBuilder, deaggregate, encodeAggregate } from '../dist/index.js';

const require = createRequire(import.meta.url);
const awsAgg = require('aws-kinesis-agg');
const protobuf = require('protobufjs');

const AGGREGATE_TARGET = 51200; // the KPL's default AggregationMaxSize
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 15);
const ROUND_MS = Number(process.env.BENCH_ROUND_MS ?? 200);
const SIZES = (process.env.BENCH_SIZES ?? '100,1024').split(',').map(Number);
const WARM_UP_CALLS = 3;

// ---------------------------------------------------------------------------------------------
// Inputs: UUID-like partition keys (distinct), random payloads, grouped into ~50 KB aggregates.
function makeRecords(count, dataSize) {
  return Array.from({ length: count }, (_, index) => ({
    partitionKey: `${randomBytes(16).toString('hex').replace(/(.{8})(.{4})(.{4})(.{4})/, '$1-$2-$3-$4-')}${index}`,
    data: randomBytes(dataSize),
  }));
}

function groupIntoAggregates(records) {
  const groups = [];
  const builder = new AggregateBuilder();
  let group = [];
  for (const record of records) {
    if (group.length > 0 && builder.sizeWith(record) > AGGREGATE_TARGET) {
      groups.push(group);
      group = [];
      builder.reset();
    }
    builder.add(record);
    group.push(record);
  }
  if (group.length > 0) groups.push(group);
  return groups;
}

// ---------------------------------------------------------------------------------------------
// Contenders. Each returns a number derived from its output so the work cannot be skipped.
function encodeOursBuilder(groups) {
  const builder = new AggregateBuilder();
  let bytes = 0;
  for (const group of groups) {
    builder.reset();
    for (const record of group) {
      if (builder.sizeWith(record) > AGGREGATE_TARGET) throw new Error('unexpected overflow');
      builder.add(record);
    }
    bytes += builder.build().data.length;
  }
  return bytes;
}

function encodeOursOneShot(groups) {
  let bytes = 0;
  for (const group of groups) bytes += encodeAggregate(group).data.length;
  return bytes;
}

function encodeAwsAgg(groups) {
  const aggregator = new awsAgg.RecordAggregator();
  let bytes = 0;
  for (const group of groups) {
    for (const record of group) {
      if (!aggregator.checkIfUserRecordFits(record)) throw new Error('unexpected overflow');
      aggregator.addUserRecord(record);
    }
    bytes += aggregator.build().data.length;
  }
  return bytes;
}

function decodeOursRaw(blobs) {
  let count = 0;
  for (const blob of blobs) count += deaggregate({ data: blob.data, partitionKey: 'a', sequenceNumber: '1' }).length;
  return count;
}

function decodeOursLambda(blobs) {
  let count = 0;
  for (const blob of blobs) count += deaggregate({ kinesis: { data: blob.base64, partitionKey: 'a', sequenceNumber: '1' } }).length;
  return count;
}

function decodeAwsAgg(blobs) {
  let count = 0;
  for (const blob of blobs) {
    awsAgg.deaggregateSync({ data: blob.base64, partitionKey: 'a', sequenceNumber: '1' }, true, (error, records) => {
      if (error) throw error;
      count += records.length;
    });
  }
  return count;
}

// The alternative decoder we did not ship: protobufjs (reflection, from the .proto text) + the same KCL checks.
const protoText = readFileSync(new URL('../src/__tests__/aggregate-proto.ts', import.meta.url), 'utf8').match(/`([^`]+)`/)[1];
const AggregatedRecord = protobuf.parse(protoText, { keepCase: true }).root.lookupType('aws.kinesis.protobuf.AggregatedRecord');
function decodeProtobufjs(blobs) {
  let count = 0;
  for (const { data } of blobs) {
    const end = data.length - 16;
    const digest = createHash('md5').update(data.subarray(4, end)).digest();
    if (!digest.equals(data.subarray(end))) throw new Error('md5');
    const message = AggregatedRecord.decode(data.subarray(4, end));
    const partitionKeys = message.partition_key_table;
    const explicitHashKeys = message.explicit_hash_key_table;
    const out = [];
    message.records.forEach((record, index) => {
      const partitionKeyIndex = Number(record.partition_key_index);
      if (partitionKeyIndex >= partitionKeys.length) throw new Error('index');
      const result = { partitionKey: partitionKeys[partitionKeyIndex], data: record.data, aggregated: true, subSequenceNumber: index, sequenceNumber: '1' };
      if (Object.prototype.hasOwnProperty.call(record, 'explicit_hash_key_index')) {
        result.explicitHashKey = explicitHashKeys[Number(record.explicit_hash_key_index)];
      }
      out.push(result);
    });
    count += out.length;
  }
  return count;
}

// The floor every contender pays: the MD5 of each aggregate's protobuf (KPL trailer / KCL check).
function md5Only(blobs) {
  let count = 0;
  for (const { data } of blobs) count += createHash('md5').update(data.subarray(4, data.length - 16)).digest().length;
  return count;
}

// The floor of a base64 decoder: base64 → bytes, then the MD5 (what the Lambda path cannot avoid).
function base64AndMd5Only(blobs) {
  let count = 0;
  for (const { base64 } of blobs) {
    const data = Buffer.from(base64, 'base64');
    count += createHash('md5').update(data.subarray(4, data.length - 16)).digest().length;
  }
  return count;
}

const CONTENDERS = {
  'encode-builder': ['tskpl AggregateBuilder (sizeWith + add + build)', encodeOursBuilder, 'encode'],
  'encode-oneshot': ['tskpl encodeAggregate', encodeOursOneShot, 'encode'],
  'encode-aws': ['aws-kinesis-agg RecordAggregator (checkIfUserRecordFits + addUserRecord + build)', encodeAwsAgg, 'encode'],
  'decode-bytes': ['tskpl deaggregate (bytes)', decodeOursRaw, 'decode'],
  'decode-lambda': ['tskpl deaggregate (Lambda event, base64)', decodeOursLambda, 'decode'],
  'decode-protobufjs': ['protobufjs 8 reflection decoder + KCL checks (not shipped)', decodeProtobufjs, 'decode'],
  'decode-aws': ['aws-kinesis-agg deaggregateSync (base64, checksums on)', decodeAwsAgg, 'decode'],
  'md5-only': ['MD5 of the aggregates only (floor, bytes input)', md5Only, 'decode'],
  'base64-md5-only': ['base64 decode + MD5 only (floor, base64 input)', base64AndMd5Only, 'decode'],
};

// ---------------------------------------------------------------------------------------------
// Measurement: one sample = calls repeated for ≥ ROUND_MS of wall time; wall and CPU time of the
// same calls. CPU time is what the process itself spent, so time stolen by other processes on a
// shared machine does not count against either side.
function measure(fn, input, recordsPerCall) {
  let calls = 0;
  const cpuStart = process.cpuUsage();
  const wallStart = performance.now();
  let wall = 0;
  do {
    fn(input);
    calls++;
    wall = performance.now() - wallStart;
  } while (wall < ROUND_MS);
  const cpu = process.cpuUsage(cpuStart);
  const cpuMs = (cpu.user + cpu.system) / 1000;
  const records = calls * recordsPerCall;
  return { wall: records / (wall / 1000), cpu: records / (cpuMs / 1000) };
}

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
};

const stats = (values) => ({ median: median(values), min: Math.min(...values), max: Math.max(...values) });

/** Runs the contenders interleaved; returns per contender its wall and CPU samples (one per round). */
function compare(keys, input, recordsPerCall) {
  for (const key of keys) for (let warm = 0; warm < WARM_UP_CALLS; warm++) measure(CONTENDERS[key][1], input, recordsPerCall);
  const samples = Object.fromEntries(keys.map((key) => [key, { wall: [], cpu: [] }]));
  for (let round = 0; round < ROUNDS; round++) {
    // Rotate the order every round so no contender always runs right after the same one.
    for (let offset = 0; offset < keys.length; offset++) {
      const key = keys[(round + offset) % keys.length];
      const sample = measure(CONTENDERS[key][1], input, recordsPerCall);
      samples[key].wall.push(sample.wall);
      samples[key].cpu.push(sample.cpu);
    }
  }
  return samples;
}

/** Median over rounds of (ours ÷ theirs) measured in the same round. */
function ratio(samples, ours, theirs, clock) {
  const values = samples[ours][clock].map((value, round) => value / samples[theirs][clock][round]);
  return stats(values);
}

function prepare(dataSize) {
  const records = makeRecords(dataSize === 100 ? 20000 : 5000, dataSize);
  const groups = groupIntoAggregates(records);
  const blobs = groups.map((group) => {
    const data = Buffer.from(encodeAggregate(group).data);
    return { data, base64: data.toString('base64') };
  });
  // Same bytes from both encoders (keys here are safe for aws-kinesis-agg).
  const theirs = new awsAgg.RecordAggregator();
  for (const record of groups[0]) theirs.addUserRecord(record);
  if (!theirs.build().data.equals(blobs[0].data)) throw new Error('aws-kinesis-agg and tskpl disagree on the bytes');
  return { records, groups, blobs };
}

// ---------------------------------------------------------------------------------------------
const profileIndex = process.argv.indexOf('--profile');
if (profileIndex >= 0) {
  const key = process.argv[profileIndex + 1];
  const contender = CONTENDERS[key];
  if (contender === undefined) throw new Error(`--profile needs one of ${Object.keys(CONTENDERS).join(', ')}`);
  const { records, groups, blobs } = prepare(SIZES[0]);
  const input = contender[2] === 'encode' ? groups : blobs;
  const until = performance.now() + Number(process.env.BENCH_PROFILE_MS ?? 5000);
  let calls = 0;
  while (performance.now() < until) {
    contender[1](input);
    calls++;
  }
  process.stdout.write(`${key}: ${calls} calls of ${records.length} records\n`);
  process.exit(0);
}

const format = (value) => Math.round(value).toLocaleString('en-US');
const formatRatio = (value) => `${value.toFixed(2)}×`;

const loadAtStart = (() => {
  try {
    return readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
  } catch {
    return 'unknown';
  }
})();

const sections = [];
const summary = [];
for (const dataSize of SIZES) {
  const { records, groups, blobs } = prepare(dataSize);
  const perAggregate = records.length / groups.length;
  const description = `${dataSize} B records, ${groups.length} aggregates of ~${perAggregate.toFixed(0)} records (~${Math.round(blobs[0].data.length / 1024)} KiB)`;
  const encodeKeys = ['encode-builder', 'encode-oneshot', 'encode-aws'];
  const decodeKeys = ['decode-bytes', 'decode-lambda', 'decode-protobufjs', 'decode-aws', 'md5-only', 'base64-md5-only'];
  const encode = compare(encodeKeys, groups, records.length);
  const decode = compare(decodeKeys, blobs, records.length);
  const samples = { ...encode, ...decode };
  sections.push({ description, dataSize, keys: [...encodeKeys, ...decodeKeys], samples });
  const ratios = {};
  for (const clock of ['cpu', 'wall']) {
    ratios[clock] = {
      encodeBuilder: ratio(samples, 'encode-builder', 'encode-aws', clock),
      encodeOneShot: ratio(samples, 'encode-oneshot', 'encode-aws', clock),
      decodeLambda: ratio(samples, 'decode-lambda', 'decode-aws', clock),
      decodeBytes: ratio(samples, 'decode-bytes', 'decode-aws', clock),
      protobufjs: ratio(samples, 'decode-bytes', 'decode-protobufjs', clock),
      floorEncode: ratio(samples, 'md5-only', 'encode-aws', clock),
      floorDecodeBytes: ratio(samples, 'md5-only', 'decode-aws', clock),
      floorDecodeLambda: ratio(samples, 'base64-md5-only', 'decode-aws', clock),
    };
  }
  summary.push({ dataSize, ratios });
}

const cpuModel = (() => {
  try {
    return readFileSync('/proc/cpuinfo', 'utf8').match(/model name\s*:\s*(.+)/)?.[1] ?? cpus()[0]?.model;
  } catch {
    return cpus()[0]?.model;
  }
})();
const loadAtEnd = (() => {
  try {
    return readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
  } catch {
    return 'unknown';
  }
})();

let report = `# @tskpl/agg-codec benchmark results\n\n`;
report += `Machine: ${availableParallelism()} cores (nproc), CPU "${cpuModel}", Node ${process.version}, ${process.platform}/${process.arch}.\n`;
report += `Load average at start: ${loadAtStart}; at end: ${loadAtEnd} (other processes shared the cores).\n\n`;
report += `Method: ${ROUNDS} rounds; in each round every contender runs for ≥ ${ROUND_MS} ms of wall time (order rotated each round), after ${WARM_UP_CALLS} warm-up samples each. `;
report += `Each sample records both wall time and this process's CPU time (\`process.cpuUsage()\` user + system, including V8's GC threads). `;
report += `Rates are user records/s: median (min … max) over rounds. Ratios are computed per round (both contenders measured in the same round) and the median of those per-round ratios is reported. `;
report += `CPU-time figures are the steadier ones on a loaded machine; wall-time figures are what a user on an idle core would see, scaled by the load.\n\n`;
for (const { description, keys, samples } of sections) {
  report += `## ${description}\n\n| contender | CPU-time median rec/s | CPU min … max | wall median rec/s | wall min … max |\n|---|---:|---|---:|---|\n`;
  for (const key of keys) {
    const cpu = stats(samples[key].cpu);
    const wall = stats(samples[key].wall);
    report += `| ${CONTENDERS[key][0]} | ${format(cpu.median)} | ${format(cpu.min)} … ${format(cpu.max)} | ${format(wall.median)} | ${format(wall.min)} … ${format(wall.max)} |\n`;
  }
  report += '\n';
}
report += `## Ratios (tskpl ÷ aws-kinesis-agg; median of per-round ratios, min … max)\n\n`;
report += `| record size | clock | encode (builder) | encode (encodeAggregate) | decode (Lambda base64, like-for-like) | decode (bytes) | hand-written ÷ protobufjs |\n|---|---|---:|---:|---:|---:|---:|\n`;
const cell = (value) => `${formatRatio(value.median)} (${formatRatio(value.min)} … ${formatRatio(value.max)})`;
for (const { dataSize, ratios } of summary) {
  for (const clock of ['cpu', 'wall']) {
    const item = ratios[clock];
    report += `| ${dataSize} B | ${clock === 'cpu' ? 'CPU time' : 'wall'} | ${cell(item.encodeBuilder)} | ${cell(item.encodeOneShot)} | ${cell(item.decodeLambda)} | ${cell(item.decodeBytes)} | ${cell(item.protobufjs)} |\n`;
  }
}
report += `\n## The MD5 floor\n\n`;
report += `The KPL writes an MD5 of each aggregate's protobuf and the KCL checks it, so every encoder and every checking decoder hashes every byte once. `;
report += `The rows below are that hash alone (and, for base64 input, base64 decoding plus the hash) divided by aws-kinesis-agg's rate in the same round: no conforming implementation can beat these ratios.\n\n`;
report += `| record size | clock | encode ceiling (MD5 ÷ aws encode) | decode ceiling, bytes (MD5 ÷ aws decode) | decode ceiling, base64 (base64 + MD5 ÷ aws decode) |\n|---|---|---:|---:|---:|\n`;
for (const { dataSize, ratios } of summary) {
  for (const clock of ['cpu', 'wall']) {
    const item = ratios[clock];
    report += `| ${dataSize} B | ${clock === 'cpu' ? 'CPU time' : 'wall'} | ${cell(item.floorEncode)} | ${cell(item.floorDecodeBytes)} | ${cell(item.floorDecodeLambda)} |\n`;
  }
}
process.stdout.write(report);
if (process.argv.includes('--write')) {
  // Keep the hand-written "## Notes" section (from its heading to the end) of the previous file.
  const target = new URL('./RESULTS.md', import.meta.url);
  let notes = '';
  try {
    const previous = readFileSync(target, 'utf8');
    const at = previous.indexOf('\n## Notes');
    if (at >= 0) notes = previous.slice(at);
  } catch {
    // no previous file
  }
  writeFileSync(target, report.trimEnd() + '\n' + notes);
}
