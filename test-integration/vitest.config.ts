import { defineConfig } from 'vitest/config';
import { sharedTestConfig } from '../vitest.shared.js';

// Each test file starts its own emulator(s); files run one after another so that at most two
// emulators (a file's own, plus one a test may start to prove stop()) are alive at once.
export default defineConfig({
  ...sharedTestConfig,
  test: {
    ...sharedTestConfig.test,
    include: ['test/**/*.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    fileParallelism: false,
  },
});
