/**
 * Child processes that die with this one, however it dies. A signal handler cannot run on SIGKILL, and
 * Node has no parent-death signal, so the child is started through a small tether process
 * (tether-process.ts) whose stdin is a pipe held only by this process: the kernel closes it when this
 * process exits for any reason, and the tether then stops the child.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { RUNNING_FROM_SOURCES, runtimeModuleUrl } from './runtime-location.ts';

const TETHER = fileURLToPath(runtimeModuleUrl('./tether-process.ts', import.meta.url));
/**
 * Node flags the tether runs under: from the sources, the TypeScript loader the CLI itself runs under
 * (resolved from here, not from the working directory); from dist/, none.
 */
const TETHER_NODE_FLAGS = RUNNING_FROM_SOURCES ? ['--import', pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href] : [];

/**
 * Starts `command` tethered to this process. The returned process is the tether: signal it to stop the
 * child (SIGTERM is forwarded); it exits with the child's code. stdout and stderr are the child's.
 */
export function spawnTethered(
  command: string,
  args: readonly string[],
  options: {
    stdout: 'ignore' | 'pipe' | 'inherit';
    stderr: 'ignore' | 'pipe' | 'inherit';
    cwd?: string;
    env?: NodeJS.ProcessEnv;
  },
): ChildProcess {
  return spawn(process.execPath, [...TETHER_NODE_FLAGS, TETHER, command, ...args], {
    cwd: options.cwd,
    env: options.env,
    stdio: ['pipe', options.stdout, options.stderr],
  });
}
