// Runs @tskpl/testkit's fake Kinesis on its own thread (the benchmark's main thread blocks in the
// SyncProducer and could not serve HTTP). Posts { endpoint, region } once it listens.
import { parentPort, workerData } from 'node:worker_threads';
import { startFakeKinesis } from '@tskpl/testkit';

const fake = await startFakeKinesis({ enforceShardLimits: false });
for (const streamName of workerData.streams) fake.createStream({ streamName, shardCount: workerData.shardCount });
parentPort.postMessage({ endpoint: fake.endpoint, region: fake.region });
parentPort.on('message', (message) => {
  if (message === 'close') void fake.close().then(() => parentPort.close());
});
