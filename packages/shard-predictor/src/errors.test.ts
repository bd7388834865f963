import { describe, expect, it, vi } from 'vitest';
import { isShardPredictorError, ShardPredictorError } from './errors.js';
import { isTskplError, TskplError } from './tskpl-error.js';

describe('ShardPredictorError', () => {
  it('carries its code, a cause, retriable false and its name', () => {
    const cause = new Error('inner');
    const error = new ShardPredictorError('ERR_HASH_KEY_GAP', 'gap', { cause });
    expect(error).toBeInstanceOf(Error);
    expect(error.code).toBe('ERR_HASH_KEY_GAP');
    expect(error.retriable).toBe(false);
    expect(error.name).toBe('ShardPredictorError');
    expect(error.cause).toBe(cause);
    expect('cause' in new ShardPredictorError('ERR_NO_SHARDS', 'none')).toBe(false);
  });

  it('is a TskplError with the shared brand, qualified by @tskpl/shard-predictor', () => {
    const error = new ShardPredictorError('ERR_NO_SHARDS', 'none');
    expect(error).toBeInstanceOf(TskplError);
    expect(isTskplError(error)).toBe(true);
    expect((error as unknown as Record<symbol, unknown>)[Symbol.for('tskpl.error')]).toBe('@tskpl/shard-predictor:ShardPredictorError @tskpl:TskplError');
    expect(isShardPredictorError(new Error('plain'))).toBe(false);
    expect(isShardPredictorError(null)).toBe(false);
    expect(new Error('plain') instanceof ShardPredictorError).toBe(false);
  });

  it('is recognised across a second copy of the package, both ways', async () => {
    vi.resetModules();
    const other = await import('./errors.js');
    expect(other.ShardPredictorError).not.toBe(ShardPredictorError);
    const fromOtherCopy = new other.ShardPredictorError('ERR_HASH_KEY_GAP', 'gap');
    expect(isShardPredictorError(fromOtherCopy)).toBe(true);
    expect(fromOtherCopy).toBeInstanceOf(ShardPredictorError);
    expect(new ShardPredictorError('ERR_NO_SHARDS', 'none')).toBeInstanceOf(other.ShardPredictorError);
  });
});
