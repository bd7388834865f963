import { describe, expect, it } from 'vitest';
import { ConfigError } from '@tskpl/producer';
import { resolveSyncBridgeConfig } from './options.js';

describe('resolveSyncBridgeConfig', () => {
  it('passes cloneable producer options through and keeps module specifiers apart', () => {
    const config = resolveSyncBridgeConfig({ region: 'us-east-1', recordTtlMs: 5000, metricsSink: { module: '/abs/sink.js', export: 'Sink', options: { a: 1 } } });
    expect(config.producerOptions).toEqual({ region: 'us-east-1', recordTtlMs: 5000 });
    expect(config.moduleOptions).toEqual({ metricsSink: { module: 'file:///abs/sink.js', export: 'Sink', options: { a: 1 } } });
    expect(config.ringSizeBytes).toBe(4_194_304);
  });

  it('names the option, the value and the allowed range', () => {
    const cases: [Record<string, unknown>, string, string][] = [
      [{ ringSizeBytes: 10 }, 'ringSizeBytes', '65536 … 1073741824'],
      [{ startupTimeoutMs: 0 }, 'startupTimeoutMs', '1 … 2147483647'],
      [{ metricsSink: { export: () => undefined } }, 'metricsSink', 'module specifier'],
      [{ metricsSink: { module: './relative.js' } }, 'metricsSink.module', 'resolve relative paths first'],
      [{ credentials: () => Promise.resolve({}) }, 'credentials', 'structured-cloneable'],
      [{ clock: {} }, 'clock', 'system clock'],
      [{ putRecordTimeoutMs: -1 }, 'putRecordTimeoutMs', '0 … 2147483647'],
      [{ resolveFrom: 'relative/folder' }, 'resolveFrom', 'absolute path or a file: URL'],
      [{ metricsSink: { module: '@scope' } }, 'metricsSink.module', 'package name'],
    ];
    for (const [options, option, allowed] of cases) {
      let caught: unknown;
      try {
        resolveSyncBridgeConfig(options);
      } catch (error) {
        caught = error;
      }
      expect(caught).toBeInstanceOf(ConfigError);
      expect(caught).toMatchObject({ option });
      expect((caught as Error).message).toContain(allowed);
    }
  });
});
