/**
 * A local BigQuery emulator (bqemulator from PyPI, installed into .venv by scripts/setup.sh) for the
 * BigQuery test suites: started on a free loopback port chosen by the emulator, stopped after.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { BigQueryWarehouseConfig } from '../../../src/warehouse/bigquery/config.ts';

const REPO = fileURLToPath(new URL('../../..', import.meta.url));
const EXECUTABLE = `${REPO}/.venv/bin/bqemulator`;
// setup.sh places DuckDB's spatial extension under this home, so the emulator's DuckDB never downloads it.
const DUCKDB_HOME = `${REPO}/.venv/duckdb-home`;
/**
 * How long the emulator may take to announce its ports: seconds on a quiet machine, minutes when the two
 * cores are saturated (a fixed 30 s bound failed under load 11-14). Hooks that start it allow this plus their own work.
 */
export const EMULATOR_START_BOUND_MS = 180_000;

export interface RunningEmulator {
  endpoint: string;
  projectId: string;
  stop(): Promise<void>;
}

/** The warehouse config of `dataset` on the emulator (US location, no credentials). */
export function emulatorWarehouse(emulator: RunningEmulator, dataset: string): BigQueryWarehouseConfig {
  return { engine: 'bigquery', projectId: emulator.projectId, dataset, location: 'US', apiEndpoint: emulator.endpoint, auth: 'none' };
}

export async function startBqEmulator(projectId = 'mmm-test'): Promise<RunningEmulator> {
  if (!existsSync(EXECUTABLE)) throw new Error(`${EXECUTABLE} is missing; run scripts/setup.sh`);
  const child: ChildProcess = spawn(
    EXECUTABLE,
    [
      'start',
      '--rest-host',
      '127.0.0.1',
      '--rest-port',
      '0',
      '--grpc-host',
      '127.0.0.1',
      '--grpc-port',
      '0',
      '--project',
      projectId,
      '--ephemeral',
      '--log-format',
      'json',
      '--log-level',
      'info',
    ],
    { env: { ...process.env, HOME: DUCKDB_HOME, BQEMU_ENABLE_FORMAT_EXTENSIONS: 'false' }, stdio: ['ignore', 'pipe', 'pipe'] },
  );

  const log: string[] = [];
  const port = await new Promise<number>((resolvePort, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`bqemulator did not start within ${EMULATOR_START_BOUND_MS} ms:\n${log.slice(-20).join('\n')}`)),
      EMULATOR_START_BOUND_MS,
    );
    const onData = (chunk: Buffer) => {
      for (const line of chunk.toString('utf8').split('\n')) {
        log.push(line);
        // {"host": "127.0.0.1", "port": 41923, "event": "rest.listen", ...}
        const match = /"port": (\d+), "event": "rest\.listen"/.exec(line);
        if (match !== null) {
          clearTimeout(timer);
          resolvePort(Number(match[1]));
        }
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`bqemulator exited with code ${code} before listening:\n${log.slice(-20).join('\n')}`));
    });
  });

  return {
    endpoint: `http://127.0.0.1:${port}`,
    projectId,
    stop: () =>
      new Promise<void>((done) => {
        if (child.exitCode !== null) return done();
        child.once('exit', () => done());
        child.kill('SIGTERM');
      }),
  };
}
