import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ListStreamsCommand } from '@aws-sdk/client-kinesis';
import {
  EMULATOR_HOST,
  emulatorEnvironment,
  locateEmulatorFiles,
  resolveKinesisLocalConfig,
  type EmulatorFiles,
  type KinesisLocalConfig,
  type KinesisLocalOptions,
} from './emulator-config.js';
import { HarnessError, isHarnessError } from './errors.js';
import { findFreePorts } from './free-port.js';
import { createKinesisClient } from './streams.js';

/** A running kinesis-local process, listening on 127.0.0.1 only. */
export interface KinesisLocal {
  /** Plain-HTTP endpoint for SDK clients, e.g. `http://127.0.0.1:45678`. */
  readonly endpoint: string;
  /** The plain-HTTP port of {@link KinesisLocal.endpoint}. */
  readonly port: number;
  /** The TLS port kinesis-mock also opens (self-signed certificate; the harness does not use it). */
  readonly tlsPort: number;
  /** Process id of the emulator. */
  readonly pid: number;
  /** Milliseconds from spawn until the emulator answered ListStreams. */
  readonly startupMs: number;
  /** Ends the process: SIGTERM, then SIGKILL after the grace period. Idempotent. */
  stop(): Promise<void>;
}

const portAttempts = 5;
const outputTailBytes = 256 * 1024;

// The emulators this process started and has not stopped yet; killed when the process exits.
const liveEmulatorPids = new Set<number>();
let exitHookInstalled = false;

function killQuietly(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(pid, signal);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ESRCH') throw error;
  }
}

function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.once('exit', () => {
    for (const pid of liveEmulatorPids) killQuietly(pid, 'SIGKILL');
  });
}

/** Keeps the last `limit` bytes the emulator wrote, for the failure log. */
class OutputTail {
  private chunks: Buffer[] = [];
  private size = 0;
  constructor(private readonly limit: number) {}
  push(chunk: Buffer): void {
    this.chunks.push(chunk);
    this.size += chunk.length;
    while (this.size > this.limit && this.chunks.length > 1) this.size -= this.chunks.shift()?.length ?? 0;
  }
  text(): string {
    return Buffer.concat(this.chunks).toString('utf8');
  }
}

interface ExitStatus {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
}

function saveOutput(config: KinesisLocalConfig, pid: number | undefined, output: OutputTail): string {
  mkdirSync(config.logDirectory, { recursive: true });
  const file = join(config.logDirectory, `kinesis-local-${pid ?? 'unspawned'}-${Date.now()}.log`);
  writeFileSync(file, output.text());
  return file;
}

function lastLines(text: string, count: number): string {
  return text.trimEnd().split('\n').slice(-count).join('\n');
}

async function waitUntilAnswering(endpoint: string, deadline: number, exited: Promise<ExitStatus>): Promise<ExitStatus | undefined> {
  const client = createKinesisClient(endpoint, { maxAttempts: 1, requestTimeoutMs: 2_000, maxSockets: 1 });
  let exitStatus: ExitStatus | undefined;
  void exited.then((status) => (exitStatus = status));
  try {
    while (exitStatus === undefined && performance.now() < deadline) {
      try {
        await client.send(new ListStreamsCommand({}));
        return undefined;
      } catch {
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    }
    return exitStatus ?? { code: null, signal: null };
  } finally {
    client.destroy();
  }
}

function stopProcess(child: ChildProcess, pid: number, exited: Promise<ExitStatus>, graceMs: number): Promise<void> {
  return (async () => {
    if (child.exitCode === null && child.signalCode === null) {
      killQuietly(pid, 'SIGTERM');
      let timer: NodeJS.Timeout | undefined;
      const ended = await Promise.race([
        exited.then(() => true),
        new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), graceMs))),
      ]);
      clearTimeout(timer);
      if (!ended) {
        killQuietly(pid, 'SIGKILL');
        await exited;
      }
    }
    liveEmulatorPids.delete(pid);
  })();
}

async function launch(config: KinesisLocalConfig, files: EmulatorFiles, port: number, tlsPort: number): Promise<KinesisLocal> {
  const started = performance.now();
  const child = spawn(process.execPath, ['--require', files.preloadPath, files.mainPath], {
    env: emulatorEnvironment(config, files, port, tlsPort),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output = new OutputTail(outputTailBytes);
  child.stdout?.on('data', (chunk: Buffer) => output.push(chunk));
  child.stderr?.on('data', (chunk: Buffer) => output.push(chunk));
  const exited = new Promise<ExitStatus>((resolve) => {
    child.once('exit', (code, signal) => resolve({ code, signal }));
    child.once('error', () => resolve({ code: child.exitCode, signal: child.signalCode }));
  });
  const pid = child.pid;
  if (pid === undefined) {
    await exited;
    throw new HarnessError('ERR_EMULATOR_START', `Could not spawn ${process.execPath} ${files.mainPath}.`);
  }
  liveEmulatorPids.add(pid);
  installExitHook();
  // A harness that forgets stop() must not keep the test process alive; the exit hook and the
  // preload's parent watchdog still end the emulator.
  child.unref();

  const endpoint = `http://${EMULATOR_HOST}:${port}`;
  const failure = await waitUntilAnswering(endpoint, started + config.startTimeoutMs, exited);
  if (failure === undefined) {
    const stop = stopProcess.bind(undefined, child, pid, exited, config.stopGraceMs);
    let stopping: Promise<void> | undefined;
    return { endpoint, port, tlsPort, pid, startupMs: Math.round(performance.now() - started), stop: () => (stopping ??= stop()) };
  }

  await stopProcess(child, pid, exited, 0);
  const text = output.text();
  const logFile = saveOutput(config, pid, output);
  if (/EADDRINUSE/.test(text)) {
    throw new HarnessError('ERR_EMULATOR_PORT_IN_USE', `kinesis-local could not bind port ${port} or ${tlsPort} on ${EMULATOR_HOST}.`, { logFile });
  }
  const how = failure.code === null && failure.signal === null ? `did not answer ListStreams within ${config.startTimeoutMs} ms` : `exited (code ${String(failure.code)}, signal ${String(failure.signal)}) before answering`;
  throw new HarnessError('ERR_EMULATOR_START', `kinesis-local ${how}; output saved to ${logFile}:\n${lastLines(text, 20)}`, { logFile });
}

/**
 * Starts kinesis-local (kinesis-mock compiled to JS) on free loopback ports and waits until it
 * answers ListStreams. Stream operations complete after `operationDelayMs` (default 0).
 * Always `await emulator.stop()` (e.g. in `afterAll`); should a test forget, the emulator is
 * still killed when the test process exits.
 * @param options - timeouts, delays, limits and log settings; see {@link KinesisLocalOptions}
 */
export async function startKinesisLocal(options: KinesisLocalOptions = {}): Promise<KinesisLocal> {
  const config = resolveKinesisLocalConfig(options);
  const files = locateEmulatorFiles();
  let lastConflict: unknown;
  for (let attempt = 1; attempt <= portAttempts; attempt += 1) {
    const [port, tlsPort] = await findFreePorts(2, EMULATOR_HOST);
    if (port === undefined || tlsPort === undefined) throw new HarnessError('ERR_EMULATOR_START', 'No free loopback port was found.');
    try {
      return await launch(config, files, port, tlsPort);
    } catch (error) {
      if (!isHarnessError(error) || error.code !== 'ERR_EMULATOR_PORT_IN_USE') throw error;
      lastConflict = error;
    }
  }
  throw new HarnessError('ERR_EMULATOR_START', `kinesis-local found its ports taken ${portAttempts} times in a row.`, { cause: lastConflict });
}
