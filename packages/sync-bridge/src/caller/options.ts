/**
 * Options of `new SyncProducer()`: the async producer's options (cloneable ones pass through to
 * the worker; objects become module specifiers) plus the bridge's own, validated here.
 */
import { existsSync, statSync } from 'node:fs';
import { dirname, isAbsolute } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { ConfigError, type ProducerOptions } from '@tskpl/producer';
import type { ModuleSpecifier, WorkerBootData } from '../shared/messages.js';
import { resolvePackageSpecifier } from './resolve-module.js';

export type { ModuleSpecifier } from '../shared/messages.js';

/** Producer options that are objects with behaviour, given to the worker as modules. */
export const MODULE_OPTIONS = ['metricsSink', 'kinesisClient', 'transport', 'logger', 'credentials'] as const;

type ModuleOptionName = (typeof MODULE_OPTIONS)[number];

/** Options of `new SyncProducer()`. */
export interface SyncProducerOptions extends Omit<ProducerOptions, ModuleOptionName | 'clock'> {
  /** A metrics sink built in the worker, e.g. `{ module: '@tskpl/sink-otel', export: 'OpenTelemetrySink', options: {...} }`. */
  metricsSink?: ModuleSpecifier;
  /** A factory or class (from a module) that builds the `KinesisClient` in the worker. */
  kinesisClient?: ModuleSpecifier;
  /** A factory or class (from a module) that builds a custom `KinesisTransport` in the worker. */
  transport?: ModuleSpecifier;
  /** A logger built in the worker. @defaultValue warnings and errors to the console */
  logger?: ModuleSpecifier;
  /** A plain credential identity (cloned to the worker), or a module that builds a provider. */
  credentials?: ModuleSpecifier | {
    /** AWS access key ID. */
    readonly accessKeyId: string;
    /** AWS secret access key. */
    readonly secretAccessKey: string;
    /** Session token of temporary credentials. */
    readonly sessionToken?: string;
    /** When temporary credentials expire; the identity is not refreshed (give a module for that). */
    readonly expiration?: Date;
  };
  /** How long the constructor waits for the worker to start, in milliseconds. @defaultValue 30000 */
  startupTimeoutMs?: number;
  /** Size of the shared ring that carries records to the worker, in bytes, 65536 … 1073741824. @defaultValue 4194304 (4 MiB) */
  ringSizeBytes?: number;
  /** How long an unclosed producer flushes when the process exits, in milliseconds. @defaultValue 10000 */
  exitFlushTimeoutMs?: number;
  /**
   * How long `putRecord` may block waiting for room (the worker's producer applying backpressure)
   * when the call gives no `timeoutMs`, in milliseconds; then it throws `TimeoutError` and the
   * record is not admitted. @defaultValue 30000
   */
  putRecordTimeoutMs?: number;
  /**
   * A blocked call gives up with `TimeoutError` (`reason: 'unresponsive'`) when the worker's
   * event loop gives no sign of life for this long, in milliseconds; the worker keeps running (a
   * busy worker is not a dead one, and a dead one is detected whatever this value). 0 disables
   * the watch. @defaultValue 10000
   */
  workerHeartbeatTimeoutMs?: number;
  /**
   * Where package-name module specifiers are resolved from: a folder, or a file whose folder is
   * used (path or `file:` URL), as `import()` from there would resolve them. Falls back to this
   * package's own location. @defaultValue the main script's folder (`process.argv[1]`), else `process.cwd()`
   */
  resolveFrom?: string | URL;
  /** The worker's entry file (path or URL). Needed only when a bundler moved the package's files. @defaultValue `worker.js` / `worker.cjs` beside this module */
  workerFile?: string | URL;
}

/** The validated bridge configuration. */
export interface SyncBridgeConfig {
  readonly startupTimeoutMs: number;
  readonly ringSizeBytes: number;
  readonly exitFlushTimeoutMs: number;
  readonly putRecordTimeoutMs: number;
  readonly workerHeartbeatTimeoutMs: number;
  readonly heartbeatMs: number;
  readonly workerFile: URL | undefined;
  readonly producerOptions: Record<string, unknown>;
  readonly moduleOptions: WorkerBootData['moduleOptions'];
}

const BRIDGE_OPTIONS = new Set(['startupTimeoutMs', 'ringSizeBytes', 'exitFlushTimeoutMs', 'putRecordTimeoutMs', 'workerHeartbeatTimeoutMs', 'workerFile', 'resolveFrom']);
const MAX_TIMEOUT_MS = 2_147_483_647;

/** Validates the bridge's options and splits the producer's into cloneable values and modules. Throws ConfigError. */
export function resolveSyncBridgeConfig(options: SyncProducerOptions = {}): SyncBridgeConfig {
  if (typeof options !== 'object' || options === null) throw new ConfigError('options', options, 'an object');
  const source = options as Record<string, unknown>;
  if (source['clock'] !== undefined) throw new ConfigError('clock', source['clock'], 'undefined (the worker always uses the system clock)');
  const resolveFrom = resolveFromOption(source['resolveFrom']);
  const producerOptions: Record<string, unknown> = {};
  const moduleOptions: Record<string, { module: string; export: string; options: unknown }> = {};
  for (const [name, value] of Object.entries(source)) {
    if (value === undefined || BRIDGE_OPTIONS.has(name)) continue;
    if ((MODULE_OPTIONS as readonly string[]).includes(name) && isModuleSpecifierLike(value)) {
      moduleOptions[name] = resolveModuleSpecifier(name, value, resolveFrom);
    } else if ((MODULE_OPTIONS as readonly string[]).includes(name) && name !== 'credentials') {
      throw new ConfigError(name, value, 'a module specifier { module, export?, options? } (objects with methods cannot cross to the worker thread)');
    } else {
      producerOptions[name] = assertCloneable(name, value);
    }
  }
  const heartbeatTimeout = integerIn(source, 'workerHeartbeatTimeoutMs', 10_000, 0, MAX_TIMEOUT_MS);
  return Object.freeze({
    startupTimeoutMs: integerIn(source, 'startupTimeoutMs', 30_000, 1, MAX_TIMEOUT_MS),
    ringSizeBytes: integerIn(source, 'ringSizeBytes', 4_194_304, 65_536, 1_073_741_824),
    exitFlushTimeoutMs: integerIn(source, 'exitFlushTimeoutMs', 10_000, 0, MAX_TIMEOUT_MS),
    putRecordTimeoutMs: integerIn(source, 'putRecordTimeoutMs', 30_000, 0, MAX_TIMEOUT_MS),
    workerHeartbeatTimeoutMs: heartbeatTimeout,
    // The worker beats even with the watch off: a quiet heartbeat is what makes a blocked call
    // check whether the thread still exists.
    heartbeatMs: heartbeatTimeout === 0 ? 250 : Math.max(5, Math.min(250, Math.floor(heartbeatTimeout / 4))),
    workerFile: resolveWorkerFileOption(source['workerFile']),
    producerOptions,
    moduleOptions,
  });
}

function isModuleSpecifierLike(value: unknown): value is ModuleSpecifier {
  return typeof value === 'object' && value !== null && 'module' in value;
}

function resolveModuleSpecifier(name: string, spec: ModuleSpecifier, resolveFrom: string): { module: string; export: string; options: unknown } {
  const moduleValue: unknown = spec.module;
  let module: string;
  if (moduleValue instanceof URL) module = moduleValue.href;
  else if (typeof moduleValue === 'string' && moduleValue.length > 0) module = moduleValue;
  else throw new ConfigError(`${name}.module`, moduleValue, 'a package name, an absolute path or a file: URL');
  if (module.startsWith('./') || module.startsWith('../')) {
    throw new ConfigError(`${name}.module`, module, "a package name, an absolute path or a file: URL (resolve relative paths first, e.g. new URL('./x.js', import.meta.url))");
  }
  module = isAbsolute(module) ? pathToFileURL(module).href : resolvePackageSpecifier(`${name}.module`, module, resolveFrom);
  const exportName: unknown = spec.export ?? 'default';
  if (typeof exportName !== 'string' || exportName.length === 0) throw new ConfigError(`${name}.export`, exportName, 'a non-empty export name');
  return { module, export: exportName, options: assertCloneable(`${name}.options`, spec.options) };
}

function assertCloneable(name: string, value: unknown): unknown {
  try {
    structuredClone(value);
  } catch {
    throw new ConfigError(name, value, 'a structured-cloneable value (functions and class instances with methods cannot cross to the worker; pass a module specifier instead)');
  }
  return value;
}

function integerIn(source: Record<string, unknown>, name: string, fallback: number, min: number, max: number): number {
  const value = source[name];
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw new ConfigError(name, value, `an integer in ${min} … ${max}`);
  }
  return value;
}

function resolveWorkerFileOption(value: unknown): URL | undefined {
  if (value === undefined) return undefined;
  if (value instanceof URL) return value;
  if (typeof value === 'string' && value.length > 0) return value.startsWith('file:') ? new URL(value) : pathToFileURL(value);
  throw new ConfigError('workerFile', value, 'a path or a file: URL');
}

/** The folder package names are resolved from (see `SyncProducerOptions.resolveFrom`). */
function resolveFromOption(value: unknown): string {
  if (value === undefined) {
    const main = process.argv[1];
    return main !== undefined && isAbsolute(main) && existsSync(main) ? dirname(main) : process.cwd();
  }
  let path: string | undefined;
  if (value instanceof URL && value.protocol === 'file:') path = fileURLToPath(value);
  else if (typeof value === 'string' && value.startsWith('file:')) path = fileURLToPath(value);
  else if (typeof value === 'string' && isAbsolute(value)) path = value;
  if (path === undefined) throw new ConfigError('resolveFrom', value, 'an absolute path or a file: URL of a folder or a file');
  return existsSync(path) && statSync(path).isDirectory() ? path : dirname(path);
}
