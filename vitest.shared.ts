// Shared vitest settings: every @tskpl/* import resolves to the package's source, so unit tests
// never depend on a build.
import { readdirSync, existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = dirname(fileURLToPath(import.meta.url));
const packagesDir = join(root, 'packages');

// Subpath entries (`@tskpl/producer/testing`) come first: an alias also matches as a prefix.
export const sourceAliases: Record<string, string> = Object.fromEntries([
  ...readdirSync(packagesDir)
    .filter((name) => existsSync(join(packagesDir, name, 'src', 'testing', 'index.ts')))
    .map((name) => [`@tskpl/${name}/testing`, join(packagesDir, name, 'src', 'testing', 'index.ts')]),
  ...readdirSync(packagesDir)
    .filter((name) => existsSync(join(packagesDir, name, 'src', 'index.ts')))
    .map((name) => [`@tskpl/${name}`, join(packagesDir, name, 'src', 'index.ts')]),
]);

export const sharedTestConfig = {
  resolve: { alias: sourceAliases },
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    restoreMocks: true,
    // Property tests and child-process tests run on 2-core CI machines, several packages at once:
    // 5 s (vitest's default) is a timing assumption, not a correctness one.
    testTimeout: 30_000,
  },
};
