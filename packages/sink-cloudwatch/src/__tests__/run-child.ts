/**
 * Runs a TypeScript test script in a child Node process with real timers: the script and the
 * workspace packages it imports are bundled from source (the `@tskpl/source` condition) into
 * `node_modules/.cache/`, everything else stays external. Resolves with the child's exit code,
 * its output and how long it lived.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { basename, dirname, isAbsolute, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'tsup';

const packageDir = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const outDir = join(packageDir, 'node_modules', '.cache', 'child-scripts');

/** Bundles `@tskpl/*` from source; every other package stays an import resolved by Node at run time. */
const bundleWorkspaceSourcesOnly = {
  name: 'bundle-workspace-sources-only',
  setup(builder: { onResolve(options: { filter: RegExp }, callback: (args: { path: string }) => { external: boolean } | undefined): void }): void {
    builder.onResolve({ filter: /^[^./]/ }, (args) => (args.path.startsWith('@tskpl/') ? undefined : { external: true }));
  },
};

export interface ChildRun {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
  readonly elapsedMs: number;
}

/** Bundles `script` (a path inside this package, or an absolute path) and runs it with `env` added to (or, for undefined values, removed from) the environment. */
export async function runChild(script: string, env: Record<string, string | undefined>, killAfterMs = 30_000): Promise<ChildRun> {
  mkdirSync(outDir, { recursive: true });
  writeFileSync(join(outDir, 'package.json'), '{ "type": "module" }\n');
  const name = basename(script).replace(/\.ts$/, '');
  await build({
    entry: { [name]: isAbsolute(script) ? script : join(packageDir, script) },
    outDir,
    format: ['esm'],
    platform: 'node',
    target: 'node20',
    silent: true,
    config: false,
    clean: false,
    dts: false,
    noExternal: [/^@tskpl\//],
    esbuildPlugins: [bundleWorkspaceSourcesOnly],
    esbuildOptions(options) {
      options.conditions = ['@tskpl/source'];
    },
  });
  const childEnv: NodeJS.ProcessEnv = { ...process.env };
  for (const [key, value] of Object.entries(env)) {
    if (value === undefined) delete childEnv[key];
    else childEnv[key] = value;
  }
  const startedAt = performance.now();
  return new Promise<ChildRun>((resolve, reject) => {
    const child = spawn(process.execPath, [join(outDir, `${name}.js`)], { env: childEnv, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    const killer = setTimeout(() => child.kill('SIGKILL'), killAfterMs);
    child.on('error', reject);
    child.on('exit', (code) => {
      clearTimeout(killer);
      resolve({ code, stdout, stderr, elapsedMs: performance.now() - startedAt });
    });
  });
}
