import { defineConfig } from 'tsup';
import { packageBuild } from '../../tsup.shared.js';

// Two entries: the public API and the worker thread's entry. The caller finds the worker beside
// itself at runtime (worker.js for ESM, worker.cjs for CJS; `shims` provides import.meta.url in CJS).
export default defineConfig({
  ...packageBuild,
  entry: { index: 'src/index.ts', worker: 'src/worker/worker.ts' },
  dts: { entry: { index: 'src/index.ts' }, compilerOptions: { composite: false, incremental: false } },
  shims: true,
});
