import { describe, expect, it, vi } from 'vitest';
import { ArgumentError, ConfigError, ProducerClosedError, ProducerError, RecordFailedError, ShardMapError, TimeoutError, ValidationError } from './errors.js';
import { isTskplError, TskplError } from './tskpl-error.js';

/** The same modules evaluated again: what a second installed copy of the package looks like. */
async function secondCopy() {
  vi.resetModules();
  return { errors: await import('./errors.js'), base: await import('./tskpl-error.js') };
}

describe('producer errors', () => {
  it('carry a stable code, their class name, retriable and cause', () => {
    const cause = new Error('inner');
    const cases: [Error & { code: string; retriable: boolean }, string, string, boolean][] = [
      [new ConfigError('recordTtlMs', -1, 'an integer in 100 … 2147483647'), 'ConfigError', 'ERR_INVALID_CONFIG', false],
      [new ValidationError('ERR_INVALID_PARTITION_KEY', 'partitionKey', 'empty', { cause }), 'ValidationError', 'ERR_INVALID_PARTITION_KEY', false],
      [new ProducerClosedError(), 'ProducerClosedError', 'ERR_PRODUCER_CLOSED', false],
      [new ShardMapError('s', 'ResourceNotFoundException', 'gone'), 'ShardMapError', 'ERR_SHARD_MAP', false],
      [new TimeoutError('late', 5), 'TimeoutError', 'ERR_TIMEOUT', true],
      [new ArgumentError('windowSeconds', 'bad'), 'ArgumentError', 'ERR_INVALID_ARGUMENT', false],
      [new RecordFailedError({ errorCode: 'Expired', errorMessage: 'ttl', attempts: [] } as never), 'RecordFailedError', 'ERR_RECORD_FAILED', false],
      [new ProducerError('ERR_PRODUCER', 'internal'), 'ProducerError', 'ERR_PRODUCER', false],
    ];
    for (const [error, name, code, retriable] of cases) {
      expect(error.name).toBe(name);
      expect(error.code).toBe(code);
      expect(error.retriable).toBe(retriable);
      expect(error).toBeInstanceOf(Error);
      expect(error).toBeInstanceOf(ProducerError);
      expect(error).toBeInstanceOf(TskplError);
      expect(isTskplError(error)).toBe(true);
    }
    expect(cases[1]![0].cause).toBe(cause);
    expect('cause' in new ProducerClosedError()).toBe(false);
  });

  it('instanceof tells the subclasses apart', () => {
    expect(new ConfigError('x', 1, 'y')).not.toBeInstanceOf(ValidationError);
    expect(new TimeoutError('late', 5)).not.toBeInstanceOf(ArgumentError);
    expect(new Error('plain')).not.toBeInstanceOf(ProducerError);
    expect(isTskplError(new Error('plain'))).toBe(false);
    expect(isTskplError(null)).toBe(false);
    expect(isTskplError('ERR_TIMEOUT')).toBe(false);
  });

  it('carries the shared brand: its classes qualified by @tskpl/producer', () => {
    const brand = (new ConfigError('x', 1, 'y') as unknown as Record<symbol, unknown>)[Symbol.for('tskpl.error')];
    expect(brand).toBe('@tskpl/producer:ConfigError @tskpl/producer:ProducerError @tskpl:TskplError');
  });

  it('instanceof holds across a second copy of the package, both ways', async () => {
    const other = await secondCopy();
    expect(other.errors.ConfigError).not.toBe(ConfigError);
    const foreign = new other.errors.TimeoutError('late', 5);
    expect(foreign).toBeInstanceOf(TimeoutError);
    expect(foreign).toBeInstanceOf(ProducerError);
    expect(foreign).toBeInstanceOf(TskplError);
    expect(foreign).not.toBeInstanceOf(ArgumentError);
    expect(new ValidationError('ERR_INVALID_DATA', 'data', 'bad')).toBeInstanceOf(other.errors.ValidationError);
    expect(new ValidationError('ERR_INVALID_DATA', 'data', 'bad')).toBeInstanceOf(other.base.TskplError);
    expect(other.base.isTskplError(new ShardMapError('s', 'x', 'y'))).toBe(true);
  });

  it('a class of the same name from another package is not a producer error', () => {
    class OtherTimeoutError extends TskplError {
      static override readonly scope: string = '@tskpl/sync-bridge';
    }
    Object.defineProperty(OtherTimeoutError, 'name', { value: 'TimeoutError' });
    const foreign = new OtherTimeoutError('ERR_SYNC_TIMEOUT', 'late');
    expect(foreign.name).toBe('TimeoutError');
    expect(foreign).toBeInstanceOf(TskplError);
    expect(foreign).not.toBeInstanceOf(TimeoutError);
    expect(foreign).not.toBeInstanceOf(ProducerError);
  });
});
