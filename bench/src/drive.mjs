// Runs one contender the way its users run it and reports what it put and what it delivered.
//
// tskpl: a fresh Producer with default options (plus the scenario's), the SDK transport pointed
// at the fake, and per record `const o = await producer.putRecord(r); o.wait().then(count)`,
// no warm-up record. The baseline: `const w = baseline.add(r); if (w) await w;` (baseline.mjs).
//
// plan: { count } puts that many records as fast as admission allows; { durationMs } puts as fast
// as admission allows until the time is up; { ratePerSecond, durationMs } paces the puts.
// Timing runs from before the producer is built until every record put has its outcome.
import { Producer } from '@tskpl/producer';
import { BaselineProducer } from './baseline.mjs';
import { makeRecord } from './records.mjs';

export const CONTENDERS = {
  tskpl: 'tskpl Producer',
  baseline: 'aws-kinesis-agg + PutRecords',
  'baseline-unagg': 'PutRecords, unaggregated',
};

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

// Every record has an outcome within recordTtlMs (30 s by default) plus a request timeout; a run
// still waiting well past that is stuck, and is reported as such rather than hanging the suite.
const STUCK_AFTER_MS = 50_000;

async function withDeadline(promise, ms, what) {
  let timer;
  const deadline = new Promise((resolve) => (timer = setTimeout(() => resolve(what), ms)));
  try {
    return await Promise.race([Promise.resolve(promise).then(() => undefined), deadline]);
  } finally {
    clearTimeout(timer);
  }
}

export async function drive({ kind, endpoint, region, streamName, writer = 0, recordSize, plan, producerOptions = {}, onAdmitted }) {
  const latencies = plan.ratePerSecond !== undefined ? [] : undefined;
  const started = performance.now();
  const endAt = plan.durationMs === undefined ? Infinity : started + plan.durationMs;
  const limit = plan.count ?? Infinity;
  let put = 0;
  let ok = 0;
  let failed = 0;
  const failures = new Map();
  let sender;
  let fastLoop;
  let closeProducer;
  let finish;
  let outstandingAtEnd;

  if (kind === 'tskpl') {
    const producer = new Producer({ endpoint, region, credentials: { accessKeyId: 'bench', secretAccessKey: 'bench' }, ...producerOptions });
    let settle;
    const allSettled = new Promise((resolve) => (settle = resolve));
    let loopDone = false;
    const count = (result) => {
      if (result.successful) ok++;
      else {
        failed++;
        failures.set(result.errorCode, (failures.get(result.errorCode) ?? 0) + 1);
      }
      if (loopDone && ok + failed === put) settle();
    };
    // The user's loop, written out as users write it (no helper function in between).
    fastLoop = async () => {
      while (put < limit && (put & 1023 || performance.now() < endAt)) {
        const o = await producer.putRecord(makeRecord(streamName, writer, put++, recordSize));
        o.wait().then(count);
      }
    };
    sender = async (index) => {
      const at = performance.now();
      const o = await producer.putRecord(makeRecord(streamName, writer, index, recordSize));
      o.wait().then((result) => {
        latencies.push(performance.now() - at);
        count(result);
      });
    };
    finish = async () => {
      outstandingAtEnd = producer.outstandingRecords;
      await onAdmitted?.({ outstanding: outstandingAtEnd });
      loopDone = true;
      await producer.flush();
      if (ok + failed < put) await allSettled;
    };
    closeProducer = () => producer.close();
  } else {
    const baseline = new BaselineProducer({ endpoint, region, streamName, aggregate: kind === 'baseline', trackLatency: latencies !== undefined });
    sender = (index) => baseline.add(makeRecord(streamName, writer, index, recordSize));
    finish = async () => {
      outstandingAtEnd = put - baseline.delivered;
      await onAdmitted?.({ outstanding: outstandingAtEnd });
      await baseline.flush();
      ok = baseline.delivered;
      if (latencies !== undefined) latencies.push(...baseline.latencies);
    };
    closeProducer = () => baseline.close();
  }

  if (plan.ratePerSecond === undefined) {
    if (fastLoop !== undefined) await fastLoop();
    else {
      while (put < limit && (put & 1023 || performance.now() < endAt)) {
        const wait = sender(put++);
        if (wait !== undefined) await wait;
      }
    }
  } else {
    while (performance.now() < endAt) {
      const due = Math.floor(((performance.now() - started) / 1000) * plan.ratePerSecond);
      while (put < due) {
        const wait = sender(put++);
        if (wait !== undefined) await wait;
      }
      await sleep(1);
    }
  }
  const putEndedMs = performance.now() - started;
  const stuck = [];
  const finishing = await withDeadline(finish(), STUCK_AFTER_MS, `stuck: ${STUCK_AFTER_MS / 1000} s after the last put`);
  const elapsedMs = performance.now() - started;
  if (finishing !== undefined) stuck.push(`${finishing}, ${put - ok - failed} of ${put} records still had no outcome`);
  const closing = await withDeadline(closeProducer(), 10_000, 'close() did not resolve within 10 s');
  if (closing !== undefined) stuck.push(closing);
  return { kind, put, ok, failed, failures: Object.fromEntries(failures), elapsedMs, putEndedMs, latencies, outstandingAtEnd, stuck };
}
