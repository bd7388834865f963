/**
 * vitest globalSetup: real worker threads need JavaScript, so the package (and the workspace
 * packages it imports, from source) is built once before the tests. See `build-for-tests.ts`.
 */
import { buildForTests } from './build-for-tests.js';

export default async function setup(): Promise<void> {
  await buildForTests();
}
