import { describe, expect, it } from 'vitest';
import { HarnessError, resolveKinesisLocalConfig, uniqueStreamName } from '../src/index.js';

describe('harness options', () => {
  it('defaults to instant stream operations, WARN logs and a 1 s stop grace', () => {
    expect(resolveKinesisLocalConfig()).toMatchObject({ operationDelayMs: 0, reshardDelayMs: 0, stopGraceMs: 1_000, logLevel: 'WARN' });
    expect(resolveKinesisLocalConfig({ operationDelayMs: 200 }).reshardDelayMs).toBe(200);
  });

  it.each([
    [{ stopGraceMs: -1 }, 'stopGraceMs', '0 to 60000'],
    [{ startTimeoutMs: 10 }, 'startTimeoutMs', '1000 to 300000'],
    [{ operationDelayMs: 1.5 }, 'operationDelayMs', '0 to 60000'],
    [{ logLevel: 'LOUD' as never }, 'logLevel', 'ERROR, WARN, INFO, DEBUG, TRACE'],
  ])('rejects %o naming the option, the value and the allowed range', (options, name, allowed) => {
    const error = (() => {
      try {
        resolveKinesisLocalConfig(options);
      } catch (caught) {
        return caught;
      }
      return undefined;
    })();
    expect(error).toBeInstanceOf(HarnessError);
    expect(error).toMatchObject({ code: 'ERR_INVALID_OPTION' });
    const message = (error as Error).message;
    expect(message).toContain(name);
    expect(message).toContain(allowed);
    expect(message).toContain(JSON.stringify(Object.values(options)[0]));
  });

  it('makes distinct, valid stream names and refuses a bad prefix', () => {
    const names = new Set(Array.from({ length: 100 }, () => uniqueStreamName('orders')));
    expect(names.size).toBe(100);
    for (const name of names) expect(name).toMatch(/^orders-[0-9a-f]{12}$/);
    expect(() => uniqueStreamName('bad name')).toThrow(/\[a-zA-Z0-9_.-\]; received "bad name"/);
  });
});
