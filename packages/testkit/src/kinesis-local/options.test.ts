import { describe, expect, it } from 'vitest';
import { isTestkitError } from '../errors.js';
import { resolveKinesisLocalConfig } from './options.js';
import { loopbackPreloadArguments } from './loopback-preload.js';
import { emulatorEnvironment } from './environment.js';

describe('startKinesisLocal options', () => {
  it('defaults to instant stream operations, WARN logs and a 1 s stop grace; reshardDelayMs follows operationDelayMs', () => {
    expect(resolveKinesisLocalConfig()).toMatchObject({ operationDelayMs: 0, reshardDelayMs: 0, stopGraceMs: 1_000, startTimeoutMs: 60_000, logLevel: 'WARN' });
    expect(resolveKinesisLocalConfig({ operationDelayMs: 200 }).reshardDelayMs).toBe(200);
    expect(resolveKinesisLocalConfig({ operationDelayMs: 200, reshardDelayMs: 5 }).reshardDelayMs).toBe(5);
  });

  it.each([
    [{ stopGraceMs: -1 }, 'stopGraceMs', '0 to 60000'],
    [{ startTimeoutMs: 10 }, 'startTimeoutMs', '1000 to 300000'],
    [{ operationDelayMs: 1.5 }, 'operationDelayMs', '0 to 60000'],
    [{ shardLimit: 0 }, 'shardLimit', '1 to 100000'],
    [{ logLevel: 'LOUD' as never }, 'logLevel', 'ERROR, WARN, INFO, DEBUG, TRACE'],
    [{ logDirectory: '' }, 'logDirectory', 'non-empty path'],
  ])('rejects %o naming the option, the value and the allowed range', (options, name, allowed) => {
    let caught: unknown;
    try {
      resolveKinesisLocalConfig(options);
    } catch (error) {
      caught = error;
    }
    expect(isTestkitError(caught)).toBe(true);
    expect(caught).toMatchObject({ code: 'ERR_TESTKIT_OPTIONS' });
    const message = (caught as Error).message;
    expect(message).toContain(name);
    expect(message).toContain(allowed);
    expect(message).toContain(JSON.stringify(Object.values(options)[0]));
  });
});

describe('emulator process settings', () => {
  it('drops inherited kinesis-mock variables and NODE_OPTIONS, and passes ports, delays, host and parent pid', () => {
    const saved = { ...process.env };
    process.env.NODE_OPTIONS = '--inspect';
    process.env.SHARD_LIMIT = '3';
    process.env.AWS_REGION = 'eu-west-1';
    try {
      const env = emulatorEnvironment(resolveKinesisLocalConfig({ operationDelayMs: 7, reshardDelayMs: 9 }), { version: '0.6.2', mainPath: '/x/main.js', certificatePath: '/x/server.json' }, { plainPort: 4001, tlsPort: 4002 });
      expect(env.NODE_OPTIONS).toBeUndefined();
      expect(env).toMatchObject({
        SHARD_LIMIT: '1000',
        AWS_REGION: 'us-east-1',
        KINESIS_MOCK_PLAIN_PORT: '4001',
        KINESIS_MOCK_TLS_PORT: '4002',
        KINESIS_MOCK_CERT_PATH: '/x/server.json',
        CREATE_STREAM_DURATION: '7ms',
        SPLIT_SHARD_DURATION: '9ms',
        TSKPL_EMULATOR_HOST: '127.0.0.1',
        TSKPL_EMULATOR_PARENT_PID: String(process.pid),
        SHOULD_PERSIST_DATA: 'false',
      });
    } finally {
      process.env = saved;
    }
  });

  it('loads the loopback preload as a data: URL that Node can import', async () => {
    const [flag, url] = loopbackPreloadArguments();
    expect(flag).toBe('--import');
    expect(url?.startsWith('data:text/javascript,')).toBe(true);
    const source = decodeURIComponent(url?.slice('data:text/javascript,'.length) ?? '');
    expect(source).toContain('net.Server.prototype.listen');
    expect(source).toContain('TSKPL_EMULATOR_PARENT_PID');
  });
});
