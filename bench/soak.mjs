// Soak test (outside CI): the reliability matrix's invariants under a steady load for a long
// time, with the heap sampled every cycle. Runs the built packages:
//
//   npm run build -w packages/agg-codec -w packages/producer -w packages/testkit
//   node --expose-gc bench/soak.mjs [minutes=10] [recordsPerSecond=2000]
//
// The load runs in cycles of 10 s: records are put at a steady rate for the cycle, then
// flush() (a pause of a few hundred ms at most), then every record of the cycle is checked
// against the fake's ledger (stored at its shard, sequence and sub-sequence number, same bytes;
// no copy beyond the reported one unless its response was lost; no failure), then the ledger is
// cleared and the heap sampled after a full GC. Light faults run throughout: connection resets,
// 500s and lost responses on 0.5 %, 0.5 % and 0.2 % of PutRecords requests, and the shard limits
// are on. Prints one line per cycle and a JSON summary at the end.
import os from 'node:os';
import { deaggregate } from '@tskpl/agg-codec';
import { Producer } from '@tskpl/producer';
import { startFakeKinesis } from '@tskpl/testkit';

if (typeof globalThis.gc !== 'function') {
  console.error('run with node --expose-gc');
  process.exit(2);
}

const minutes = Number(process.argv[2] ?? 10);
const ratePerSecond = Number(process.argv[3] ?? 2000);
const CYCLE_MS = 10_000;
const RECORD_BYTES = 500;
const SHARDS = 4;
const streamName = 'soak';

function recordData(index) {
  const data = new Uint8Array(RECORD_BYTES);
  data.set(Buffer.from(`#${String(index).padStart(10, '0')}|`, 'latin1'));
  for (let offset = 12; offset < data.length; offset++) data[offset] = (index * 31 + offset) & 0xff;
  return data;
}

function indexOf(data) {
  return Number(Buffer.from(data.subarray(1, 11)).toString('latin1'));
}

async function heapAfterGc() {
  for (let round = 0; round < 2; round++) {
    globalThis.gc();
    await new Promise((resolve) => setImmediate(resolve));
  }
  return process.memoryUsage().heapUsed;
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

const fake = await startFakeKinesis({ streams: [{ streamName, shardCount: SHARDS }] });
fake.faults.rate({ operation: 'PutRecords', fault: { type: 'reset' }, probability: 0.005 });
fake.faults.rate({ operation: 'PutRecords', fault: { type: 'error', errorType: 'InternalFailure' }, probability: 0.005 });
fake.faults.rate({ operation: 'PutRecords', fault: { type: 'lostResponse' }, probability: 0.002 });
const warnings = [];
const producer = new Producer({
  endpoint: fake.endpoint,
  region: 'us-east-1',
  credentials: { accessKeyId: 'x', secretAccessKey: 'x' },
  logger: { warn: (message) => warnings.push(message), error: (message) => warnings.push(message) },
});

const totals = { records: 0, succeeded: 0, failed: 0, lostResponseCopies: 0, violations: 0, accepted: 0, throttled: 0, requests: {} };
const heap = [];
const violations = [];
const started = Date.now();
const cycles = Math.max(1, Math.round((minutes * 60_000) / CYCLE_MS));
let next = 0;

for (let cycle = 0; cycle < cycles; cycle++) {
  const cycleStart = performance.now();
  const first = next;
  const pending = [];
  while (performance.now() - cycleStart < CYCLE_MS) {
    const due = first + Math.floor(((performance.now() - cycleStart) / 1000) * ratePerSecond);
    while (next < due) {
      const index = next++;
      const outcome = await producer.putRecord({ streamName, partitionKey: `key-${index}`, data: recordData(index) });
      pending.push(outcome);
    }
    await sleep(5);
  }
  const flushStart = performance.now();
  await producer.flush();
  const flushMs = performance.now() - flushStart;

  // Verify this cycle against the ledger.
  const copies = new Map();
  for (const stored of fake.ledger.records(streamName)) {
    for (const member of deaggregate({ data: stored.data, partitionKey: stored.partitionKey, explicitHashKey: stored.explicitHashKey })) {
      const index = indexOf(member.data);
      const list = copies.get(index) ?? [];
      list.push({ shardId: stored.shardId, sequenceNumber: stored.sequenceNumber, sub: member.subSequenceNumber, lost: stored.responseLost, data: member.data });
      copies.set(index, list);
    }
  }
  for (let offset = 0; offset < pending.length; offset++) {
    const index = first + offset;
    const result = pending[offset].result;
    totals.records++;
    if (result === undefined) {
      violations.push(`record ${index} has no outcome after flush()`);
      continue;
    }
    const found = copies.get(index) ?? [];
    let reported;
    if (result.successful) {
      totals.succeeded++;
      reported = found.find((copy) => copy.shardId === result.shardId && copy.sequenceNumber === result.sequenceNumber && copy.sub === result.subSequenceNumber);
      if (reported === undefined) violations.push(`record ${index}: ${result.shardId} ${result.sequenceNumber}/${result.subSequenceNumber} not in the ledger`);
      else if (Buffer.compare(Buffer.from(reported.data), Buffer.from(recordData(index))) !== 0) violations.push(`record ${index}: stored bytes differ`);
    } else {
      totals.failed++;
      violations.push(`record ${index} failed: ${result.errorCode}`);
    }
    for (const copy of found) {
      if (copy === reported) continue;
      if (copy.lost) totals.lostResponseCopies++;
      else violations.push(`record ${index}: unexplained copy at ${copy.shardId} ${copy.sequenceNumber}`);
    }
    copies.delete(index);
  }
  for (const index of copies.keys()) violations.push(`record ${index} stored but not put in this cycle`);
  const counters = fake.counters();
  totals.accepted += counters.totals.accepted;
  totals.throttled += counters.totals.throttled;
  for (const [outcome, count] of Object.entries(counters.requests.PutRecords ?? {})) totals.requests[outcome] = (totals.requests[outcome] ?? 0) + count;
  fake.reset();
  pending.length = 0;
  copies.clear();

  const heapUsed = await heapAfterGc();
  heap.push(heapUsed);
  const elapsed = ((Date.now() - started) / 1000).toFixed(0);
  console.log(
    `cycle ${cycle + 1}/${cycles} t=${elapsed}s records=${next - first} flush=${flushMs.toFixed(0)}ms ` +
      `heap=${(heapUsed / 1048576).toFixed(1)}MiB outstanding=${producer.outstandingRecords} violations=${violations.length}`,
  );
}

await producer.close();
await fake.close();
const mib = (bytes) => Number((bytes / 1048576).toFixed(2));
const secondHalf = heap.slice(Math.floor(heap.length / 2));
const summary = {
  machine: { nproc: os.cpus().length, cpu: os.cpus()[0]?.model, node: process.version, loadAverage: os.loadavg().map((value) => Number(value.toFixed(2))) },
  minutes: Number(((Date.now() - started) / 60_000).toFixed(2)),
  ratePerSecond,
  recordBytes: RECORD_BYTES,
  shards: SHARDS,
  ...totals,
  violations: violations.length,
  firstViolations: violations.slice(0, 10),
  heapMiB: { first: mib(heap[0]), min: mib(Math.min(...heap)), max: mib(Math.max(...heap)), last: mib(heap.at(-1)), secondHalfSpread: mib(Math.max(...secondHalf) - Math.min(...secondHalf)) },
  heapSamplesMiB: heap.map(mib),
  warnings: warnings.length,
};
console.log(JSON.stringify(summary));
process.exit(violations.length === 0 ? 0 : 1);
