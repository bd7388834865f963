import { defineConfig } from 'tsup';

// Two entries: the public API and the worker thread's entry. The caller finds the worker beside
// itself at runtime (worker.js for ESM, worker.cjs for CJS; `shims` provides import.meta.url in CJS).
export default defineConfig({
  entry: { index: 'src/index.ts', worker: 'src/worker/worker.ts' },
  format: ['esm', 'cjs'],
  // Types for the public entry only; composite (project references) would make the d.ts build
  // reject files it reaches through imports.
  dts: { entry: { index: 'src/index.ts' }, compilerOptions: { composite: false, incremental: false } },
  clean: true,
  sourcemap: true,
  shims: true,
  target: 'node20',
  platform: 'node',
});
