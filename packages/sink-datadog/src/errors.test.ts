import { describe, expect, it, vi } from 'vitest';
import { DatadogSinkError, DatadogSinkOptionError, DatadogSinkSendError } from './errors.js';
import { isTskplError, TskplError } from './tskpl-error.js';

describe('Datadog sink errors', () => {
  it('are TskplErrors with a stable code and their own class name', () => {
    const option = new DatadogSinkOptionError('port', 0, 'an integer in 1 … 65535');
    expect(option.name).toBe('DatadogSinkOptionError');
    expect(option.code).toBe('ERR_INVALID_CONFIG');
    expect(option).toBeInstanceOf(DatadogSinkError);
    expect(option).toBeInstanceOf(TskplError);
    expect(isTskplError(option)).toBe(true);
    expect(option).not.toBeInstanceOf(DatadogSinkSendError);
    expect((option as unknown as Record<symbol, unknown>)[Symbol.for('tskpl.error')]).toBe('@tskpl/sink-datadog:DatadogSinkOptionError @tskpl/sink-datadog:DatadogSinkError @tskpl:TskplError');
  });

  it('a second copy of the package recognises them', async () => {
    vi.resetModules();
    const copy = await import('./errors.js');
    expect(copy.DatadogSinkOptionError).not.toBe(DatadogSinkOptionError);
    expect(new DatadogSinkOptionError('host', 1, 'a host name')).toBeInstanceOf(copy.DatadogSinkOptionError);
    expect(new copy.DatadogSinkOptionError('host', 1, 'a host name')).toBeInstanceOf(DatadogSinkError);
  });
});
