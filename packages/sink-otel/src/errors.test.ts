import { describe, expect, it, vi } from 'vitest';
import { OpenTelemetrySinkError, OpenTelemetrySinkOptionError } from './errors.js';
import { isTskplError, TskplError } from './tskpl-error.js';

describe('OpenTelemetry sink errors', () => {
  it('an option error: code ERR_INVALID_CONFIG, its name, the TskplError brand', () => {
    const error = new OpenTelemetrySinkOptionError('meter', undefined, 'a Meter');
    expect(error.code).toBe('ERR_INVALID_CONFIG');
    expect(error.name).toBe('OpenTelemetrySinkOptionError');
    expect(error.option).toBe('meter');
    expect(error).toBeInstanceOf(OpenTelemetrySinkError);
    expect(isTskplError(error)).toBe(true);
    expect(new Error('plain')).not.toBeInstanceOf(OpenTelemetrySinkError);
  });

  it('holds across duplicate installs', async () => {
    vi.resetModules();
    const second = await import('./errors.js');
    const base = await import('./tskpl-error.js');
    expect(second.OpenTelemetrySinkError).not.toBe(OpenTelemetrySinkError);
    const error = new second.OpenTelemetrySinkOptionError('prefix', 3, 'a string');
    expect(error).toBeInstanceOf(OpenTelemetrySinkOptionError);
    expect(error).toBeInstanceOf(TskplError);
    expect(new OpenTelemetrySinkOptionError('prefix', 3, 'a string')).toBeInstanceOf(base.TskplError);
  });
});
