/**
 * The process between a parent and a child that must not outlive it (see tether.ts):
 * `node --import tsx tether-process.ts COMMAND [ARGS...]`. Its stdin is a pipe whose only writer is the
 * parent, so end-of-file on stdin means the parent is gone, however it died (SIGKILL included): the
 * child is then stopped (SIGTERM, SIGKILL after 10 s). SIGTERM, SIGINT and SIGHUP stop it the same way;
 * the tether exits with the child's exit code.
 */
import { spawn } from 'node:child_process';

const [command, ...args] = process.argv.slice(2);
if (command === undefined) {
  process.stderr.write('tether-process: no command given\n');
  process.exit(2);
}
const child = spawn(command, args, { stdio: ['ignore', 'inherit', 'inherit'] });

let stopping = false;
function stop(): void {
  if (stopping) return;
  stopping = true;
  child.kill('SIGTERM');
  setTimeout(() => child.kill('SIGKILL'), 10_000).unref();
}

process.stdin.on('end', stop);
process.stdin.on('error', stop);
process.stdin.resume();
for (const signal of ['SIGTERM', 'SIGINT', 'SIGHUP'] as const) process.on(signal, stop);
child.on('error', (error) => {
  process.stderr.write(`tether-process: ${command}: ${error.message}\n`);
  process.exit(127);
});
child.on('exit', (code, signal) => process.exit(code ?? (signal === null ? 1 : 128)));
