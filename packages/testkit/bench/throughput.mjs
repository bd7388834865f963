// Throughput of @tskpl/testkit's fake Kinesis under the real SDK client (HTTP/1.1, keep-alive).
// The server runs in this process; the SDK clients run in child processes, so their signing,
// base64 and JSON work does not share the server's thread. Besides wall-clock throughput, the
// server process's own CPU time is measured: bytes per server CPU-second is the fake's capacity,
// a figure that holds even when the clients (or other programs) are what limits the wall clock.
//
// The same clients are then run against a bare node:http server that only reads each body and
// answers a canned PutRecords success: the floor this machine's loopback HTTP sets, for comparison.
//
//   npm run build -w packages/testkit
//   node packages/testkit/bench/throughput.mjs [seconds=10] [clientProcesses=1] [concurrencyPerClient=4]
import { fork } from 'node:child_process';
import { availableParallelism, cpus, loadavg, totalmem } from 'node:os';
import { performance } from 'node:perf_hooks';

const ENTRY_BYTES = 50 * 1024; // one aggregated Kinesis record (the KPL's aggregationMaxSize default, 51200)
const ENTRIES_PER_REQUEST = 100; // 5,120,000 bytes of data: just under the 5 MiB request limit
// A 100-byte user record inside a KPL aggregate costs its 100 B of data, ~6 B of protobuf framing
// and ~12 B for its own 10-character partition key in the key table: ~118 B.
const USER_RECORD_BYTES_IN_AGGREGATE = 118;
const USER_RECORDS_PER_ENTRY = Math.floor(ENTRY_BYTES / USER_RECORD_BYTES_IN_AGGREGATE);

async function runClient() {
  const { KinesisClient, PutRecordsCommand } = await import('@aws-sdk/client-kinesis');
  const { NodeHttpHandler } = await import('@smithy/node-http-handler');
  const { Agent } = await import('node:http');
  const [endpoint, seconds, concurrency] = [process.argv[3], Number(process.argv[4]), Number(process.argv[5])];
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
    // Explicit hash keys spread the entries over every shard, as aggregates of a KPL producer are.
    return { Data: data, PartitionKey: 'a', ExplicitHashKey: String((BigInt(index) * 2n ** 128n) / BigInt(ENTRIES_PER_REQUEST)) };
  });
  const bodyBytesPerRequest = Buffer.byteLength(JSON.stringify({
    Records: records.map((record) => ({ ...record, Data: Buffer.from(record.Data).toString('base64') })),
    StreamName: 'bench',
  }));
  const send = () => client.send(new PutRecordsCommand({ StreamName: 'bench', Records: records }));
  await Promise.all(Array.from({ length: concurrency }, send)); // warm-up: connections, JIT
  process.send({ type: 'ready' });
  await new Promise((resolve) => process.once('message', resolve));
  let requests = 0;
  const started = performance.now();
  const deadline = started + seconds * 1000;
  const loop = async () => {
    while (performance.now() < deadline) {
      const output = await send();
      if (output.FailedRecordCount !== 0) throw new Error(`unexpected failed entries: ${output.FailedRecordCount}`);
      requests++;
    }
  };
  await Promise.all(Array.from({ length: concurrency }, loop));
  process.send({ type: 'done', requests, bodyBytes: requests * bodyBytesPerRequest, elapsedMs: performance.now() - started });
  client.destroy();
}

async function startBareServer() {
  const { createServer } = await import('node:http');
  const answer = JSON.stringify({
    FailedRecordCount: 0,
    Records: Array.from({ length: ENTRIES_PER_REQUEST }, (_, index) => ({ SequenceNumber: String(index), ShardId: 'shardId-000000000000' })),
  });
  let accepted = 0;
  const server = createServer({ keepAlive: true, keepAliveTimeout: 60_000 }, (request, response) => {
    request.on('data', () => undefined);
    request.on('end', () => {
      accepted += ENTRIES_PER_REQUEST;
      response.writeHead(200, { 'content-type': 'application/x-amz-json-1.1', 'content-length': Buffer.byteLength(answer) });
      response.end(answer);
    });
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    endpoint: `http://127.0.0.1:${server.address().port}`,
    accepted: () => accepted,
    close: () => new Promise((resolve) => { server.closeAllConnections(); server.close(resolve); }),
  };
}

async function startFake() {
  const { startFakeKinesis } = await import('../dist/index.js');
  const fake = await startFakeKinesis({
    enforceShardLimits: false, // measure the fake, not the limits
    retainRecordData: false, // keep memory flat over the run; keys, sizes and sequence numbers are still kept
    streams: [{ streamName: 'bench', shardCount: 64 }],
  });
  return { endpoint: fake.endpoint, accepted: () => fake.counters().totals.accepted, close: () => fake.close() };
}

async function measure(server, seconds, clientCount, concurrency) {
  const children = Array.from({ length: clientCount }, () =>
    fork(new URL(import.meta.url), ['--client', server.endpoint, String(seconds), String(concurrency)], { stdio: ['ignore', 'inherit', 'ignore', 'ipc'] }),
  );
  const nextMessage = (child, type) => new Promise((resolve, reject) => {
    const onMessage = (message) => {
      if (message.type === type) {
        child.off('message', onMessage);
        resolve(message);
      }
    };
    child.on('message', onMessage);
    child.once('exit', (code) => (code === 0 ? undefined : reject(new Error(`client exited with ${code}`))));
  });
  await Promise.all(children.map((child) => nextMessage(child, 'ready')));
  const acceptedBefore = server.accepted();
  const cpuBefore = process.cpuUsage();
  const eluBefore = performance.eventLoopUtilization();
  const started = performance.now();
  for (const child of children) child.send({ type: 'go' });
  const results = await Promise.all(children.map((child) => nextMessage(child, 'done')));
  const wallSeconds = (performance.now() - started) / 1000;
  const cpu = process.cpuUsage(cpuBefore);
  const elu = performance.eventLoopUtilization(eluBefore);
  for (const child of children) child.kill();
  const serverCpuSeconds = (cpu.user + cpu.system) / 1e6;
  const requests = results.reduce((sum, result) => sum + result.requests, 0);
  const bodyBytes = results.reduce((sum, result) => sum + result.bodyBytes, 0);
  const entries = server.accepted() - acceptedBefore;
  return {
    wallSeconds: Number(wallSeconds.toFixed(2)),
    requestsPerSecond: Number((requests / wallSeconds).toFixed(1)),
    requestBodyMBPerSecond: Number((bodyBytes / wallSeconds / 1e6).toFixed(1)),
    entriesPerSecond: Math.round(entries / wallSeconds),
    userRecordsPerSecond: Math.round((entries * USER_RECORDS_PER_ENTRY) / wallSeconds),
    serverEventLoopUtilization: Number(elu.utilization.toFixed(2)),
    serverCpuSeconds: Number(serverCpuSeconds.toFixed(2)),
    serverCapacityMBPerCpuSecond: Number((bodyBytes / serverCpuSeconds / 1e6).toFixed(1)),
    serverCapacityUserRecordsPerCpuSecond: Math.round((entries * USER_RECORDS_PER_ENTRY) / serverCpuSeconds),
  };
}

async function runServer() {
  const seconds = Number(process.argv[2] ?? 10);
  const clientCount = Number(process.argv[3] ?? 1);
  const concurrency = Number(process.argv[4] ?? 4);
  const fake = await startFake();
  const fakeResult = await measure(fake, seconds, clientCount, concurrency);
  await fake.close();
  const bare = await startBareServer();
  const bareResult = await measure(bare, seconds, clientCount, concurrency);
  await bare.close();
  console.log(JSON.stringify({
    machine: `${cpus()[0]?.model ?? 'unknown CPU'}, ${availableParallelism()} cores, ${(totalmem() / 2 ** 30).toFixed(0)} GiB RAM, Node ${process.version}, load average ${loadavg()[0].toFixed(1)}`,
    request: `PutRecords of ${ENTRIES_PER_REQUEST} entries x ${ENTRY_BYTES} B (~${USER_RECORDS_PER_ENTRY} aggregated 100 B user records each)`,
    clientProcesses: clientCount,
    concurrentRequestsPerClient: concurrency,
    fake: fakeResult,
    bareNodeHttpServer: bareResult,
  }, null, 2));
}

if (process.argv[2] === '--client') await runClient();
else await runServer();
