/**
 * Builds the package the way `tsup.config.ts` does (ESM + CJS, index + worker entries, CJS shims),
 * but with every `@tskpl/*` import bundled from its TypeScript source, into
 * `node_modules/.cache/sync-bridge-test-build/`. Tests that start real workers use this build:
 * a worker thread runs plain Node, which cannot load the `.ts` sources vitest runs.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'tsup';

const packageDir = join(dirname(fileURLToPath(import.meta.url)), '..');

/** Output folder of the test build: `index.js`, `index.cjs`, `worker.js`, `worker.cjs`. */
export const testBuildDir = join(packageDir, 'node_modules', '.cache', 'sync-bridge-test-build');

/** Bundles `@tskpl/*` (resolved to source by the `@tskpl/source` condition); everything else stays external. */
const bundleWorkspaceSources = {
  name: 'bundle-workspace-sources',
  setup(builder: { onResolve(options: { filter: RegExp }, callback: (args: { path: string }) => { external: boolean } | undefined): void }): void {
    builder.onResolve({ filter: /^[^./]/ }, (args) => (args.path.startsWith('@tskpl/') ? undefined : { external: true }));
  },
};

/** Runs the build; called once by vitest's globalSetup. */
export async function buildForTests(): Promise<void> {
  mkdirSync(testBuildDir, { recursive: true });
  // Inside node_modules the package scope stops: declare the .js files as ESM here.
  writeFileSync(join(testBuildDir, 'package.json'), '{ "type": "module" }\n');
  const common = {
    outDir: testBuildDir,
    shims: true,
    splitting: false,
    sourcemap: 'inline',
    target: 'node20',
    platform: 'node',
    silent: true,
    config: false,
    clean: false,
    noExternal: [/^@tskpl\//],
    esbuildPlugins: [bundleWorkspaceSources],
    esbuildOptions(options: { conditions?: string[] }) {
      options.conditions = ['@tskpl/source'];
    },
  } satisfies Parameters<typeof build>[0];
  await Promise.all([
    build({ ...common, entry: { index: join(packageDir, 'src/index.ts'), worker: join(packageDir, 'src/worker/worker.ts') }, format: ['esm', 'cjs'] }),
    build({ ...common, entry: { 'fake-kinesis-host': join(packageDir, 'test/fixtures/fake-kinesis-host.ts') }, format: ['esm'] }),
  ]);
}
