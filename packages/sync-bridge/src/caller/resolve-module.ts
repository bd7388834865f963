/**
 * Resolves a package-name module specifier (`@acme/sink`, `@acme/sink/sub`, `legacy-sink`) to a
 * file URL on the caller's side, from the caller's location: the worker imports the URL, so a
 * package the caller can see is found even when `@tskpl/sync-bridge` cannot see it (pnpm's strict
 * layout, a bridge installed elsewhere). It follows what `import()` from that location does:
 * the nearest `node_modules/<name>` up the folders, its `exports` with the `node` and `import`
 * conditions, else (a package without `exports`) CommonJS resolution of `main`; symlinks are
 * resolved to the real file, as Node does.
 */
import { existsSync, readFileSync, realpathSync } from 'node:fs';
import { createRequire, isBuiltin } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { ConfigError } from '@tskpl/producer';

/** Conditions `import()` matches in a package's `exports`, in the worker (besides `default`). */
const IMPORT_CONDITIONS = new Set(['node', 'import', 'node-addons']);

/**
 * Returns the URL the worker imports for `specifier`: unchanged for URLs and builtins, else the
 * package resolved from `fromDir`, then from this package's own location (where such names were
 * resolved before, which a hoisted install relies on). Throws ConfigError naming `option`.
 */
export function resolvePackageSpecifier(option: string, specifier: string, fromDir: string): string {
  if (isBuiltin(specifier) || /^[a-z][a-z0-9+.-]+:/i.test(specifier)) return specifier;
  const { name, subpath } = splitSpecifier(option, specifier);
  const bases = [fromDir, dirname(fileURLToPath(import.meta.url))];
  for (const base of bases) {
    const packageDir = findPackageDir(base, name);
    if (packageDir !== undefined) return pathToFileURL(realpathSync(entryOf(option, specifier, base, packageDir, subpath))).href;
  }
  throw new ConfigError(
    option,
    specifier,
    `a package installed where resolveFrom can see it (looked for node_modules/${name} from ${fromDir} upwards, and from @tskpl/sync-bridge's own location; set resolveFrom, or give an absolute path or a file: URL)`,
  );
}

function splitSpecifier(option: string, specifier: string): { name: string; subpath: string } {
  const parts = specifier.split('/');
  const nameParts = specifier.startsWith('@') ? 2 : 1;
  const name = parts.slice(0, nameParts).join('/');
  if (parts.length < nameParts || parts.slice(0, nameParts).some((part) => part.length === 0) || specifier.includes('\\')) {
    throw new ConfigError(option, specifier, 'a package name (optionally with a subpath), an absolute path or a file: URL');
  }
  const rest = parts.slice(nameParts).join('/');
  return { name, subpath: rest.length === 0 ? '.' : `./${rest}` };
}

/** The nearest `node_modules/<name>` holding a package.json, along Node's lookup paths from `base`. */
function findPackageDir(base: string, name: string): string | undefined {
  const lookupPaths = createRequire(join(base, 'noop.js')).resolve.paths(name) ?? [];
  for (const folder of lookupPaths) {
    const packageDir = join(folder, name);
    if (existsSync(join(packageDir, 'package.json'))) return packageDir;
  }
  return undefined;
}

/** The file the subpath of the package at `packageDir` resolves to. */
function entryOf(option: string, specifier: string, base: string, packageDir: string, subpath: string): string {
  let manifest: { exports?: unknown };
  try {
    manifest = JSON.parse(readFileSync(join(packageDir, 'package.json'), 'utf8')) as { exports?: unknown };
  } catch (error) {
    throw new ConfigError(option, specifier, `a package with a readable package.json (${join(packageDir, 'package.json')}: ${(error as Error).message})`);
  }
  if (manifest.exports === undefined || manifest.exports === null) {
    // No exports map: CommonJS resolution (main, extensions, index.js) is what import() does too.
    try {
      return createRequire(join(base, 'noop.js')).resolve(specifier);
    } catch (error) {
      throw new ConfigError(option, specifier, `a package whose entry exists (${(error as Error).message})`);
    }
  }
  const target = exportsTarget(manifest.exports, subpath);
  if (target === undefined) {
    throw new ConfigError(option, specifier, `a subpath the package exports for import() (${join(packageDir, 'package.json')} has no "${subpath}" for the conditions node, import or default)`);
  }
  return join(packageDir, target);
}

/** The target of `subpath` in an `exports` field, or undefined when it is not exported. */
export function exportsTarget(exports: unknown, subpath: string): string | undefined {
  const map: Record<string, unknown> = isSubpathMap(exports) ? exports : { '.': exports };
  if (Object.hasOwn(map, subpath) && !subpath.includes('*')) return conditionalTarget(map[subpath], '');
  let best: { key: string; match: string } | undefined;
  for (const key of Object.keys(map)) {
    const star = key.indexOf('*');
    if (star === -1) continue;
    const prefix = key.slice(0, star);
    const suffix = key.slice(star + 1);
    if (subpath.length < key.length || !subpath.startsWith(prefix) || !subpath.endsWith(suffix)) continue;
    if (best === undefined || prefix.length > best.key.indexOf('*')) best = { key, match: subpath.slice(prefix.length, subpath.length - suffix.length) };
  }
  return best === undefined ? undefined : conditionalTarget(map[best.key], best.match);
}

function isSubpathMap(exports: unknown): exports is Record<string, unknown> {
  return typeof exports === 'object' && exports !== null && !Array.isArray(exports) && Object.keys(exports).some((key) => key.startsWith('.'));
}

function conditionalTarget(target: unknown, match: string): string | undefined {
  if (typeof target === 'string') return target.startsWith('./') ? target.replaceAll('*', match) : undefined;
  if (Array.isArray(target)) {
    for (const candidate of target) {
      const resolved = conditionalTarget(candidate, match);
      if (resolved !== undefined) return resolved;
    }
    return undefined;
  }
  if (typeof target === 'object' && target !== null) {
    for (const [condition, value] of Object.entries(target)) {
      if (condition !== 'default' && !IMPORT_CONDITIONS.has(condition)) continue;
      const resolved = conditionalTarget(value, match);
      if (resolved !== undefined) return resolved;
    }
  }
  return undefined;
}
