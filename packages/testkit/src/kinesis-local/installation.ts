import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { KinesisLocalError } from '../errors.js';

/** The kinesis-local version this testkit is written and tested against (its peer dependency). */
export const KINESIS_LOCAL_VERSION = '0.6.2';

/** Where the installed kinesis-local keeps its entry point and TLS certificate. */
export interface KinesisLocalInstallation {
  /** Its version, from its package.json. */
  readonly version: string;
  /** `main.js`, the emulator compiled to JavaScript. */
  readonly mainPath: string;
  /** `server.json`, the self-signed certificate kinesis-mock needs to start its TLS port. */
  readonly certificatePath: string;
}

function resolverFromHere(): NodeJS.Require {
  // The CommonJS build knows its own file name; the ESM build and the sources have import.meta.url
  // (which the CommonJS build lacks). A bundler's `require` shim in the ESM build cannot resolve.
  return createRequire(typeof __filename === 'string' ? __filename : import.meta.url);
}

function resolvePackageJson(): string {
  const attempts = [resolverFromHere(), createRequire(join(process.cwd(), 'package.json'))];
  let lastError: unknown;
  for (const resolver of attempts) {
    try {
      return resolver.resolve('kinesis-local/package.json');
    } catch (error) {
      lastError = error;
    }
  }
  throw new KinesisLocalError(
    'ERR_KINESIS_LOCAL_NOT_INSTALLED',
    `startKinesisLocal needs the optional peer dependency kinesis-local, which is not installed; run \`npm install --save-dev kinesis-local@${KINESIS_LOCAL_VERSION}\`.`,
    { cause: lastError },
  );
}

/**
 * Finds the installed kinesis-local (from the testkit's own location, then from the working
 * directory) and checks that its files are there.
 * @throws KinesisLocalError `ERR_KINESIS_LOCAL_NOT_INSTALLED` when it is missing or incomplete
 */
export function locateKinesisLocal(): KinesisLocalInstallation {
  const packageJsonPath = resolvePackageJson();
  const directory = dirname(packageJsonPath);
  const installation = {
    version: String((JSON.parse(readFileSync(packageJsonPath, 'utf8')) as { version?: unknown }).version),
    mainPath: join(directory, 'main.js'),
    certificatePath: join(directory, 'server.json'),
  };
  for (const path of [installation.mainPath, installation.certificatePath]) {
    if (!existsSync(path)) {
      throw new KinesisLocalError('ERR_KINESIS_LOCAL_NOT_INSTALLED', `kinesis-local ${installation.version} is installed at ${directory} but ${path} is missing.`);
    }
  }
  return Object.freeze(installation);
}
