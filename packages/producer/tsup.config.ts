import { defineConfig } from 'tsup';
import { packageBuild } from '../../tsup.shared.js';

// Two entries: the producer, and `@tskpl/producer/testing` (fake clock, scripted fake transport).
// The JavaScript is one build (the two entries share a chunk, so one copy of the producer's code
// is loaded). The declarations are rolled up once per entry, each self-contained: one rollup of
// both would move what they share into a content-hashed `transport-<hash>.d.ts` that both import,
// which users would see in "go to definition" and docs/api/*.api.d.ts would have to follow.
// The testing rollup does not clean (the first config's clean runs when its builds start).
export default defineConfig([
  {
    ...packageBuild,
    entry: { index: 'src/index.ts', testing: 'src/testing/index.ts' },
    dts: { ...(packageBuild.dts as object), entry: { index: 'src/index.ts' } },
  },
  {
    ...packageBuild,
    entry: { testing: 'src/testing/index.ts' },
    dts: { ...(packageBuild.dts as object), entry: { testing: 'src/testing/index.ts' }, only: true },
    clean: false,
  },
]);
