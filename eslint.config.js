// Lint setup for the whole monorepo (typescript-eslint flat config; type information only for the
// published sources' promise rules).
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const timeRule = 'Time and timers come from the injected Clock (src/clock/); nothing else reads the wall clock.';

export default tseslint.config(
  {
    ignores: ['**/node_modules/**', '**/.tmp/**', '**/.ab/**', 'docs/api/**', 'docs/reference/**', '**/dist/**', '**/.tsbuild/**', '**/.turbo/**', '**/coverage/**'],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      ecmaVersion: 2023,
      sourceType: 'module',
      globals: {
        console: 'readonly', process: 'readonly', Buffer: 'readonly', URL: 'readonly',
        TextEncoder: 'readonly', TextDecoder: 'readonly', setTimeout: 'readonly', clearTimeout: 'readonly',
        setInterval: 'readonly', clearInterval: 'readonly', setImmediate: 'readonly', queueMicrotask: 'readonly',
        SharedArrayBuffer: 'readonly', Atomics: 'readonly', globalThis: 'readonly', AbortController: 'readonly',
        performance: 'readonly', structuredClone: 'readonly',
      },
    },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-restricted-syntax': ['error', { selector: 'ExportAllDeclaration', message: 'Export names explicitly; no export *.' }],
    },
  },
  {
    // Published sources: the wall clock and timers only through the injected Clock.
    files: ['packages/*/src/**/*.ts'],
    ignores: ['packages/*/src/**/clock/**', 'packages/*/src/**/*.test.ts', 'packages/*/src/**/__tests__/**'],
    rules: {
      'no-restricted-properties': ['error',
        { object: 'Date', property: 'now', message: timeRule },
        { object: 'performance', property: 'now', message: timeRule },
        { object: 'Math', property: 'random', message: 'Randomness is injected (Clock.random) so tests are deterministic.' },
      ],
      'no-restricted-globals': ['error',
        { name: 'setTimeout', message: timeRule },
        { name: 'setInterval', message: timeRule },
        { name: 'setImmediate', message: timeRule },
      ],
    },
  },
  {
    // The producer's folders point one way (docs/architecture.md): support folders import no stage,
    // pipeline or producer code; stages import neither the pipeline that wires them nor the producer.
    files: ['packages/producer/src/{clock,config,errors,record,transport,metrics}/**/*.ts'],
    ignores: ['**/*.test.ts', '**/__tests__/**'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ group: ['../aggregator/*', '../sequencer/*', '../limiter/*', '../collector/*', '../sender/*', '../retrier/*', '../shard-map/*', '../pipeline/*', '../producer/*'], message: 'A support folder imports no stage: move the shared type into record/ or the support folder.' }] }],
    },
  },
  {
    files: ['packages/producer/src/{aggregator,sequencer,limiter,collector,sender,retrier,shard-map}/**/*.ts'],
    ignores: ['**/*.test.ts', '**/__tests__/**'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ group: ['../pipeline/*', '../producer/*'], message: 'A stage does not reach back into the pipeline or the producer: take what you need as a dependency (record/user-record.ts StreamContext).' }] }],
    },
  },
  {
    // Published sources, with type information: a promise is awaited, returned, or its rejection
    // handled on purpose; no promise where a callback's return value is ignored.
    files: ['packages/*/src/**/*.ts'],
    ignores: ['packages/*/src/**/*.test.ts', 'packages/*/src/**/__tests__/**'],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
    },
  },
  {
    files: ['**/*.cjs'],
    languageOptions: { sourceType: 'commonjs', globals: { require: 'readonly', module: 'writable', __dirname: 'readonly', __filename: 'readonly', exports: 'writable' } },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
);
