// The build every published package shares: ESM + CJS + type declarations for src/index.ts.
import type { Options } from 'tsup';

export const packageBuild: Options = {
  entry: ['src/index.ts'],
  format: ['esm', 'cjs'],
  // The d.ts build compiles from the entry alone; project-reference settings (composite) would
  // make it reject files it reaches through imports.
  dts: { compilerOptions: { composite: false, incremental: false } },
  clean: true,
  sourcemap: true,
  target: 'node20',
  platform: 'node',
};
