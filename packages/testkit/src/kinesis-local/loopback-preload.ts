/**
 * The preload that pins kinesis-local to loopback. kinesis-mock hard-codes the wildcard address
 * (0.0.0.0) for both of its servers and has no setting for the host, so every `net.Server#listen`
 * in the emulator's process is rewritten to the host in `TSKPL_EMULATOR_HOST`. The preload also
 * SIGKILLs the emulator within half a second of its parent process disappearing, so no emulator
 * outlives a test process that was itself killed.
 *
 * It travels as a `data:` URL given to `node --import` (Node ≥ 20.6), so it needs no file on disk
 * and works the same from the sources and from the ESM and CommonJS builds.
 */

const preloadSource = `
import net from 'node:net';
const host = process.env.TSKPL_EMULATOR_HOST || '127.0.0.1';
const parentPid = Number(process.env.TSKPL_EMULATOR_PARENT_PID);
const originalListen = net.Server.prototype.listen;
const isPort = (value) => typeof value === 'number' || (typeof value === 'string' && /^\\d+$/.test(value));
function withHost(args) {
  const [first, second] = args;
  if (isPort(first)) return typeof second === 'string' ? [first, host, ...args.slice(2)] : [first, host, ...args.slice(1)];
  const tcpOptions = first !== null && typeof first === 'object' && !['path', 'fd', 'handle', '_handle'].some((key) => key in first);
  return tcpOptions ? [{ ...first, host }, ...args.slice(1)] : args;
}
net.Server.prototype.listen = function listenOnLoopback(...args) {
  return originalListen.apply(this, withHost(args));
};
if (Number.isInteger(parentPid) && parentPid > 0) {
  setInterval(() => {
    try {
      process.kill(parentPid, 0);
    } catch (error) {
      if (error.code !== 'EPERM') process.kill(process.pid, 'SIGKILL');
    }
  }, 500).unref();
}
`;

/** The `node` arguments that load the loopback preload: `['--import', 'data:text/javascript,…']`. */
export function loopbackPreloadArguments(): string[] {
  return ['--import', `data:text/javascript,${encodeURIComponent(preloadSource)}`];
}
