// Starts fake-host.mjs as a child process and talks to it: `await fake.call('counters', {...})`.
import { fork } from 'node:child_process';

export async function startFakeHost() {
  const child = fork(new URL('./fake-host.mjs', import.meta.url), [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const pending = new Map();
  let nextId = 0;
  await new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`fake host exited (${code}) before it was ready`)));
    child.once('message', resolve);
  });
  child.on('message', ({ id, result, error }) => {
    const waiter = pending.get(id);
    pending.delete(id);
    if (error === undefined) waiter?.resolve(result);
    else waiter?.reject(new Error(`fake host: ${error}`));
  });
  const call = (command, args) =>
    new Promise((resolve, reject) => {
      const id = nextId++;
      pending.set(id, { resolve, reject });
      child.send({ id, command, args });
    });
  const { endpoint, region } = await call('endpoint');
  return {
    endpoint,
    region,
    pid: child.pid,
    call,
    close: async () => {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.disconnect();
      await exited;
    },
  };
}
