'use strict';
// Preloaded into the kinesis-local process with `node --require`. kinesis-mock hard-codes the
// wildcard address (0.0.0.0) for both of its servers and offers no setting to change it, so this
// file pins every net/tls/http server in that process to the host given by the harness. It also
// ends the emulator when the test process that started it is gone, so no emulator outlives the
// tests even when the test process is killed without running its exit handlers.
const net = require('node:net');

const host = process.env.TSKPL_EMULATOR_HOST || '127.0.0.1';
const parentPid = Number(process.env.TSKPL_EMULATOR_PARENT_PID);

const originalListen = net.Server.prototype.listen;

function isPort(value) {
  return typeof value === 'number' || (typeof value === 'string' && /^\d+$/.test(value));
}

function withLoopbackHost(args) {
  const [first, second] = args;
  if (isPort(first)) {
    // listen(port[, host][, backlog][, callback]): insert or replace the host.
    return typeof second === 'string' ? [first, host, ...args.slice(2)] : [first, host, ...args.slice(1)];
  }
  const isTcpOptions = first !== null && typeof first === 'object' && !['path', 'fd', 'handle', '_handle'].some((key) => key in first);
  if (isTcpOptions) {
    return [{ ...first, host }, ...args.slice(1)];
  }
  return args; // a pipe path or a handle: not a TCP listener
}

net.Server.prototype.listen = function listenOnLoopback(...args) {
  return originalListen.apply(this, withLoopbackHost(args));
};

if (Number.isInteger(parentPid) && parentPid > 0) {
  const watchdog = setInterval(() => {
    // process.ppid is fixed at start-up in Node 20, so probe the parent's pid instead.
    try {
      process.kill(parentPid, 0);
    } catch (error) {
      // SIGKILL, not process.exit(): the emulator's runtime holds exit back while a client
      // connection is open, and with the parent gone nothing is left to shut down cleanly.
      if (error.code !== 'EPERM') process.kill(process.pid, 'SIGKILL');
    }
  }, 500);
  watchdog.unref();
}
