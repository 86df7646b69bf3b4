/**
 * Runs the real `mmm` binary as a user would: a child process, awaited without blocking the test
 * worker (a blocked worker misses vitest's heartbeats during long fits). TEMPORAL_ADDRESS is cleared so
 * that commands answer locally unless a test sets it; `env` adds to the environment.
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { exampleConfig, referenceFile } from './reference-data.ts';

const MMM = fileURLToPath(new URL('../../bin/mmm.js', import.meta.url));

export interface MmmResult {
  status: number | null;
  stdout: string;
  stderr: string;
  /** Wall seconds from start to exit. */
  seconds: number;
}

export function runMmm(args: readonly string[], options: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): Promise<MmmResult> {
  const env = { ...process.env, ...options.env };
  if (options.env?.TEMPORAL_ADDRESS === undefined) delete env.TEMPORAL_ADDRESS;
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [MMM, ...args], { cwd: options.cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk;
    });
    child.on('error', reject);
    child.on('close', (status) => resolve({ status, stdout, stderr, seconds: (performance.now() - started) / 1000 }));
  });
}

/**
 * `mmm fit` of the PyMC example into `out` with seed 1: the tests' real fitted run. 4 chains x (300 + 300)
 * passes its gates (publishable); 2 x (20 + 20) fails its diagnostics.
 */
export function fitPymcExample(out: string, chains = 4, iterations = 300): Promise<MmmResult> {
  return runMmm([
    'fit',
    '--data',
    referenceFile('pymc-marketing/mmm_example.csv'),
    '--config',
    exampleConfig('pymc-example.json'),
    '--out',
    out,
    '--chains',
    String(chains),
    '--warmup',
    String(iterations),
    '--draws',
    String(iterations),
    '--seed',
    '1',
  ]);
}
