// A small load for the metrics examples: `count` records of ~100 bytes over 100 partition keys,
// put with backpressure, then every outcome awaited.
import type { Producer } from '@tskpl/producer';

/** Puts `count` records to `streamName` and resolves with how many were delivered. */
export async function putSampleRecords(producer: Producer, streamName: string, count: number): Promise<number> {
  const waits: Promise<boolean>[] = [];
  for (let index = 0; index < count; index += 1) {
    const data = new TextEncoder().encode(JSON.stringify({ id: index, amount: index % 97 }).padEnd(100));
    const outcome = await producer.putRecord({ streamName, partitionKey: `customer-${index % 100}`, data });
    waits.push(outcome.wait().then((result) => result.successful));
  }
  return (await Promise.all(waits)).filter(Boolean).length;
}
