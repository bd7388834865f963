// The ceiling of a throughput scenario: the user's loop of drive.mjs (build the record, `await
// putRecord`, `wait().then(count)`) against a producer that does nothing — its putRecord resolves
// at once with an outcome whose wait() resolves at once. No producer, however fast, can beat this
// rate, so `ceiling ÷ baseline` bounds the ratio any producer can reach in the same scenario: the
// user's side of the loop (chiefly allocating each record's data) is a cost every contender pays.
import { makeRecord } from './records.mjs';

const RESULT = Object.freeze({ successful: true });
const OUTCOME = Object.freeze({ wait: () => Promise.resolve(RESULT) });
const NULL_PRODUCER = { putRecord: () => Promise.resolve(OUTCOME) };

/** User records/s of the loop alone, over `count` records of `recordSize` bytes. */
export async function userLoopCeiling({ streamName, recordSize, count }) {
  const producer = NULL_PRODUCER;
  let ok = 0;
  const countResult = (result) => {
    if (result.successful) ok++;
  };
  const started = performance.now();
  for (let put = 0; put < count; put++) {
    const o = await producer.putRecord(makeRecord(streamName, 0, put, recordSize));
    o.wait().then(countResult);
  }
  await new Promise((resolve) => setImmediate(resolve));
  const elapsedMs = performance.now() - started;
  if (ok !== count) throw new Error(`the null producer's loop settled ${ok} of ${count} records`);
  return (count / elapsedMs) * 1000;
}
