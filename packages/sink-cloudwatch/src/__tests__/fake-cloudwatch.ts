/**
 * A loopback CloudWatch for tests: a node:http server that decodes PutMetricData in whichever
 * protocol the SDK speaks (AWS JSON 1.0, Smithy RPC v2 CBOR, or the query protocol; gzip or
 * not), keeps the datums, and answers from a script (success, throttling, errors, or never).
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gunzipSync } from 'node:zlib';
import { cbor } from '@smithy/core/cbor';

/** A datum as received, normalised across protocols. */
export interface ReceivedDatum {
  readonly MetricName: string;
  readonly Dimensions: readonly { readonly Name: string; readonly Value: string }[];
  readonly StatisticValues: { readonly SampleCount: number; readonly Sum: number; readonly Minimum: number; readonly Maximum: number };
  readonly Unit: string;
  /** Epoch milliseconds. */
  readonly Timestamp: number;
  readonly StorageResolution?: number;
}

/** One request as received. */
export interface ReceivedRequest {
  readonly protocol: 'json' | 'cbor' | 'query';
  readonly operation: string;
  readonly namespace: string;
  readonly datums: readonly ReceivedDatum[];
  readonly gzip: boolean;
  readonly authorization: string | undefined;
}

/** How the server answers the next request. */
export type Reply = 'ok' | 'throttle' | 'hang' | { readonly error: string; readonly status: number };

export interface FakeCloudWatch {
  readonly endpoint: string;
  readonly requests: ReceivedRequest[];
  /** Replies for the next requests, in order; afterwards every request succeeds. */
  readonly script: Reply[];
  /** Answers every hanging request with success. */
  releaseHanging(): void;
  close(): Promise<void>;
}

export async function startFakeCloudWatch(): Promise<FakeCloudWatch> {
  const requests: ReceivedRequest[] = [];
  const script: Reply[] = [];
  const hanging: (() => void)[] = [];

  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      try {
        const decoded = decode(request, Buffer.concat(chunks));
        requests.push(decoded);
        const reply = script.shift() ?? 'ok';
        if (reply === 'hang') hanging.push(() => answer(response, decoded.protocol, 'ok'));
        else answer(response, decoded.protocol, reply);
      } catch (error) {
        response.writeHead(500, { 'content-type': 'text/plain' });
        response.end(String(error));
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    requests,
    script,
    releaseHanging: () => hanging.splice(0).forEach((release) => release()),
    close: () =>
      new Promise<void>((resolve) => {
        hanging.splice(0).forEach((release) => release());
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function decode(request: IncomingMessage, raw: Buffer): ReceivedRequest {
  const gzip = request.headers['content-encoding'] === 'gzip';
  const body = gzip ? gunzipSync(raw) : raw;
  const contentType = String(request.headers['content-type'] ?? '');
  const authorization = request.headers.authorization;
  if (contentType.startsWith('application/x-amz-json')) {
    const target = String(request.headers['x-amz-target'] ?? '');
    const input = JSON.parse(body.toString('utf8')) as Record<string, unknown>;
    return { protocol: 'json', operation: target.split('.').pop() ?? '', namespace: String(input['Namespace']), datums: normalise(input['MetricData'], 'seconds'), gzip, authorization };
  }
  if (contentType.startsWith('application/cbor')) {
    const input = cbor.deserialize(new Uint8Array(body)) as Record<string, unknown>;
    const operation = (request.url ?? '').split('/').pop() ?? '';
    return { protocol: 'cbor', operation, namespace: String(input['Namespace']), datums: normalise(input['MetricData'], 'seconds'), gzip, authorization };
  }
  if (contentType.startsWith('application/x-www-form-urlencoded')) {
    const input = parseQuery(body.toString('utf8'));
    return { protocol: 'query', operation: String(input['Action']), namespace: String(input['Namespace']), datums: normalise(input['MetricData'], 'iso'), gzip, authorization };
  }
  throw new Error(`unknown content-type ${contentType}`);
}

function normalise(value: unknown, timestamps: 'seconds' | 'iso'): ReceivedDatum[] {
  const list = Array.isArray(value) ? value : [];
  return list.map((entry: Record<string, unknown>) => {
    const stats = (entry['StatisticValues'] ?? {}) as Record<string, unknown>;
    const rawTimestamp = entry['Timestamp'];
    const timestamp =
      rawTimestamp instanceof Date
        ? rawTimestamp.getTime()
        : timestamps === 'iso' || typeof rawTimestamp === 'string'
          ? Date.parse(String(rawTimestamp))
          : Math.round(Number(rawTimestamp) * 1000);
    const dimensions = (Array.isArray(entry['Dimensions']) ? entry['Dimensions'] : []) as { Name: unknown; Value: unknown }[];
    return {
      MetricName: String(entry['MetricName']),
      Dimensions: dimensions.map((dimension) => ({ Name: String(dimension.Name), Value: String(dimension.Value) })),
      StatisticValues: {
        SampleCount: Number(stats['SampleCount']),
        Sum: Number(stats['Sum']),
        Minimum: Number(stats['Minimum']),
        Maximum: Number(stats['Maximum']),
      },
      Unit: String(entry['Unit']),
      Timestamp: timestamp,
      ...(entry['StorageResolution'] === undefined ? {} : { StorageResolution: Number(entry['StorageResolution']) }),
    };
  });
}

/** `a.member.2.b=x` → `{ a: [undefined, { b: 'x' }] }`-like nesting, members as arrays. */
function parseQuery(text: string): Record<string, unknown> {
  const root: Record<string, unknown> = {};
  for (const [key, value] of new URLSearchParams(text)) {
    const parts = key.split('.');
    let node: Record<string, unknown> | unknown[] = root;
    for (let index = 0; index < parts.length; index++) {
      let part: string | number = parts[index]!;
      if (part === 'member') continue;
      if (/^\d+$/.test(part)) part = Number(part) - 1;
      const last = index === parts.length - 1;
      const nextIsMember = parts[index + 1] === 'member';
      const container = node as Record<string | number, unknown>;
      if (last) container[part] = value;
      else {
        container[part] ??= nextIsMember ? [] : {};
        node = container[part] as Record<string, unknown>;
      }
    }
  }
  return root;
}

function answer(response: ServerResponse, protocol: ReceivedRequest['protocol'], reply: Exclude<Reply, 'hang'>): void {
  const error = reply === 'ok' ? undefined : reply === 'throttle' ? { error: 'Throttling', status: 400 } : reply;
  if (protocol === 'json') {
    response.writeHead(error === undefined ? 200 : error.status, {
      'content-type': 'application/x-amz-json-1.0',
      ...(error === undefined ? {} : { 'x-amzn-query-error': `${error.error};Sender` }),
    });
    response.end(error === undefined ? '{}' : JSON.stringify({ __type: `com.amazonaws.cloudwatch#${error.error}`, message: `${error.error} (scripted)` }));
    return;
  }
  if (protocol === 'cbor') {
    response.writeHead(error === undefined ? 200 : error.status, { 'content-type': 'application/cbor', 'smithy-protocol': 'rpc-v2-cbor' });
    response.end(Buffer.from(cbor.serialize(error === undefined ? {} : { __type: `com.amazonaws.cloudwatch#${error.error}`, message: `${error.error} (scripted)` })));
    return;
  }
  response.writeHead(error === undefined ? 200 : error.status, { 'content-type': 'text/xml' });
  response.end(
    error === undefined
      ? '<PutMetricDataResponse xmlns="http://monitoring.amazonaws.com/doc/2010-08-01/"><ResponseMetadata><RequestId>1</RequestId></ResponseMetadata></PutMetricDataResponse>'
      : `<ErrorResponse><Error><Type>Sender</Type><Code>${error.error}</Code><Message>scripted</Message></Error><RequestId>1</RequestId></ErrorResponse>`,
  );
}
