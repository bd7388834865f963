// One producer in a process of its own (fleet members, memory runs). Waits for
// { run: { ...drive options, startAtMs, measureHeap } } on the IPC channel, runs it, answers with
// the drive result plus its memory figures, and exits.
//
// measureHeap (needs --expose-gc): the heap (used + array buffers) after a full GC just before
// the producer is built, and again once every record is admitted while they are still
// outstanding; peak RSS of the process over the run.
//
// kind 'sync': the same records through a SyncProducer (runSync), timed from its constructor.
import { drive } from './drive.mjs';
import { runSync } from './sync-run.mjs';

const heapNow = () => {
  globalThis.gc();
  globalThis.gc();
  const { heapUsed, arrayBuffers } = process.memoryUsage();
  return { heapUsed, arrayBuffers };
};

process.once('message', async ({ run }) => {
  try {
    const { startAtMs, measureHeap, producerOptions = {}, ...options } = run;
    if (startAtMs !== undefined) await new Promise((resolve) => setTimeout(resolve, Math.max(0, startAtMs - Date.now())));
    const before = measureHeap ? heapNow() : undefined;
    let admitted;
    const warnings = [];
    const logger = { warn: (message) => warnings.push(message), error: (message) => warnings.push(message) };
    const result = options.kind === 'sync' ? runSync({ ...options, producerOptions }) : await drive({
      ...options,
      producerOptions: { ...producerOptions, logger },
      onAdmitted: measureHeap ? ({ outstanding }) => void (admitted = { outstanding, ...heapNow() }) : undefined,
    });
    delete result.latencies;
    process.send({ result: { ...result, before, admitted, maxRssBytes: process.resourceUsage().maxRSS * 1024 } }, () => process.exit(0));
  } catch (error) {
    process.send({ error: String(error?.stack ?? error) }, () => process.exit(1));
  }
});
process.send({ ready: true });
