import { request } from 'node:http';

/**
 * Sends one unsigned-but-well-formed ListStreams request (kinesis-mock checks that an
 * Authorization header and a date are present, not the signature) and resolves true when the
 * emulator answers 200. Network errors, other statuses and timeouts resolve false.
 * @param host - the emulator's host
 * @param port - its plain-HTTP port
 * @param timeoutMs - socket timeout of the probe
 */
export function answersListStreams(host: string, port: number, timeoutMs: number): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = request(
      {
        host,
        port,
        method: 'POST',
        path: '/',
        agent: false,
        timeout: timeoutMs,
        headers: {
          'content-type': 'application/x-amz-json-1.1',
          'x-amz-target': 'Kinesis_20131202.ListStreams',
          'x-amz-date': '20240101T000000Z',
          authorization: 'AWS4-HMAC-SHA256 Credential=tskpl-local/20240101/us-east-1/kinesis/aws4_request, SignedHeaders=host;x-amz-date, Signature=0',
          connection: 'close',
        },
      },
      (response) => {
        response.resume();
        response.once('end', () => resolve(response.statusCode === 200));
        response.once('error', () => resolve(false));
      },
    );
    probe.once('timeout', () => probe.destroy());
    probe.once('error', () => resolve(false));
    probe.end('{}');
  });
}
