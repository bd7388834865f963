// The API report: each published package's public surface — its rolled-up type declarations
// (dist/index.d.ts, what users compile against), without comments — checked in under docs/api/.
// A change to the surface fails this test until the report is regenerated, so it shows in review:
//
//   npm run build && npx vitest run -u test/api-report.test.ts    (inside test-runtimes/)
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
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

describe.each(publishedPackages())('packages/%s', (folder) => {
  it('public surface matches docs/api', async () => {
    const name = (JSON.parse(readFileSync(join(repoRoot, 'packages', folder, 'package.json'), 'utf8')) as { name: string }).name;
    const report = `// API report of ${name}: dist/index.d.ts without comments. Regenerate: see test-runtimes/test/api-report.test.ts.\n${surfaceOf(join(repoRoot, 'packages', folder, 'dist', 'index.d.ts'))}`;
    await expect(report).toMatchFileSnapshot(join(repoRoot, 'docs', 'api', `${folder}.api.d.ts`));
  });
});
