// What `npm pack` puts in each published package: the build, the sources it maps to, the README,
// the licence text and the manifest; never tests, fixtures or test helpers; source maps that a
// debugger can follow; the metadata a registry page shows.
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join, posix } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { publishedPackages } from '../src/setup.js';

const run = promisify(execFile);
const repoRoot = fileURLToPath(new URL('../..', import.meta.url));
const packages = publishedPackages();
let packed: { name: string; files: { path: string }[] }[] = [];

beforeAll(async () => {
  const { stdout } = await run('npm', ['pack', '--dry-run', '--json', ...packages.map((folder) => `--workspace=packages/${folder}`)], { cwd: repoRoot, maxBuffer: 16 * 1024 * 1024 });
  packed = JSON.parse(stdout) as typeof packed;
});

describe.each(packages)('packages/%s', (folder) => {
  const manifest = JSON.parse(readFileSync(join(repoRoot, 'packages', folder, 'package.json'), 'utf8')) as Record<string, unknown>;
  const files = () => packed.find((entry) => entry.name === manifest.name)!.files.map((file) => file.path).sort();

  it('ships only the build, the non-test sources, README, LICENSE and package.json', () => {
    expect(files().filter((path) => !/^(package\.json|README\.md|LICENSE|dist\/[\w.-]+\.(js|cjs|d\.ts|d\.cts|js\.map|cjs\.map)|src\/[\w/.-]+\.ts)$/.test(path))).toEqual([]);
    expect(files().filter((path) => /\.test\.ts$|__tests__|fixture|\/test\/|bench/.test(path))).toEqual([]);
    expect(files()).toContain('dist/index.js');
    expect(files()).toContain('dist/index.cjs');
  });

  it('ships the Apache-2.0 licence text its manifest names', () => {
    expect(files()).toContain('LICENSE');
    const licence = readFileSync(join(repoRoot, 'packages', folder, 'LICENSE'), 'utf8');
    expect(licence).toMatch(/^\s*Apache License\s+Version 2\.0, January 2004/);
    expect(licence).toContain('TERMS AND CONDITIONS FOR USE, REPRODUCTION, AND DISTRIBUTION');
    expect(licence).toBe(readFileSync(join(repoRoot, 'LICENSE'), 'utf8'));
  });

  it('source maps point at shipped sources, or embed the content of those they do not', () => {
    for (const map of files().filter((path) => path.endsWith('.map'))) {
      const { sources, sourcesContent } = JSON.parse(readFileSync(join(repoRoot, 'packages', folder, map), 'utf8')) as { sources: string[]; sourcesContent?: (string | null)[] };
      const unresolved = sources.filter((source, index) => !files().includes(posix.normalize(posix.join(dirname(map), source))) && typeof sourcesContent?.[index] !== 'string');
      expect(unresolved, map).toEqual([]);
    }
  });

  it('has the metadata a registry page needs', () => {
    expect(manifest).toMatchObject({ license: 'Apache-2.0', engines: { node: '>=20' }, sideEffects: false, publishConfig: { access: 'public' } });
    expect(manifest.repository).toMatchObject({ type: 'git', directory: `packages/${folder}` });
    expect((manifest.keywords as string[] | undefined)?.length ?? 0).toBeGreaterThanOrEqual(3);
    expect(typeof manifest.description).toBe('string');
  });
});
