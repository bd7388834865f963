// The build writes both entries' declarations (dist/index.d.ts, dist/testing.d.ts) on every run.
// tsup runs the configs of tsup.config.ts concurrently, and a config with `clean` deletes every
// `*.d.ts` of the output folder when its declaration build starts; had the other config finished
// its declarations by then, they were gone (a loaded machine's `npm run build` shipped no
// dist/testing.d.ts, so `@tskpl/producer/testing` had no types).
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Options } from 'tsup';
import { describe, expect, it } from 'vitest';

const packageDir = fileURLToPath(new URL('../..', import.meta.url));

describe('the package build', () => {
  it('no tsup config cleans the output folder another config writes declarations into; the build script empties dist first', async () => {
    // A computed specifier: the config lives outside src and imports the repository's shared build.
    const configFile = `${packageDir}tsup.config.ts`;
    const configs = ((await import(configFile)) as { default: Options[] }).default;
    expect(configs.length).toBeGreaterThan(1);
    const outDirs = new Set(configs.map((config) => config.outDir ?? 'dist'));
    expect(outDirs.size).toBe(1);
    for (const config of configs) expect(config.clean ?? false).toBe(false);
    const build = (JSON.parse(readFileSync(`${packageDir}package.json`, 'utf8')) as { scripts: { build: string } }).scripts.build;
    expect(build).toMatch(/rmSync\('dist'.*&& tsup$/);
  });
});
