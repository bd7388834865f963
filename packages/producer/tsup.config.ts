import { defineConfig } from 'tsup';
import { packageBuild } from '../../tsup.shared.js';

// Two entries: the producer, and `@tskpl/producer/testing` (fake clock, scripted fake transport).
export default defineConfig({ ...packageBuild, entry: { index: 'src/index.ts', testing: 'src/testing/index.ts' } });
