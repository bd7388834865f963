// The API report: each published package's public surface — the rolled-up type declarations of
// every entry point in its `exports` (dist/index.d.ts, and e.g. dist/testing.d.ts for
// `@tskpl/producer/testing`: what users compile against), without comments — checked in under
// docs/api/ (`<package>.api.d.ts`, `<package>-<subpath>.api.d.ts`). A change to the surface fails
// this test until the report is regenerated, so it shows in review:
//
//   npm run build && npx vitest run -u test/api-report.test.ts    (inside test-runtimes/)
//
// Each entry's declarations must be self-contained: an import of a sibling file (a bundler's
// content-hashed chunk such as `./transport-BY5quH6F.js`) would make the report depend on the
// hash and hide the declarations it names, so it fails here.
import { readFileSync } from 'node:fs';
import { join, posix } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { publishedPackages } from '../src/setup.js';

const repoRoot = fileURLToPath(new URL('../..', import.meta.url));

/** The declarations of `file` as TypeScript prints them without comments. */
function surfaceOf(file: string): string {
  const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, false, ts.ScriptKind.TS);
  return ts.createPrinter({ removeComments: true, newLine: ts.NewLineKind.LineFeed }).printFile(source);
}

/** Module specifiers of the imports and re-exports of `file` that point at another file (`./…`, `../…`). */
function relativeImportsOf(file: string): string[] {
  const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, false, ts.ScriptKind.TS);
  return source.statements
    .filter((statement): statement is ts.ImportDeclaration | ts.ExportDeclaration => ts.isImportDeclaration(statement) || ts.isExportDeclaration(statement))
    .map((statement) => statement.moduleSpecifier)
    .filter((specifier): specifier is ts.StringLiteral => specifier !== undefined && ts.isStringLiteral(specifier))
    .map((specifier) => specifier.text)
    .filter((text) => text.startsWith('.'));
}

interface Entry {
  /** `.` or a subpath such as `./testing`. */
  subpath: string;
  /** The ESM declarations of the entry, relative to the package. */
  types: string;
}

/** The entry points of a package's `exports` that have declarations. */
function entriesOf(folder: string): { name: string; entries: Entry[] } {
  const manifest = JSON.parse(readFileSync(join(repoRoot, 'packages', folder, 'package.json'), 'utf8')) as { name: string; exports: Record<string, string | { import?: { types?: string } }> };
  const entries = Object.entries(manifest.exports).flatMap(([subpath, target]) => {
    const types = typeof target === 'object' ? target.import?.types : undefined;
    return types === undefined ? [] : [{ subpath, types }];
  });
  return { name: manifest.name, entries };
}

function reportFile(folder: string, subpath: string): string {
  return subpath === '.' ? `${folder}.api.d.ts` : `${folder}-${subpath.slice(2).replaceAll('/', '-')}.api.d.ts`;
}

describe.each(publishedPackages())('packages/%s', (folder) => {
  const { name, entries } = entriesOf(folder);

  it.each(entries.map((entry) => [entry.subpath, entry] as const))('public surface of %s matches docs/api', async (subpath, entry) => {
    const dts = join(repoRoot, 'packages', folder, entry.types);
    const importPath = subpath === '.' ? name : posix.join(name, subpath);
    expect(relativeImportsOf(dts)).toEqual([]);
    const report = `// API report of ${importPath}: ${entry.types.slice(2)} without comments. Regenerate: see test-runtimes/test/api-report.test.ts.\n${surfaceOf(dts)}`;
    await expect(report).toMatchFileSnapshot(join(repoRoot, 'docs', 'api', reportFile(folder, subpath)));
  });
});
