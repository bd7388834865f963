// The README's "Testing your code" example, run verbatim as a user runs it: an ES module in its
// own process importing the built `@tskpl/producer` and `@tskpl/producer/testing`.
import { execFile } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const packageDir = fileURLToPath(new URL('../..', import.meta.url));

function exampleAfter(marker: string): string {
  const readme = readFileSync(`${packageDir}README.md`, 'utf8');
  const match = new RegExp(`<!-- ${marker} -->\\s*\`\`\`js\\n([\\s\\S]*?)\`\`\``).exec(readme);
  if (match === null) throw new Error(`README has no js block after <!-- ${marker} -->`);
  return match[1]!;
}

describe('README, Testing your code', () => {
  it('runs in its own process and its assertions hold', async () => {
    mkdirSync(`${packageDir}.tmp`, { recursive: true });
    const file = `${packageDir}.tmp/readme-testing.mjs`;
    writeFileSync(file, exampleAfter('testing-example'));
    const run = await new Promise<{ code: number | null; stderr: string }>((resolve) => {
      const child = execFile(process.execPath, [file], { cwd: packageDir, timeout: 20_000 }, (error, _stdout, stderr) => {
        resolve({ code: error === null ? 0 : (child.exitCode ?? 1), stderr });
      });
    });
    // The producer's periodic warning about the throttled request goes to stderr; any failed
    // assertion or exception exits non-zero, and the stderr shown then says which.
    expect(run).toMatchObject({ code: 0 });
    expect(run.stderr).not.toMatch(/AssertionError|Error:/);
  });
});
