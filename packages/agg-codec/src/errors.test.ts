import { describe, expect, it, vi } from 'vitest';
import {
  AggregateBuilder,
  CodecError,
  deaggregate,
  encodeAggregate,
  hashKeyOf,
  isCodecError,
  isTskplError,
  parseExplicitHashKey,
  TskplError,
  validatePartitionKey,
} from './index.js';
import type { CodecErrorCode, UserRecord } from './index.js';

function codeOf(action: () => unknown): CodecErrorCode | undefined {
  try {
    action();
  } catch (error) {
    expect(error).toBeInstanceOf(CodecError);
    expect(isCodecError(error)).toBe(true);
    expect((error as CodecError).retriable).toBe(false);
    return (error as CodecError).code;
  }
  return undefined;
}

const data = new Uint8Array([1]);

describe('typed errors', () => {
  it.each(['-1', '0x10', '1.5', '+5', '01', '340282366920938463463374607431768211456', ''])(
    'explicit hash key %j → ERR_INVALID_EXPLICIT_HASH_KEY everywhere it is accepted',
    (explicitHashKey) => {
      expect(codeOf(() => parseExplicitHashKey(explicitHashKey))).toBe('ERR_INVALID_EXPLICIT_HASH_KEY');
      expect(codeOf(() => hashKeyOf('pk', explicitHashKey))).toBe('ERR_INVALID_EXPLICIT_HASH_KEY');
      expect(codeOf(() => encodeAggregate([{ partitionKey: 'pk', explicitHashKey, data }]))).toBe('ERR_INVALID_EXPLICIT_HASH_KEY');
      expect(codeOf(() => new AggregateBuilder().add({ partitionKey: 'pk', explicitHashKey, data }))).toBe('ERR_INVALID_EXPLICIT_HASH_KEY');
    },
  );

  it('names the value and the allowed range in the message', () => {
    expect(() => parseExplicitHashKey('0x10')).toThrow(/explicitHashKey.*0 and 340282366920938463463374607431768211455.*"0x10"/);
    expect(() => validatePartitionKey('')).toThrow(/partitionKey.*1 to 256.*""/);
  });

  it.each([
    ['empty', ''],
    ['257 characters', 'k'.repeat(257)],
    ['not a string', 42],
  ])('partition key %s → ERR_INVALID_PARTITION_KEY', (_name, partitionKey) => {
    expect(codeOf(() => validatePartitionKey(partitionKey))).toBe('ERR_INVALID_PARTITION_KEY');
    expect(codeOf(() => encodeAggregate([{ partitionKey, data } as UserRecord]))).toBe('ERR_INVALID_PARTITION_KEY');
    expect(codeOf(() => hashKeyOf(partitionKey as string))).toBe('ERR_INVALID_PARTITION_KEY');
  });

  it('accepts a 256-character key and a multibyte one over 256 UTF-8 bytes', () => {
    expect(codeOf(() => validatePartitionKey('k'.repeat(256)))).toBeUndefined();
    expect(codeOf(() => validatePartitionKey('é'.repeat(200)))).toBeUndefined();
  });

  it.each([['a string', 'text'], ['an array', [1, 2]], ['null', null], ['an ArrayBuffer', new ArrayBuffer(2)]])(
    'data that is %s → ERR_INVALID_DATA',
    (_name, badData) => {
      expect(codeOf(() => encodeAggregate([{ partitionKey: 'pk', data: badData } as unknown as UserRecord]))).toBe('ERR_INVALID_DATA');
      expect(codeOf(() => deaggregate({ partitionKey: 'pk', data: badData } as never))).toBe('ERR_INVALID_DATA');
    },
  );

  it('an empty record list → ERR_EMPTY_RECORDS', () => {
    expect(codeOf(() => encodeAggregate([]))).toBe('ERR_EMPTY_RECORDS');
  });

  it('is a TskplError with the shared brand, qualified by @tskpl/agg-codec', () => {
    const error = new CodecError('ERR_INVALID_DATA', 'bad');
    expect(error).toBeInstanceOf(TskplError);
    expect(isTskplError(error)).toBe(true);
    expect(error.name).toBe('CodecError');
    expect((error as unknown as Record<symbol, unknown>)[Symbol.for('tskpl.error')]).toBe('@tskpl/agg-codec:CodecError @tskpl:TskplError');
    expect(isCodecError(new Error('x'))).toBe(false);
    expect(isTskplError(new Error('x'))).toBe(false);
  });

  it('is recognised across a second copy of the package, both ways', async () => {
    vi.resetModules();
    const other = await import('./index.js');
    expect(other.CodecError).not.toBe(CodecError);
    const foreign = new other.CodecError('ERR_INVALID_DATA', 'bad');
    expect(isCodecError(foreign)).toBe(true);
    expect(foreign).toBeInstanceOf(CodecError);
    expect(new CodecError('ERR_EMPTY_RECORDS', 'none')).toBeInstanceOf(other.CodecError);
    expect(other.isTskplError(new CodecError('ERR_EMPTY_RECORDS', 'none'))).toBe(true);
  });
});
