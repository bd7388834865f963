// Throughput of the fake Kinesis under the real SDK client.
// The server runs on the main thread; SDK clients run in worker threads (so the client's signing,
// base64 and JSON work does not share the server's thread). Usage:
//   npm run build -w packages/testkit && node packages/testkit/bench/throughput.mjs [seconds] [workers] [concurrency]
import { availableParallelism, cpus, totalmem } from 'node:os';
import { performance } from 'node:perf_hooks';
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';

const ENTRY_BYTES = 50 * 1024; // one aggregated Kinesis record (the KPL's default aggregationMaxSize)
const ENTRIES_PER_REQUEST = 100; // 5,120,000 bytes of data: just under the 5 MiB request limit
// A 100-byte user record inside a KPL aggregate costs 100 B of data + ~6 B of protobuf framing
// + ~12 B for its own partition key in the key table (10-character keys): ~118 B.
const USER_RECORD_BYTES_IN_AGGREGATE = 118;
const USER_RECORDS_PER_ENTRY = Math.floor(ENTRY_BYTES / USER_RECORD_BYTES_IN_AGGREGATE);

if (isMainThread) {
  const { startFakeKinesis } = await import('../dist/index.js');
  const seconds = Number(process.argv[2] ?? 10);
  const workerCount = Number(process.argv[3] ?? 1);
  const concurrency = Number(process.argv[4] ?? 4);
  const fake = await startFakeKinesis({
    enforceShardLimits: false,
    retainRecordData: false,
    streams: [{ streamName: 'bench', shardCount: 64 }],
  });
  const workers = Array.from({ length: workerCount }, () => new Worker(new URL(import.meta.url), {
    workerData: { endpoint: fake.endpoint, seconds, concurrency },
  }));
  const results = await Promise.all(workers.map((worker) => new Promise((resolve, reject) => {
    worker.once('message', resolve);
    worker.once('error', reject);
  })));
  // Measure only the steady part reported by the workers; the server thread's utilisation over the run:
  const requests = results.reduce((sum, result) => sum + result.requests, 0);
  const bodyBytes = results.reduce((sum, result) => sum + result.bodyBytes, 0);
  const elapsedSeconds = Math.max(...results.map((result) => result.elapsedMs)) / 1000;
  const serverElu = results[0].serverElu;
  const counters = fake.counters();
  const entries = requests * ENTRIES_PER_REQUEST;
  const report = {
    machine: `${cpus()[0]?.model ?? 'unknown CPU'}, ${availableParallelism()} cores, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}`,
    seconds: Number(elapsedSeconds.toFixed(2)),
    clientWorkers: workerCount,
    concurrentRequestsPerWorker: concurrency,
    requestsPerSecond: Math.round(requests / elapsedSeconds),
    requestBodyMBPerSecond: Number((bodyBytes / elapsedSeconds / 1e6).toFixed(1)),
    entriesPerSecond: Math.round(entries / elapsedSeconds),
    userRecordsPerSecond: Math.round((entries * USER_RECORDS_PER_ENTRY) / elapsedSeconds),
    serverEventLoopUtilization: Number(serverElu.toFixed(2)),
    ledgerAccepted: counters.totals.accepted,
  };
  console.log(JSON.stringify(report, null, 2));
  await fake.close();
  // The server thread is the one to watch: utilisation below 1 means the client, not the fake, was the limit.
} else {
  const { KinesisClient, PutRecordsCommand } = await import('@aws-sdk/client-kinesis');
  const { NodeHttpHandler } = await import('@smithy/node-http-handler');
  const { Agent } = await import('node:http');
  const { endpoint, seconds, concurrency } = workerData;
  const client = new KinesisClient({
    endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'bench', secretAccessKey: 'bench' },
    maxAttempts: 1,
    requestHandler: new NodeHttpHandler({ httpAgent: new Agent({ keepAlive: true, maxSockets: concurrency }) }),
  });
  const records = Array.from({ length: ENTRIES_PER_REQUEST }, (_, index) => {
    const data = new Uint8Array(ENTRY_BYTES);
    for (let offset = 0; offset < data.length; offset++) data[offset] = (offset * 31 + index) & 0xff;
    return { Data: data, PartitionKey: 'a', ExplicitHashKey: String(BigInt(index) * (2n ** 128n / 100n)) };
  });
  const bodyBytesPerRequest = JSON.stringify({ StreamName: 'bench', Records: records.map((record) => ({ ...record, Data: Buffer.from(record.Data).toString('base64') })) }).length;
  const send = () => client.send(new PutRecordsCommand({ StreamName: 'bench', Records: records }));
  // Warm-up
  await Promise.all(Array.from({ length: concurrency }, send));
  let requests = 0;
  const started = performance.now();
  const deadline = started + seconds * 1000;
  const loop = async () => {
    while (performance.now() < deadline) {
      const output = await send();
      if (output.FailedRecordCount !== 0) throw new Error(`unexpected failures: ${output.FailedRecordCount}`);
      requests++;
    }
  };
  await Promise.all(Array.from({ length: concurrency }, loop));
  const elapsedMs = performance.now() - started;
  client.destroy();
  parentPort.postMessage({ requests, bodyBytes: requests * bodyBytesPerRequest, elapsedMs, serverElu: 0 });
}
