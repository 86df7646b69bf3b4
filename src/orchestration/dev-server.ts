/**
 * The embedded default for orchestration: a Temporal dev server (the `temporal` CLI) started as a
 * child process on free local ports, tethered to this process so that it stops when this process ends,
 * even by SIGKILL (src/io/tether.ts). Resolution order of the binary
 * (DESIGN.md section 2): TEMPORAL_CLI_PATH, `temporal` on PATH, the one scripts/setup.sh installs.
 */
import { accessSync, constants } from 'node:fs';
import { createServer } from 'node:net';
import { delimiter, join } from 'node:path';
import { Connection } from '@temporalio/client';
import { PROJECT_ROOT } from '../io/runtime-location.ts';
import { spawnTethered } from '../io/tether.ts';

const PROJECT_TEMPORAL = join(PROJECT_ROOT, '.venv', 'bin', 'temporal');

export class TemporalCliNotFoundError extends Error {
  override readonly name = 'TemporalCliNotFoundError';
}

const isExecutable = (path: string): boolean => {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
};

export function temporalCliPath(env: NodeJS.ProcessEnv = process.env): string {
  if (env.TEMPORAL_CLI_PATH) {
    if (!isExecutable(env.TEMPORAL_CLI_PATH))
      throw new TemporalCliNotFoundError(`TEMPORAL_CLI_PATH=${env.TEMPORAL_CLI_PATH} is not an executable file`);
    return env.TEMPORAL_CLI_PATH;
  }
  const onPath = (env.PATH ?? '')
    .split(delimiter)
    .filter(Boolean)
    .map((dir) => join(dir, 'temporal'))
    .find(isExecutable);
  if (onPath) return onPath;
  if (isExecutable(PROJECT_TEMPORAL)) return PROJECT_TEMPORAL;
  throw new TemporalCliNotFoundError(`the temporal CLI was not found (TEMPORAL_CLI_PATH, PATH, ${PROJECT_TEMPORAL}); run scripts/setup.sh`);
}

async function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const server = createServer();
    server.once('error', fail);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? done(address.port) : fail(new Error('no port'))));
    });
  });
}

export interface DevServer {
  address: string;
  /** The web UI, when started with `ui: true`. */
  uiUrl: string | null;
  stop(): Promise<void>;
}

/** Starts `temporal server start-dev` (in-memory unless `dbFile`) and waits until it accepts connections. */
export async function startDevServer(options: { ui?: boolean; dbFile?: string; readyTimeoutMs?: number } = {}): Promise<DevServer> {
  const port = await freePort();
  const uiPort = await freePort();
  const args = [
    'server',
    'start-dev',
    '--ip',
    '127.0.0.1',
    '--port',
    String(port),
    '--log-level',
    'error',
    ...(options.ui ? ['--ui-port', String(uiPort)] : ['--headless']),
    ...(options.dbFile ? ['--db-filename', options.dbFile] : []),
  ];
  const child = spawnTethered(temporalCliPath(), args, { stdout: 'ignore', stderr: 'pipe' });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString('utf8')).slice(-4000);
  });
  const exited = new Promise<number | null>((done) => child.once('exit', (code) => done(code)));
  const address = `127.0.0.1:${port}`;
  const deadline = Date.now() + (options.readyTimeoutMs ?? 120_000);
  for (;;) {
    if (child.exitCode !== null) throw new Error(`temporal dev server exited with code ${child.exitCode}: ${stderr.trim()}`);
    try {
      const connection = await Connection.connect({ address, connectTimeout: 1000 });
      await connection.workflowService.getSystemInfo({});
      await connection.close();
      break;
    } catch (error) {
      if (Date.now() > deadline) {
        child.kill('SIGKILL');
        throw new Error(
          `temporal dev server did not accept connections on ${address}: ${error instanceof Error ? error.message : String(error)}`,
        );
      }
      await new Promise((wait) => setTimeout(wait, 250));
    }
  }
  return {
    address,
    uiUrl: options.ui ? `http://127.0.0.1:${uiPort}` : null,
    async stop() {
      if (child.exitCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
    },
  };
}
