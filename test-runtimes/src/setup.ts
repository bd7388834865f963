// Prepares what the smoke test runs: the runtimes (from the npm registry, cached outside the
// repository so that `npm ci` does not delete them) and a consumer project that installs the
// packed tarballs of every published package, as a user's project would.
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);
const here = fileURLToPath(new URL('..', import.meta.url));
const repoRoot = join(here, '..');

/** One runtime of runtimes.json. */
export interface RuntimeSpec {
  readonly name: string;
  readonly kind: 'node' | 'bun' | 'deno';
  readonly package: string | null;
  readonly version: string;
  readonly bin: string | null;
}

/** A runtime ready to run: its spec and the path of its executable. */
export interface Runtime extends RuntimeSpec {
  readonly executable: string;
}

export const RUNTIMES: readonly RuntimeSpec[] = (JSON.parse(readFileSync(join(here, 'runtimes.json'), 'utf8')) as { runtimes: RuntimeSpec[] }).runtimes;

/** The published packages: every packages/* folder whose package.json is not private. */
export function publishedPackages(): string[] {
  return readdirSync(join(repoRoot, 'packages')).filter((folder) => {
    const manifest = join(repoRoot, 'packages', folder, 'package.json');
    return existsSync(manifest) && !(JSON.parse(readFileSync(manifest, 'utf8')) as { private?: boolean }).private;
  });
}

/**
 * Installs the runtimes of runtimes.json that are not in the cache yet (one `npm install` with
 * aliases, from the registry or npm's own cache) and returns them with their executables.
 * Cache: TSKPL_RUNTIME_CACHE, else ~/.cache/tskpl-runtimes, one folder per runtimes.json content.
 */
export async function installRuntimes(): Promise<Runtime[]> {
  const specs = RUNTIMES.filter((spec) => spec.package !== null);
  const key = createHash('sha256').update(JSON.stringify(specs)).digest('hex').slice(0, 12);
  const dir = join(process.env.TSKPL_RUNTIME_CACHE ?? join(homedir(), '.cache', 'tskpl-runtimes'), key);
  const executableOf = (spec: RuntimeSpec) => (spec.package === null ? process.execPath : join(dir, 'node_modules', spec.name, spec.bin ?? ''));
  if (!specs.every((spec) => existsSync(executableOf(spec)))) {
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'package.json'), '{ "private": true }\n');
    await run('npm', ['install', '--no-save', '--no-audit', '--no-fund', '--prefer-offline', ...specs.map((spec) => `${spec.name}@npm:${spec.package}@${spec.version}`)], { cwd: dir, maxBuffer: 16 * 1024 * 1024 });
  }
  return RUNTIMES.map((spec) => ({ ...spec, executable: executableOf(spec) }));
}

/**
 * Packs every published package (`npm pack`, i.e. exactly what would be published) and installs
 * the tarballs in a fresh project with the smoke scripts. Returns the project's folder.
 */
export async function createConsumerProject(): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'tskpl-runtimes-'));
  const tarballs = join(dir, 'tarballs');
  mkdirSync(tarballs);
  const packages = publishedPackages();
  const { stdout } = await run('npm', ['pack', '--json', '--pack-destination', tarballs, ...packages.map((folder) => `--workspace=packages/${folder}`)], { cwd: repoRoot, maxBuffer: 16 * 1024 * 1024 });
  const packed = JSON.parse(stdout) as { name: string; filename: string }[];
  const dependencies: Record<string, string> = Object.fromEntries(packed.map((entry) => [entry.name, `file:${join(tarballs, entry.filename)}`]));
  const project = {
    name: 'tskpl-runtime-smoke',
    private: true,
    dependencies: { ...dependencies, '@aws-sdk/client-kinesis': '3.1143.0', '@smithy/node-http-handler': '4.14.2' },
    // The packages depend on each other by version; these make npm use the tarballs, not the registry.
    overrides: Object.fromEntries(packed.map((entry) => [entry.name, `$${entry.name}`])),
  };
  writeFileSync(join(dir, 'package.json'), `${JSON.stringify(project, null, 2)}\n`);
  for (const file of readdirSync(join(here, 'fixture'))) copyFileSync(join(here, 'fixture', file), join(dir, file));
  await run('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline'], { cwd: dir, maxBuffer: 16 * 1024 * 1024 });
  return dir;
}

/** The command line that runs `script` on `runtime`. */
export function commandFor(runtime: Runtime, script: string): string[] {
  if (runtime.kind === 'deno') return [runtime.executable, 'run', '--allow-all', script];
  return [runtime.executable, script];
}
