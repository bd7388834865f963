// Codec benchmark: @tskpl/agg-codec (built dist/) against aws-kinesis-agg on the same inputs in the
// same run. Run `npm run build -w packages/agg-codec` first, then `npm run bench -w packages/agg-codec`.
// Prints a Markdown report; `--write` also stores it in bench/RESULTS.md.
import { createHash, randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { cpus } from 'node:os';
import { availableParallelism } from 'node:os';
import { AggregateBuilder, deaggregate, encodeAggregate } from '../dist/index.js';

const require = createRequire(import.meta.url);
const awsAgg = require('aws-kinesis-agg');
const protobuf = require('protobufjs');

const AGGREGATE_TARGET = 51200; // the KPL's default AggregationMaxSize
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 7);
const ROUND_MS = Number(process.env.BENCH_ROUND_MS ?? 250);

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
// Contenders.
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

// ---------------------------------------------------------------------------------------------
function measure(fn, input, recordsPerCall) {
  let calls = 0;
  const start = performance.now();
  let elapsed = 0;
  do {
    fn(input);
    calls++;
    elapsed = performance.now() - start;
  } while (elapsed < ROUND_MS);
  return (calls * recordsPerCall) / (elapsed / 1000);
}

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
};

function compare(label, contenders, input, recordsPerCall) {
  for (const [, fn] of contenders) for (let warm = 0; warm < 3; warm++) measure(fn, input, recordsPerCall); // warm-up
  const samples = contenders.map(() => []);
  for (let round = 0; round < ROUNDS; round++) {
    contenders.forEach(([, fn], index) => samples[index].push(measure(fn, input, recordsPerCall)));
  }
  return contenders.map(([name], index) => ({ label, name, median: median(samples[index]), min: Math.min(...samples[index]), max: Math.max(...samples[index]) }));
}

const format = (value) => Math.round(value).toLocaleString('en-US');

const loadAtStart = (() => {
  try {
    return readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
  } catch {
    return 'unknown';
  }
})();
const rows = [];
const summary = [];
for (const dataSize of [100, 1024]) {
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
  const perAggregate = records.length / groups.length;
  const description = `${dataSize} B records, ${groups.length} aggregates of ~${perAggregate.toFixed(0)} records (~${Math.round(blobs[0].data.length / 1024)} KiB)`;

  const encode = compare(`encode ${dataSize} B`, [
    ['tskpl AggregateBuilder (sizeWith + add + build)', encodeOursBuilder],
    ['tskpl encodeAggregate', encodeOursOneShot],
    ['aws-kinesis-agg RecordAggregator (checkIfUserRecordFits + addUserRecord + build)', encodeAwsAgg],
  ], groups, records.length);
  const decode = compare(`decode ${dataSize} B`, [
    ['tskpl deaggregate (bytes)', decodeOursRaw],
    ['tskpl deaggregate (Lambda event, base64)', decodeOursLambda],
    ['protobufjs 8 reflection decoder + KCL checks (not shipped)', decodeProtobufjs],
    ['aws-kinesis-agg deaggregateSync (base64, checksums on)', decodeAwsAgg],
    ['MD5 of the aggregates only (the floor both sides pay)', md5Only],
  ], blobs, records.length);
  rows.push({ description, results: [...encode, ...decode] });
  summary.push({
    dataSize,
    encodeRatio: encode[0].median / encode[2].median,
    decodeRatio: decode[1].median / decode[3].median,
    decodeRawRatio: decode[0].median / decode[3].median,
    handVsProtobufjs: decode[0].median / decode[2].median,
    md5Floor: decode[4].median,
    awsEncode: encode[2].median,
    awsDecode: decode[3].median,
  });
}

const cpuModel = (() => {
  try {
    return readFileSync('/proc/cpuinfo', 'utf8').match(/model name\s*:\s*(.+)/)?.[1] ?? cpus()[0]?.model;
  } catch {
    return cpus()[0]?.model;
  }
})();

let report = `# @tskpl/agg-codec benchmark results\n\n`;
report += `Machine: ${availableParallelism()} cores (nproc), CPU "${cpuModel}", Node ${process.version}, ${process.platform}/${process.arch}.\n`;
report += `Load average when the run started: ${loadAtStart} (other processes shared the cores; spreads are wide).\n`;
report += `Method: ${ROUNDS} rounds of ≥ ${ROUND_MS} ms per contender, interleaved, after 3 warm-up runs each; medians in user records/s (min … max). Same inputs for every contender, in the same process.\n\n`;
for (const { description, results } of rows) {
  report += `## ${description}\n\n| task | implementation | median records/s | min … max |\n|---|---|---:|---|\n`;
  for (const result of results) report += `| ${result.label} | ${result.name} | ${format(result.median)} | ${format(result.min)} … ${format(result.max)} |\n`;
  report += '\n';
}
report += `## Ratios (tskpl ÷ aws-kinesis-agg, medians)\n\n| record size | encode (builder) | decode (Lambda base64 input, like-for-like) | decode (bytes input) | hand-written ÷ protobufjs decoder |\n|---|---:|---:|---:|---:|\n`;
for (const item of summary) {
  report += `| ${item.dataSize} B | ${item.encodeRatio.toFixed(1)}× | ${item.decodeRatio.toFixed(1)}× | ${item.decodeRawRatio.toFixed(1)}× | ${item.handVsProtobufjs.toFixed(1)}× |\n`;
}
report += `\nThe MD5 of every aggregate is a floor neither library can go under (the KPL writes it, the KCL checks it). `;
report += `Upper bound of any ratio at this floor: `;
report += summary
  .map((item) => `${item.dataSize} B encode ${(item.md5Floor / item.awsEncode).toFixed(1)}×, decode ${(item.md5Floor / item.awsDecode).toFixed(1)}×`)
  .join('; ');
report += '.\n';
process.stdout.write(report);
if (process.argv.includes('--write')) writeFileSync(new URL('./RESULTS.md', import.meta.url), report);
