/**
 * Builds the options that could not be cloned (`metricsSink`, `kinesisClient`, `transport`,
 * `logger`, `credentials`) from their module specifiers, inside the worker.
 */
import type { WorkerBootData } from '../shared/messages.js';

/** Thrown when a module does not provide what its specifier names; rebuilt by the caller as a ConfigError. */
export type MakeConfigError = (option: string, value: unknown, allowed: string) => Error;

/** Imports every module specifier and returns the built option values by name. */
export async function loadModuleOptions(specs: WorkerBootData['moduleOptions'], makeConfigError: MakeConfigError): Promise<Record<string, unknown>> {
  const built: Record<string, unknown> = {};
  for (const [option, spec] of Object.entries(specs)) {
    let namespace: Record<string, unknown>;
    try {
      namespace = (await import(spec.module)) as Record<string, unknown>;
    } catch (error) {
      const failure = makeConfigError(option, spec.module, `a module the worker can import (${(error as Error).message})`);
      throw Object.assign(failure, { cause: error });
    }
    const fallback = namespace['default'] as Record<string, unknown> | undefined;
    const exported = namespace[spec.export] ?? (spec.export !== 'default' && typeof fallback === 'object' && fallback !== null ? fallback[spec.export] : undefined);
    if (exported === undefined) {
      throw makeConfigError(option, `${spec.module}#${spec.export}`, `a module with an export named "${spec.export}"`);
    }
    built[option] = await instantiate(exported, spec);
  }
  return built;
}

async function instantiate(exported: unknown, spec: WorkerBootData['moduleOptions'][string]): Promise<unknown> {
  if (typeof exported !== 'function') return exported;
  if (/^class[\s{]/.test(Function.prototype.toString.call(exported))) {
    const Constructor = exported as new (options: unknown) => unknown;
    return new Constructor(spec.options);
  }
  const factory = exported as (options: unknown) => unknown;
  return await factory(spec.options);
}
