import { defineConfig } from 'vitest/config';
import { sharedTestConfig } from '../vitest.shared.js';

// The tests run the compiled examples (dist/, built by `npm test` first) in child processes.
export default defineConfig({
  ...sharedTestConfig,
  test: { ...sharedTestConfig.test, include: ['test/**/*.test.ts'], testTimeout: 60_000, hookTimeout: 30_000 },
});
