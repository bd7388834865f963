// The sync bridge's user loop: SyncProducer.putRecord for every record, flush(), then
// outcome.wait() for each, timed from the constructor (which starts the worker) to the last
// outcome, as a script that cannot await runs it.
import { SyncProducer } from '@tskpl/sync-bridge';
import { makeRecord } from './records.mjs';

export function runSync({ endpoint, region, streamName, recordSize, plan, producerOptions = {} }) {
  const records = plan.count;
  const started = performance.now();
  const producer = new SyncProducer({ endpoint, region, credentials: { accessKeyId: 'bench', secretAccessKey: 'bench' }, ...producerOptions });
  const outcomes = [];
  for (let index = 0; index < records; index++) outcomes.push(producer.putRecord(makeRecord(streamName, 0, index, recordSize)));
  producer.flush();
  let ok = 0;
  for (const outcome of outcomes) if (outcome.wait().successful) ok++;
  const elapsedMs = performance.now() - started;
  producer.close();
  return { put: records, ok, failed: records - ok, failures: {}, elapsedMs };
}
