/**
 * Entry of the worker thread (a separate build entry: `dist/worker.js` / `dist/worker.cjs`).
 * It first installs the hooks that tell a blocked caller the worker is dying, then loads the
 * producer (dynamically, so that a load failure is reported as a startup error), then pumps.
 */
import { workerData } from 'node:worker_threads';
import { systemClock } from '../clock/clock.js';
import { Control, CONTROL_WORDS, WorkerState } from '../shared/layout.js';
import type { WorkerBootData, WorkerMessage } from '../shared/messages.js';
import { RingReader } from '../shared/ring-reader.js';
import { serializeError } from '../shared/serialize-error.js';
import { loadModuleOptions } from './load-modules.js';
import { createPump, setWorkerState } from './pump.js';
import { installSynchronousStdio } from './sync-stdio.js';

const boot = workerData as WorkerBootData;
const control = new Int32Array(boot.shared, 0, CONTROL_WORDS);
const port = boot.port;
// `boot.lifeline` is held (by workerData) for the thread's whole life and never used: when the
// thread ends, however it ends, Node closes it, and a blocked caller sees that (WorkerLink.probeLiveness).

// The caller may never run its event loop: the worker's output goes straight to fds 1 and 2.
installSynchronousStdio();

function post(message: WorkerMessage): void {
  port.postMessage(message);
  Atomics.add(control, Control.resultsPosted, 1);
}

// An uncaught error kills the worker: hand its details to the caller before the exit hook runs.
process.on('uncaughtExceptionMonitor', (error) => {
  try {
    post({ type: 'fatal', error: serializeError(error) });
  } catch {
    // The port may already be closed; the exit hook still reports the death.
  }
});
// Runs on process.exit() and after an uncaught error (not on terminate() or out-of-memory: the
// lifeline covers those).
process.on('exit', (code) => {
  const state = Atomics.load(control, Control.state);
  if (state === WorkerState.starting || state === WorkerState.ready) {
    Atomics.store(control, Control.exitCode, code);
    setWorkerState(control, WorkerState.died);
  }
});

const stopHeartbeat = systemClock.every(boot.heartbeatMs, () => {
  Atomics.add(control, Control.heartbeat, 1);
});

async function start(): Promise<void> {
  let producer;
  try {
    const producerModule = await import('@tskpl/producer');
    const built = await loadModuleOptions(boot.moduleOptions, (option, value, allowed) => new producerModule.ConfigError(option, value, allowed));
    producer = new producerModule.Producer({ ...boot.producerOptions, ...built });
  } catch (error) {
    post({ type: 'startup-failed', error: serializeError(error) });
    stopHeartbeat();
    port.close();
    setWorkerState(control, WorkerState.startupFailed);
    return;
  }
  const reader = new RingReader(control, boot.shared, boot.ringOffset, boot.ringCapacity);
  setWorkerState(control, WorkerState.ready);
  const pump = createPump({
    control,
    reader,
    port,
    producer,
    clock: systemClock,
    onClosed: () => {
      stopHeartbeat();
      setWorkerState(control, WorkerState.closed);
      port.close();
    },
  });
  await pump.done;
}

void start();
