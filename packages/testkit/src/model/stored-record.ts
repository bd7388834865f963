/**
 * One record the fake accepted, as the ledger shows it. `data` is decoded from the request's
 * base64 on each access (the base64 text, a view of the request body, is what is stored: nothing
 * is copied or decoded on the write path).
 */
export interface LedgerRecord {
  /** Name of the stream the record was written to. */
  readonly streamName: string;
  /** Shard the record was stored on. */
  readonly shardId: string;
  /** Sequence number returned (or that would have been returned) to the client. */
  readonly sequenceNumber: string;
  /** Partition key as sent. */
  readonly partitionKey: string;
  /** Explicit hash key as sent, if any. */
  readonly explicitHashKey: string | undefined;
  /** The hash key used for routing, decimal. */
  readonly hashKey: string;
  /** Size of the data in bytes (partition key not included). */
  readonly dataSize: number;
  /** The data; undefined when the server runs with `retainRecordData: false`. A fresh copy each access. */
  readonly data: Uint8Array | undefined;
  /** Arrival time on the fake's clock, ms since the epoch. */
  readonly arrivalTimeMs: number;
  /**
   * True when the write was applied but its response was lost (a `lostResponse` fault, or a hang
   * applied after the client gave up): the client could not know, so a re-send duplicates it legitimately.
   */
  readonly responseLost: boolean;
  /** Id of the HTTP request that wrote it (also sent back as `x-amzn-RequestId`). */
  readonly requestId: string;
}

/** The ledger's storage of one record; `counter` orders records within a shard. */
export class StoredRecord implements LedgerRecord {
  constructor(
    readonly streamName: string,
    readonly shardId: string,
    readonly sequenceNumber: string,
    /** Stream-wide sequence counter (the middle digits of the sequence number). */
    readonly counter: number,
    readonly partitionKey: string,
    readonly explicitHashKey: string | undefined,
    private readonly hashKeyValue: bigint,
    readonly dataSize: number,
    /** The data's base64 text as received (a view of the request body); undefined when data is not retained. */
    readonly dataBase64: Buffer | undefined,
    readonly arrivalTimeMs: number,
    readonly responseLost: boolean,
    readonly requestId: string,
  ) {}

  get hashKey(): string {
    return this.hashKeyValue.toString();
  }

  get data(): Uint8Array | undefined {
    if (this.dataBase64 === undefined) return undefined;
    const decoded = Buffer.from(this.dataBase64.toString('latin1'), 'base64');
    // A plain Uint8Array (not a Buffer), so it deep-equals the Uint8Array the client sent.
    return new Uint8Array(decoded.buffer, decoded.byteOffset, decoded.length);
  }
}
