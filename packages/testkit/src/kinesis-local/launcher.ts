import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FakeKinesisClientConfig } from '../server/fake-kinesis.js';
import { monotonicNow, settlesWithin, sleep, wallClockNow } from './clock/timers.js';
import { emulatorEnvironment, KINESIS_LOCAL_ACCOUNT_ID, KINESIS_LOCAL_HOST, KINESIS_LOCAL_REGION, type KinesisLocalPorts } from './environment.js';
import { findFreePorts } from './free-port.js';
import { locateKinesisLocal, type KinesisLocalInstallation } from './installation.js';
import { isKinesisLocalError, KinesisLocalError } from '../errors.js';
import { loopbackPreloadArguments } from './loopback-preload.js';
import { resolveKinesisLocalConfig, type KinesisLocalConfig, type KinesisLocalOptions } from './options.js';
import { OutputTail } from './output-tail.js';
import { answersListStreams } from './readiness.js';

/** A running kinesis-local process, listening on 127.0.0.1 only. */
export interface KinesisLocal {
  /** Plain-HTTP endpoint for SDK clients, e.g. `http://127.0.0.1:45678`. */
  readonly endpoint: string;
  /** The plain-HTTP port of {@link KinesisLocal.endpoint}. */
  readonly port: number;
  /** The TLS port kinesis-mock always opens as well (self-signed certificate; not needed). */
  readonly tlsPort: number;
  /** Region to sign for (`us-east-1`). */
  readonly region: string;
  /** Account streams are filed under (ARNs) for any access key id that is not 12 digits. */
  readonly accountId: string;
  /** The installed kinesis-local version. */
  readonly version: string;
  /** Process id of the emulator. */
  readonly pid: number;
  /** Milliseconds from spawn until the emulator answered ListStreams. */
  readonly startupMs: number;
  /**
   * Endpoint, region and dummy credentials for `new KinesisClient({...})`. Pair them with an
   * HTTP/1.1 `NodeHttpHandler`: the SDK's HTTP/2 path fails on bodies over ~48 KB against the emulator.
   */
  clientConfig(): FakeKinesisClientConfig;
  /**
   * Ends the process: SIGTERM, then SIGKILL after `stopGraceMs` (kinesis-mock ignores SIGTERM while
   * a client holds a keep-alive connection, so destroy clients first for the fast path). Resolves
   * once the process has exited; idempotent.
   */
  stop(): Promise<void>;
  /** Same as {@link KinesisLocal.stop}, for `await using`. */
  [Symbol.asyncDispose](): Promise<void>;
}

const portAttempts = 5;
const outputTailBytes = 256 * 1024;
const probeTimeoutMs = 2_000;
const probeIntervalMs = 50;

interface ExitStatus {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
}

function killQuietly(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(pid, signal);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ESRCH') throw error;
  }
}

function saveOutput(config: KinesisLocalConfig, pid: number | undefined, output: OutputTail): string {
  mkdirSync(config.logDirectory, { recursive: true });
  const file = join(config.logDirectory, `kinesis-local-${pid ?? 'unspawned'}-${wallClockNow()}.log`);
  writeFileSync(file, output.text());
  return file;
}

/** Polls ListStreams until it answers (→ undefined), the process exits or the deadline passes (→ how it ended). */
async function waitUntilAnswering(port: number, deadline: number, exited: Promise<ExitStatus>): Promise<ExitStatus | undefined> {
  let exitStatus: ExitStatus | undefined;
  void exited.then((status) => (exitStatus = status));
  while (exitStatus === undefined && monotonicNow() < deadline) {
    if (await answersListStreams(KINESIS_LOCAL_HOST, port, probeTimeoutMs)) return undefined;
    await sleep(probeIntervalMs);
  }
  return exitStatus ?? { code: null, signal: null };
}

function detach(child: ChildProcess): void {
  // A script that forgets stop() must still be able to exit; the exit hook and the preload's
  // parent watchdog end the emulator then.
  child.unref();
  (child.stdout as { unref?: () => void } | null)?.unref?.();
  (child.stderr as { unref?: () => void } | null)?.unref?.();
}

async function stopProcess(child: ChildProcess, pid: number, exited: Promise<ExitStatus>, graceMs: number): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.ref(); // keep the caller's process alive until the emulator is really gone
  killQuietly(pid, 'SIGTERM');
  if (!(await settlesWithin(exited, graceMs))) {
    killQuietly(pid, 'SIGKILL');
    await exited;
  }
}

async function launch(config: KinesisLocalConfig, installation: KinesisLocalInstallation, ports: KinesisLocalPorts): Promise<KinesisLocal> {
  const started = monotonicNow();
  const child = spawn(process.execPath, [...loopbackPreloadArguments(), installation.mainPath], {
    env: emulatorEnvironment(config, installation, ports),
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
    throw new KinesisLocalError('ERR_KINESIS_LOCAL_START', `Could not spawn ${process.execPath} ${installation.mainPath}.`);
  }
  const killOnExit = () => killQuietly(pid, 'SIGKILL');
  process.once('exit', killOnExit);
  let stopping: Promise<void> | undefined;
  const stop = (graceMs: number) =>
    (stopping ??= stopProcess(child, pid, exited, graceMs).finally(() => {
      process.removeListener('exit', killOnExit);
      detach(child);
    }));

  const failure = await waitUntilAnswering(ports.plainPort, started + config.startTimeoutMs, exited);
  if (failure === undefined) {
    detach(child);
    const endpoint = `http://${KINESIS_LOCAL_HOST}:${ports.plainPort}`;
    const emulator: KinesisLocal = {
      endpoint,
      port: ports.plainPort,
      tlsPort: ports.tlsPort,
      region: KINESIS_LOCAL_REGION,
      accountId: KINESIS_LOCAL_ACCOUNT_ID,
      version: installation.version,
      pid,
      startupMs: Math.round(monotonicNow() - started),
      clientConfig: () => ({ endpoint, region: KINESIS_LOCAL_REGION, credentials: { accessKeyId: 'tskpl-local', secretAccessKey: 'tskpl-local' } }),
      stop: () => stop(config.stopGraceMs),
      [Symbol.asyncDispose]: () => stop(config.stopGraceMs),
    };
    return Object.freeze(emulator);
  }

  await stop(0);
  const logFile = saveOutput(config, pid, output);
  if (/EADDRINUSE/.test(output.text())) {
    throw new KinesisLocalError('ERR_KINESIS_LOCAL_PORT_IN_USE', `kinesis-local could not bind port ${ports.plainPort} or ${ports.tlsPort} on ${KINESIS_LOCAL_HOST}.`, { logFile });
  }
  const how =
    failure.code === null && failure.signal === null
      ? `did not answer ListStreams within ${config.startTimeoutMs} ms`
      : `exited (code ${String(failure.code)}, signal ${String(failure.signal)}) before answering`;
  throw new KinesisLocalError('ERR_KINESIS_LOCAL_START', `kinesis-local ${how}; output saved to ${logFile}:\n${output.lastLines(20)}`, { logFile });
}

/**
 * Starts kinesis-local (kinesis-mock compiled to JavaScript; an optional peer dependency) as a
 * child process on two free loopback ports and resolves once it answers ListStreams. Stream
 * operations complete after `operationDelayMs` (default 0 instead of kinesis-mock's 500 ms).
 * Always `await emulator.stop()`; should a script forget, the emulator is killed when the
 * process exits, and within half a second of the process being killed.
 *
 * ```ts
 * await using emulator = await startKinesisLocal();
 * const client = new KinesisClient({ ...emulator.clientConfig(), requestHandler: new NodeHttpHandler() });
 * ```
 * @param options - timeouts, delays, limits and log settings; see {@link KinesisLocalOptions}
 * @throws TestkitOptionsError for an invalid option; KinesisLocalError when kinesis-local is not installed or does not start
 */
export async function startKinesisLocal(options: KinesisLocalOptions = {}): Promise<KinesisLocal> {
  const config = resolveKinesisLocalConfig(options);
  const installation = locateKinesisLocal();
  let lastConflict: unknown;
  for (let attempt = 1; attempt <= portAttempts; attempt += 1) {
    const [plainPort, tlsPort] = await findFreePorts(2, KINESIS_LOCAL_HOST);
    if (plainPort === undefined || tlsPort === undefined) throw new KinesisLocalError('ERR_KINESIS_LOCAL_START', 'No free loopback port was found.');
    try {
      return await launch(config, installation, { plainPort, tlsPort });
    } catch (error) {
      if (!isKinesisLocalError(error) || error.code !== 'ERR_KINESIS_LOCAL_PORT_IN_USE') throw error;
      lastConflict = error;
    }
  }
  throw new KinesisLocalError('ERR_KINESIS_LOCAL_PORT_IN_USE', `kinesis-local found its ports taken ${portAttempts} times in a row.`, { cause: lastConflict });
}
