import { defineConfig } from 'vitest/config';
import { sharedTestConfig } from '../vitest.shared.js';

// Installing the runtimes takes ~45 s on a machine that has none cached; each run a few seconds.
export default defineConfig({
  ...sharedTestConfig,
  test: { ...sharedTestConfig.test, include: ['test/**/*.test.ts'], testTimeout: 120_000, hookTimeout: 600_000 },
});
