// The user records every contender puts: data of `size` bytes whose first 8 bytes say who put it
// (writer, uint32 LE) and which one it is (index, uint32 LE), so the fake's ledger can be checked
// record by record. Partition keys cycle through KEY_COUNT distinct values ("pk-<index % count>").
export const KEY_COUNT = 10_000;

const keys = Array.from({ length: KEY_COUNT }, (_, index) => `pk-${index}`);

export function makeRecord(streamName, writer, index, size) {
  const data = new Uint8Array(size);
  data[0] = writer & 0xff;
  data[1] = (writer >>> 8) & 0xff;
  data[2] = (writer >>> 16) & 0xff;
  data[3] = writer >>> 24;
  data[4] = index & 0xff;
  data[5] = (index >>> 8) & 0xff;
  data[6] = (index >>> 16) & 0xff;
  data[7] = index >>> 24;
  return { streamName, partitionKey: keys[index % KEY_COUNT], data };
}

export function readRecordId(data) {
  const writer = (data[0] | (data[1] << 8) | (data[2] << 16)) + data[3] * 2 ** 24;
  const index = (data[4] | (data[5] << 8) | (data[6] << 16)) + data[7] * 2 ** 24;
  return { writer, index };
}
