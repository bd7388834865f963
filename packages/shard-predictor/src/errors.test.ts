import { describe, expect, it } from 'vitest';
import { isShardPredictorError, ShardPredictorError } from './errors.js';

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

  it('is recognised across duplicate installs by its Symbol.for brand', () => {
    const fromOtherCopy = Object.assign(new Error('gap'), { code: 'ERR_HASH_KEY_GAP', [Symbol.for('@tskpl/shard-predictor/ShardPredictorError')]: true });
    expect(isShardPredictorError(fromOtherCopy)).toBe(true);
    expect(fromOtherCopy instanceof ShardPredictorError).toBe(true);
    expect(isShardPredictorError(new Error('plain'))).toBe(false);
    expect(isShardPredictorError(null)).toBe(false);
    expect(new Error('plain') instanceof ShardPredictorError).toBe(false);
  });
});
