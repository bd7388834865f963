// Source files shared by the published packages without a dependency between them: each package
// holds a copy of the canonical file under scripts/shared/, compiled into its own build. Part of
// `npm run lint`: fails when a published package lacks its copy or a copy differs from the
// canonical file. `node scripts/check-shared-copies.mjs --write` refreshes the copies.
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

const root = resolve(dirname(new URL(import.meta.url).pathname), '..');
const write = process.argv.includes('--write');

/** Canonical file (under scripts/shared/) → where a package keeps its copy. */
const SHARED = [
  {
    canonical: 'tskpl-error.ts',
    // Next to the package's errors: its errors/ folder when it has one (the producer), else src/.
    copyIn: (pkg) => (existsSync(join(pkg, 'src', 'errors')) ? join(pkg, 'src', 'errors', 'tskpl-error.ts') : join(pkg, 'src', 'tskpl-error.ts')),
  },
];

function publishedPackages() {
  return readdirSync(join(root, 'packages'))
    .map((folder) => join(root, 'packages', folder))
    .filter((pkg) => existsSync(join(pkg, 'package.json')) && JSON.parse(readFileSync(join(pkg, 'package.json'), 'utf8')).private !== true);
}

let problems = 0;
for (const { canonical, copyIn } of SHARED) {
  const source = readFileSync(join(root, 'scripts', 'shared', canonical), 'utf8');
  for (const pkg of publishedPackages()) {
    const copy = copyIn(pkg);
    const current = existsSync(copy) ? readFileSync(copy, 'utf8') : undefined;
    if (current === source) continue;
    if (write) {
      writeFileSync(copy, source);
      console.log(`wrote ${relative(root, copy)}`);
      continue;
    }
    problems++;
    console.error(`${relative(root, copy)}: ${current === undefined ? 'missing' : 'differs from'} (copy of scripts/shared/${canonical})`);
  }
}
if (problems > 0) {
  console.error(`${problems} shared cop${problems === 1 ? 'y is' : 'ies are'} out of date: edit scripts/shared/, then run node scripts/check-shared-copies.mjs --write`);
  process.exit(1);
}
