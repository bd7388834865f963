import { defineConfig } from 'vitest/config';
import { sharedTestConfig } from '../../vitest.shared.js';

// Tests with real workers run the build made by test/global-setup.ts (a worker thread cannot run
// the .ts sources); tests of the pure parts import the sources as usual.
export default defineConfig({
  ...sharedTestConfig,
  test: { ...sharedTestConfig.test, globalSetup: ['test/global-setup.ts'], testTimeout: 60_000, hookTimeout: 60_000 },
});
