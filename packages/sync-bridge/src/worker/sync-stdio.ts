/**
 * Makes the worker thread's `process.stdout` and `process.stderr` (and so `console`, the
 * producer's default logger and whatever a sink prints) write synchronously to the process's file
 * descriptors 1 and 2. By default Node hands a worker's output to the parent thread's event loop,
 * which a synchronous caller never runs: its lines would appear late, or never when it calls
 * `process.exit()`.
 */
import { writeSync } from 'node:fs';

/** Longest time a write waits for a full pipe to drain before the rest of the line is dropped. */
const MAX_EAGAIN_WAIT_MS = 1000;

type WriteCallback = (error?: Error | null) => void;

/** Replaces `write` on the worker's stdout and stderr with synchronous writes to fds 1 and 2. */
export function installSynchronousStdio(): void {
  for (const [stream, fd] of [
    [process.stdout, 1],
    [process.stderr, 2],
  ] as const) {
    stream.write = ((chunk: string | Uint8Array, encodingOrCallback?: BufferEncoding | WriteCallback, callback?: WriteCallback): boolean => {
      const done = typeof encodingOrCallback === 'function' ? encodingOrCallback : callback;
      const encoding = typeof encodingOrCallback === 'string' ? encodingOrCallback : 'utf8';
      writeFully(fd, typeof chunk === 'string' ? Buffer.from(chunk, encoding) : chunk);
      if (done !== undefined) process.nextTick(done, null);
      return true;
    }) as typeof stream.write;
  }
}

/** Writes every byte (a pipe may take part of them, or none while it is full); never throws. */
function writeFully(fd: number, bytes: Uint8Array): void {
  let offset = 0;
  let waitedMs = 0;
  while (offset < bytes.length) {
    try {
      offset += writeSync(fd, bytes, offset, bytes.length - offset);
    } catch (error) {
      // A non-blocking pipe that is full: wait a little for the reader, within a bound.
      if ((error as NodeJS.ErrnoException).code !== 'EAGAIN' || waitedMs >= MAX_EAGAIN_WAIT_MS) return;
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 1);
      waitedMs += 1;
    }
  }
}
