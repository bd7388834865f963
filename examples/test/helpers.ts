// Shared by the examples' tests: a fake Kinesis per test and the compiled examples run as users
// run them, `node dist/<example>.js`, in a child process with real timers.
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { deaggregate } from '@tskpl/agg-codec';
import { startFakeKinesis, type FakeKinesis } from '@tskpl/testkit';

export const distDir = fileURLToPath(new URL('../dist/', import.meta.url));

/** A fake Kinesis with one stream of `shardCount` shards, and the environment pointing the examples at it. */
export async function startStream(streamName: string, shardCount = 4): Promise<{ fake: FakeKinesis; env: NodeJS.ProcessEnv }> {
  const fake = await startFakeKinesis({ streams: [{ streamName, shardCount }] });
  const env = {
    ...process.env,
    KINESIS_ENDPOINT: fake.clientConfig().endpoint,
    STREAM_NAME: streamName,
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: 'test',
    AWS_SECRET_ACCESS_KEY: 'test',
  };
  return { fake, env };
}

/** A running example: its output so far and a promise of its exit code. */
export interface RunningExample {
  readonly child: ChildProcessWithoutNullStreams;
  readonly stdout: () => string;
  readonly stderr: () => string;
  readonly exited: Promise<number | null>;
  /** Resolves with the first stdout line matching `pattern`. */
  line(pattern: RegExp): Promise<RegExpMatchArray>;
}

/** Starts `node dist/<file>` with `env`. */
export function runExample(file: string, env: NodeJS.ProcessEnv, args: readonly string[] = []): RunningExample {
  const child = spawn(process.execPath, [`${distDir}${file}`, ...args], { env, stdio: 'pipe' });
  let stdout = '';
  let stderr = '';
  const waiters: { pattern: RegExp; resolve: (match: RegExpMatchArray) => void }[] = [];
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    stdout += chunk;
    for (const waiter of [...waiters]) {
      const match = stdout.match(waiter.pattern);
      if (match) {
        waiters.splice(waiters.indexOf(waiter), 1);
        waiter.resolve(match);
      }
    }
  });
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return {
    child,
    stdout: () => stdout,
    stderr: () => stderr,
    exited,
    line: (pattern) =>
      new Promise((resolve, reject) => {
        const match = stdout.match(pattern);
        if (match) return resolve(match);
        waiters.push({ pattern, resolve });
        void exited.then((code) => reject(new Error(`exited with ${code} before printing ${pattern}; stdout:\n${stdout}\nstderr:\n${stderr}`)));
      }),
  };
}

/** Every user record stored in `streamName`, deaggregated, as UTF-8 strings. */
export function storedPayloads(fake: FakeKinesis, streamName: string): string[] {
  return fake.ledger.records(streamName).flatMap((record) =>
    deaggregate({ data: record.data ?? new Uint8Array(), partitionKey: record.partitionKey }).map((member) => Buffer.from(member.data).toString('utf8')),
  );
}
