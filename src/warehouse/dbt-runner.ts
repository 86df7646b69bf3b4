/**
 * Runs the dbt project (dbt/) from the project's virtualenv against the configured warehouse and
 * reports what dbt did from its run_results.json, naming the models and tests that failed.
 */
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { z } from 'zod';
import { PROJECT_ROOT } from '../io/runtime-location.ts';
import { type WarehouseConfig, warehouseEngine } from './open-warehouse.ts';
import { spawnTethered } from '../io/tether.ts';

export const DBT_PROJECT_DIR = join(PROJECT_ROOT, 'dbt');

export interface DbtRunOptions {
  /** dbt command and its flags, e.g. ['build'] or ['build', '--select', 'marts']. */
  args: string[];
  warehouse: WarehouseConfig;
  /** Folder of the raw export files (DuckDB reads them directly). */
  rawDir: string;
  /** Where dbt writes target/ and logs/ (default .mmm/dbt under the repository). */
  workDir?: string;
  /** BigQuery dataset holding the loaded raw exports. */
  rawDataset?: string;
  /** Each line dbt prints, for progress display. */
  onLine?: (line: string) => void;
}

const runResultsSchema = z
  .object({
    results: z.array(
      z
        .object({
          unique_id: z.string(),
          status: z.string(),
          message: z.string().nullable().optional(),
          failures: z.number().nullable().optional(),
        })
        .loose(),
    ),
  })
  .loose();

export interface DbtNodeResult {
  uniqueId: string;
  status: string;
  message: string | null;
}

export interface DbtRunResult {
  /** Counts by status (success, pass, warn, error, fail, skipped). */
  counts: Record<string, number>;
  results: DbtNodeResult[];
  output: string;
}

export class DbtRunError extends Error {
  constructor(
    readonly exitCode: number | null,
    readonly failed: DbtNodeResult[],
    readonly output: string,
  ) {
    const listed = failed.slice(0, 20).map((r) => `  - ${r.uniqueId}: ${r.status}${r.message ? ` (${r.message.split('\n')[0]})` : ''}`);
    const detail = listed.length > 0 ? `\n${listed.join('\n')}` : `\n${output.split('\n').slice(-15).join('\n')}`;
    super(`dbt exited with code ${exitCode}; ${failed.length} node${failed.length === 1 ? '' : 's'} failed:${detail}`);
    this.name = 'DbtRunError';
  }
}

/** The dbt executable: MMM_DBT_PATH, else the one scripts/setup.sh installs into .venv. */
export function dbtExecutable(env: NodeJS.ProcessEnv = process.env): string {
  const path = env.MMM_DBT_PATH ?? join(PROJECT_ROOT, '.venv', 'bin', 'dbt');
  if (!existsSync(path)) throw new Error(`dbt not found at ${path}; run scripts/setup.sh (or set MMM_DBT_PATH)`);
  return path;
}

/** The environment the dbt profile (dbt/profiles.yml) reads. */
function profileEnv(options: DbtRunOptions): Record<string, string> {
  return {
    MMM_RAW_DIR: resolve(options.rawDir),
    DBT_SEND_ANONYMOUS_USAGE_STATS: 'false',
    ...warehouseEngine(options.warehouse).dbtProfile(options.rawDataset),
  };
}

/** dbt runs with the access its engine needs (on DuckDB, the file lock: opens in this process wait until dbt is done). */
export async function runDbt(options: DbtRunOptions): Promise<DbtRunResult> {
  return warehouseEngine(options.warehouse).whileDbtRuns(() => runDbtProcess(options));
}

async function runDbtProcess(options: DbtRunOptions): Promise<DbtRunResult> {
  const workDir = resolve(options.workDir ?? join(PROJECT_ROOT, '.mmm', 'dbt'));
  const targetPath = join(workDir, 'target');
  mkdirSync(targetPath, { recursive: true });
  const resultsFile = join(targetPath, 'run_results.json');
  // A failed start (bad profile, missing executable) writes no results; stale ones must not be read instead.
  rmSync(resultsFile, { force: true });
  const env = {
    ...process.env,
    ...profileEnv(options),
    DBT_TARGET_PATH: targetPath,
    DBT_LOG_PATH: join(workDir, 'logs'),
    DBT_PROFILES_DIR: DBT_PROJECT_DIR,
    DBT_PROJECT_DIR,
  };
  const output: string[] = [];
  const exitCode = await new Promise<number | null>((done, fail) => {
    // Tethered: a worker killed mid-build must not leave dbt writing to (and locking) the warehouse.
    const child = spawnTethered(dbtExecutable(), [...options.args, '--no-use-colors'], {
      cwd: DBT_PROJECT_DIR,
      env,
      stdout: 'pipe',
      stderr: 'pipe',
    });
    let pending = '';
    const onData = (chunk: Buffer) => {
      const lines = (pending + chunk.toString('utf8')).split('\n');
      pending = lines.pop() ?? '';
      for (const line of lines) {
        output.push(line);
        options.onLine?.(line);
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.on('error', fail);
    child.on('close', (code) => {
      if (pending !== '') output.push(pending);
      done(code);
    });
  });
  const text = output.join('\n');
  const results: DbtNodeResult[] = existsSync(resultsFile)
    ? runResultsSchema
        .parse(JSON.parse(readFileSync(resultsFile, 'utf8')))
        .results.map((r) => ({ uniqueId: r.unique_id, status: r.status, message: r.message ?? null }))
    : [];
  if (exitCode !== 0)
    throw new DbtRunError(
      exitCode,
      results.filter((r) => r.status === 'error' || r.status === 'fail'),
      text,
    );
  const counts: Record<string, number> = {};
  for (const r of results) counts[r.status] = (counts[r.status] ?? 0) + 1;
  return { counts, results, output: text };
}
