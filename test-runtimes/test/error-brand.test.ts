// The error scheme every published package shares (docs/architecture.md, "Errors"), checked on the
// builds users install: each package's ESM and CJS builds, loaded side by side, are two copies of
// it (as two installed versions would be), so `instanceof` must hold across them by brand; every
// package's `TskplError` recognises every other package's errors; and each error class keeps the
// name it is exported under (the brand is built from class names, so a bundler rename would break it).
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { publishedPackages } from '../src/setup.js';

const repoRoot = fileURLToPath(new URL('../..', import.meta.url));
const require = createRequire(import.meta.url);
type Module = Record<string, unknown>;
type ErrorClass = (new (...args: unknown[]) => Error) & { scope: string };
const builds = new Map<string, { esm: Module; cjs: Module }>();

beforeAll(async () => {
  for (const folder of publishedPackages()) {
    const dist = join(repoRoot, 'packages', folder, 'dist');
    builds.set(folder, { esm: (await import(pathToFileURL(join(dist, 'index.js')).href)) as Module, cjs: require(join(dist, 'index.cjs')) as Module });
  }
});

/** The error classes a build exports: TskplError and its subclasses. */
function errorClasses(build: Module): [string, ErrorClass][] {
  const base = build['TskplError'] as ErrorClass;
  return Object.entries(build).filter((entry): entry is [string, ErrorClass] => typeof entry[1] === 'function' && (entry[1] === base || Object.prototype.isPrototypeOf.call(base.prototype, entry[1].prototype)));
}

/** An instance of `type`, or undefined for the abstract base (every constructor takes strings for its leading arguments). */
function sample(type: ErrorClass, name: string): Error | undefined {
  return name === 'TskplError' ? undefined : new type('ERR_SAMPLE', 'sample', 'allowed');
}

describe.each(publishedPackages())('packages/%s', (folder) => {
  it('exports TskplError and isTskplError, and error classes named as exported', () => {
    const { esm } = builds.get(folder)!;
    expect(typeof esm['isTskplError']).toBe('function');
    const classes = errorClasses(esm);
    expect(classes.length).toBeGreaterThan(1);
    for (const [name, type] of classes) expect(type.name).toBe(name);
  });

  it('instanceof holds between its ESM and CJS copies, and every package recognises its errors', () => {
    const { esm, cjs } = builds.get(folder)!;
    const classes = errorClasses(esm);
    expect(classes.length).toBeGreaterThan(1);
    for (const [name, type] of classes) {
      const esmError = sample(type, name);
      if (esmError === undefined) continue;
      const cjsError = sample(cjs[name] as ErrorClass, name)!;
      expect(cjs[name]).not.toBe(type);
      expect(esmError.name).toBe(name);
      expect(esmError).toBeInstanceOf(cjs[name] as ErrorClass);
      expect(cjsError).toBeInstanceOf(type);
      for (const other of builds.values()) {
        expect(esmError).toBeInstanceOf(other.esm['TskplError'] as ErrorClass);
        expect((other.cjs['isTskplError'] as (value: unknown) => boolean)(esmError)).toBe(true);
      }
    }
  });
});

it("a class name two packages share stays apart: the producer's and the sync bridge's TimeoutError", () => {
  const producer = builds.get('producer')!.esm['TimeoutError'] as ErrorClass;
  const bridge = builds.get('sync-bridge')!.cjs['TimeoutError'] as ErrorClass;
  expect(new producer('late', 5)).not.toBeInstanceOf(bridge);
  expect(new bridge('flush', 5)).not.toBeInstanceOf(producer);
  expect(new producer('late', 5)).toBeInstanceOf(builds.get('producer')!.cjs['TimeoutError'] as ErrorClass);
});
