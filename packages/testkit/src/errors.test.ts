import { describe, expect, it, vi } from 'vitest';
import { isKinesisLocalError, isTestkitError, KinesisLocalError, TestkitError, TestkitNotFoundError, TestkitOptionsError, TestkitStateError } from './errors.js';
import { isTskplError, TskplError } from './tskpl-error.js';

describe('testkit errors', () => {
  it('keep their codes and class names and share the TskplError brand', () => {
    const cases: [TestkitError, string, string][] = [
      [new TestkitOptionsError('bad seed'), 'TestkitOptionsError', 'ERR_TESTKIT_OPTIONS'],
      [new TestkitStateError('closed'), 'TestkitStateError', 'ERR_TESTKIT_STATE'],
      [new TestkitNotFoundError('no stream'), 'TestkitNotFoundError', 'ERR_TESTKIT_NOT_FOUND'],
      [new KinesisLocalError('ERR_KINESIS_LOCAL_START', 'exited'), 'KinesisLocalError', 'ERR_KINESIS_LOCAL_START'],
    ];
    for (const [error, name, code] of cases) {
      expect([error.name, error.code]).toEqual([name, code]);
      expect(error).toBeInstanceOf(TestkitError);
      expect(error).toBeInstanceOf(TskplError);
      expect(isTestkitError(error)).toBe(true);
      expect(isTskplError(error)).toBe(true);
    }
    expect(isKinesisLocalError(cases[3]![0])).toBe(true);
    expect(isKinesisLocalError(cases[0]![0])).toBe(false);
    expect(new KinesisLocalError('ERR_KINESIS_LOCAL_START', 'x').retriable).toBe(true);
    expect(new KinesisLocalError('ERR_KINESIS_LOCAL_NOT_INSTALLED', 'x').retriable).toBe(false);
  });

  it('isTestkitError and instanceof recognise errors of a second copy', async () => {
    vi.resetModules();
    const other = await import('./errors.js');
    expect(other.TestkitStateError).not.toBe(TestkitStateError);
    expect(isTestkitError(new other.TestkitStateError('closed'))).toBe(true);
    expect(new other.TestkitStateError('closed')).toBeInstanceOf(TestkitStateError);
    expect(new other.TestkitStateError('closed')).not.toBeInstanceOf(TestkitOptionsError);
    expect(isKinesisLocalError(new other.KinesisLocalError('ERR_KINESIS_LOCAL_PORT_IN_USE', 'taken'))).toBe(true);
  });
});
