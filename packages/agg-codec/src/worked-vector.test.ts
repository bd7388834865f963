import { describe, expect, it } from 'vitest';
import { AggregateBuilder, encodeAggregate } from './index.js';

const text = (value: string): Uint8Array => new TextEncoder().encode(value);

describe('worked vector of docs/kpl-compatibility.md', () => {
  const records = [
    { partitionKey: 'alpha', data: text('hello') },
    { partitionKey: 'beta', explicitHashKey: '42', data: text('world') },
    { partitionKey: 'alpha', data: text('!') },
  ];
  const protobufHex =
    '0a05616c706861' + '0a0462657461' + '12023432' + '1a09' + '0800' + '1a0568656c6c6f' + '1a0b' + '0801' + '1000' + '1a05776f726c64' + '1a05' + '0800' + '1a0121';

  it('encodes the 68-byte aggregate with the KPL bytes, partition key "a" and the first record hash key', () => {
    const entry = encodeAggregate(records);
    expect(Buffer.from(entry.data).toString('hex')).toBe('f3899ac2' + protobufHex + '199c9609ff7bcc0053c65a49d6482380');
    expect(entry.partitionKey).toBe('a');
    expect(entry.explicitHashKey).toBe('58606826522850340945736240254012750329');
  });

  it('reports accurate size 68 and KPL estimate 48', () => {
    const builder = new AggregateBuilder();
    for (const record of records) builder.add(record);
    expect(builder.size).toBe(68);
    expect(builder.estimatedSize).toBe(48);
    expect(builder.build().data.length).toBe(68);
  });
});
