/**
 * A temporary application folder outside the repository, with packages only in its own
 * node_modules (as pnpm's strict layout leaves them: nothing of theirs is visible from where
 * `@tskpl/sync-bridge` is installed).
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

/** The folder and the packages in it. */
export interface TempApp {
  /** The application's folder (holds node_modules). */
  readonly appDir: string;
  /** A fresh file path for a sink to write its marker into. */
  marker(name: string): string;
  remove(): void;
}

const files: Record<string, string> = {
  // A dual package with an exports map: ESM for import, CJS for require, and a subpath.
  'node_modules/@acme/kpl-sink/package.json': JSON.stringify({
    name: '@acme/kpl-sink',
    version: '1.0.0',
    type: 'module',
    exports: { '.': { import: './esm.js', require: './cjs.cjs' }, './logger': { default: './logger.js' } },
  }),
  'node_modules/@acme/kpl-sink/esm.js': "import { writeFileSync } from 'node:fs';\nexport function createSink({ marker }) {\n  writeFileSync(marker, 'esm');\n  return { export() {} };\n}\n",
  'node_modules/@acme/kpl-sink/cjs.cjs': "exports.createSink = ({ marker }) => {\n  require('node:fs').writeFileSync(marker, 'cjs');\n  return { export() {} };\n};\n",
  'node_modules/@acme/kpl-sink/logger.js': "import { writeFileSync } from 'node:fs';\nexport function createLogger({ marker }) {\n  writeFileSync(marker, 'logger');\n  return { warn() {}, error() {} };\n}\n",
  // A CommonJS package without exports, main without an extension.
  'node_modules/legacy-kpl-sink/package.json': JSON.stringify({ name: 'legacy-kpl-sink', version: '1.0.0', main: 'lib/index' }),
  'node_modules/legacy-kpl-sink/lib/index.js': "exports.createSink = ({ marker }) => {\n  require('node:fs').writeFileSync(marker, 'legacy');\n  return { export() {} };\n};\n",
};

/** Creates the folder under the system's temporary directory. */
export function createTempApp(): TempApp {
  const root = mkdtempSync(join(tmpdir(), 'sync-bridge-app-'));
  const appDir = join(root, 'app');
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(appDir, path)), { recursive: true });
    writeFileSync(join(appDir, path), text);
  }
  mkdirSync(join(root, 'markers'));
  return {
    appDir,
    marker: (name) => join(root, 'markers', name),
    remove: () => rmSync(root, { recursive: true, force: true }),
  };
}
