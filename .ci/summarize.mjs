// Sums the vitest summaries ("Tests  12 passed | 1 failed (13)") of a CI log into one line.
import { readFileSync } from 'node:fs';

const colour = new RegExp(`${String.fromCharCode(27)}\\[[0-9;]*m`, 'g');
const text = readFileSync(process.argv[2], 'utf8').replace(colour, '');
let passed = 0;
let failed = 0;
let skipped = 0;
for (const line of text.split('\n')) {
  const summary = /^\S*\s*Tests\s+(.*)\(\d+\)\s*$/.exec(line.replace(/^@[^:]+:[^:]+:\s*/, ''));
  if (!summary) continue;
  for (const [, count, kind] of summary[1].matchAll(/(\d+) (passed|failed|skipped)/g)) {
    if (kind === 'passed') passed += Number(count);
    else if (kind === 'failed') failed += Number(count);
    else skipped += Number(count);
  }
}
console.log(`tests: ${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
