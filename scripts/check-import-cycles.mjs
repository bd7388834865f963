// Fails when the relative imports of any package's src/ form a cycle, and prints it. Part of
// `npm run lint`, next to eslint's layering rules (eslint.config.js), so that the producer's
// folders keep pointing one way: support (clock, config, errors, record, transport, metrics)
// <- stages (shard-map, aggregator, limiter, collector, sender, retrier) <- pipeline <- producer.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

const root = resolve(dirname(new URL(import.meta.url).pathname), '..');
const IMPORT = /(?:import|export)\s[^'"]*?from\s+['"](\.[^'"]+)['"]/g;

function sourcesOf(dir) {
  const files = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) files.push(...sourcesOf(path));
    else if (name.endsWith('.ts') && !name.endsWith('.test.ts') && !path.includes('__tests__')) files.push(path);
  }
  return files;
}

let cycles = 0;
for (const pkg of readdirSync(join(root, 'packages'))) {
  const src = join(root, 'packages', pkg, 'src');
  let files;
  try {
    files = sourcesOf(src);
  } catch {
    continue;
  }
  const graph = new Map();
  for (const file of files) {
    const targets = [];
    for (const match of readFileSync(file, 'utf8').matchAll(IMPORT)) {
      // Type-only imports are erased, but a cycle of them still tangles the design: count them too.
      targets.push(resolve(dirname(file), match[1].replace(/\.js$/, '.ts')));
    }
    graph.set(file, targets);
  }
  const state = new Map(); // 1 = on the stack, 2 = done
  const stack = [];
  const visit = (file) => {
    state.set(file, 1);
    stack.push(file);
    for (const target of graph.get(file) ?? []) {
      if (!graph.has(target)) continue;
      if (state.get(target) === 1) {
        const cycle = stack.slice(stack.indexOf(target)).concat(target).map((path) => relative(root, path));
        console.error(`import cycle: ${cycle.join(' -> ')}`);
        cycles++;
      } else if (state.get(target) === undefined) {
        visit(target);
      }
    }
    stack.pop();
    state.set(file, 2);
  };
  for (const file of graph.keys()) if (state.get(file) === undefined) visit(file);
}
if (cycles > 0) {
  console.error(`${cycles} import cycle(s) in packages/*/src.`);
  process.exit(1);
}
console.log('no import cycles in packages/*/src');
