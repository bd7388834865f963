/**
 * Runs a script in a child Node process with real timers, the way a user runs one: `node file`.
 * The file is written under test-integration/.tmp/ so that `@tskpl/*` resolve from the
 * workspace's node_modules.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** What a child process did. */
export interface ChildRun {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
  /** Wall-clock ms from spawn to exit. */
  readonly elapsedMs: number;
  /** Wall-clock time (Date.now()) of the exit. */
  readonly exitedAt: number;
}

const TMP = join(dirname(fileURLToPath(import.meta.url)), '..', '.tmp');

/**
 * Writes `source` to `.tmp/<name>` and runs it with the current Node binary.
 * @param name - file name; its extension (.mjs or .cjs) picks the module system
 * @param source - the script
 * @param env - extra environment variables
 * @param timeoutMs - the child is SIGKILLed after this (the run then reports `signal: 'SIGKILL'`)
 */
export function runScript(name: string, source: string, env: Record<string, string> = {}, timeoutMs = 60_000): Promise<ChildRun> {
  mkdirSync(TMP, { recursive: true });
  const file = join(TMP, name);
  writeFileSync(file, source);
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [file], { cwd: TMP, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    const killer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      clearTimeout(killer);
      const exitedAt = Date.now();
      // Let the pipes drain before resolving.
      setImmediate(() => resolve({ code, signal, stdout, stderr, elapsedMs: exitedAt - started, exitedAt }));
    });
  });
}

/**
 * The code block that follows `<!-- marker ... -->` in a Markdown file, verbatim.
 * @throws when the marker or its block is missing (so a README edit cannot silently skip the test)
 */
export function codeBlockAfter(markdown: string, marker: string): string {
  const at = markdown.indexOf(`<!-- ${marker}`);
  if (at < 0) throw new Error(`marker <!-- ${marker} --> not found`);
  const open = markdown.indexOf('```', at);
  const start = markdown.indexOf('\n', open) + 1;
  const end = markdown.indexOf('\n```', start);
  if (open < 0 || end < 0) throw new Error(`no code block after <!-- ${marker} -->`);
  return markdown.slice(start, end + 1);
}

/**
 * `stderr` without the AWS SDK's warning that its releases after January 2027 need Node ≥ 22
 * (printed on Node 20), so that a test can assert that nothing else was written.
 */
export function stderrWithoutSdkNodeWarning(stderr: string): string {
  return stderr.replace(/\(node:\d+\) Warning: NodeVersionSupportWarning:[\s\S]*?\(Use `node --trace-warnings \.\.\.` to show where the warning was created\)\n/, '');
}
