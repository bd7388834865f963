/**
 * Finds the worker's entry file beside this module at runtime: `worker.js` in the ESM build,
 * `worker.cjs` in the CommonJS build (tsup shims `import.meta.url` there).
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { ConfigError } from '@tskpl/producer';

/** The worker entry shipped beside this module. */
export function defaultWorkerFile(): URL {
  const here = import.meta.url;
  return new URL(/\.c[jt]s$/.test(here) ? './worker.cjs' : './worker.js', here);
}

/** Returns the worker file to start, checking that it exists (a missing file would hang the start). */
export function locateWorkerFile(configured: URL | undefined): URL {
  const file = configured ?? defaultWorkerFile();
  if (file.protocol === 'file:' && !existsSync(fileURLToPath(file))) {
    throw new ConfigError('workerFile', file.href, 'an existing worker entry file (when running from TypeScript sources or a bundle, pass workerFile pointing at the built worker.js or worker.cjs)');
  }
  return file;
}
