/**
 * A DuckDB warehouse populated by a real pipeline run: `mmm demo` (demo raw exports -> dbt -> fit ->
 * surface -> optimizer -> publish + promote) into a temporary directory, with short chains.
 * The CLI runs asynchronously: a minute-long synchronous spawn would block the test worker.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { type FitSummary, fitSummarySchema } from '../../src/run/fit-summary.ts';
import { REPO_ROOT } from './reference-data.ts';

export interface DemoWarehouse {
  /** The demo's working directory (`mmm demo --dir`). */
  dir: string;
  /** DIR/warehouse.duckdb */
  warehousePath: string;
  runId: string;
  /** DIR/runs/<run id>, holding summary.json. */
  runDir: string;
  summary: FitSummary;
  /** The demo's standard output. */
  log: string;
  remove(): void;
}

/** Time a caller's beforeAll should allow: the demo takes about a minute on a quiet 2-core machine. */
export const DEMO_TIMEOUT_MS = 600_000;

export async function populateDemoWarehouse(options: { warmup?: number; draws?: number; seed?: number } = {}): Promise<DemoWarehouse> {
  const dir = mkdtempSync(join(tmpdir(), 'mmm-demo-warehouse-'));
  const args = [
    join(REPO_ROOT, 'bin/mmm.js'),
    'demo',
    '--dir',
    dir,
    '--warmup',
    String(options.warmup ?? 400),
    '--draws',
    String(options.draws ?? 400),
  ];
  if (options.seed !== undefined) args.push('--seed', String(options.seed));
  let log: string;
  try {
    ({ stdout: log } = await promisify(execFile)(process.execPath, args, { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 }));
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    const detail = error as { stdout?: string; stderr?: string; message: string };
    throw new Error(`mmm demo failed: ${detail.message}\n${detail.stderr ?? ''}\n${(detail.stdout ?? '').slice(-4000)}`);
  }
  // Run directories hold summary.json; planWorkflow's answers wait in runs/plan-answers beside them.
  const runs = readdirSync(join(dir, 'runs')).filter((name) => existsSync(join(dir, 'runs', name, 'summary.json')));
  if (runs.length !== 1) throw new Error(`expected one run directory under ${join(dir, 'runs')}, found ${runs.length}: ${runs.join(', ')}`);
  const runDir = join(dir, 'runs', runs[0]);
  return {
    dir,
    warehousePath: join(dir, 'warehouse.duckdb'),
    runId: runs[0],
    runDir,
    log,
    summary: fitSummarySchema.parse(JSON.parse(readFileSync(join(runDir, 'summary.json'), 'utf8'))),
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}
