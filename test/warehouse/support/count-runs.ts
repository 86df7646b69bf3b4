/**
 * Counts what a warehouse holds, from a process of its own: run as
 * `node --import tsx count-runs.ts '<warehouse config JSON>'`, it prints the run ids of mmm_runs, the
 * rows of mmm_current and the rows per run table of every run as JSON. A fresh process sees only what
 * reached the warehouse, not what another process's instance still holds in memory.
 */
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { openWarehouse, type WarehouseConfig, warehouseConfigSchema } from '../../../src/warehouse/open-warehouse.ts';
import type { RunTable } from '../../../src/warehouse/tables.ts';

export interface WarehouseCensus {
  runs: { run_id: string; model_id: string; status: string }[];
  current: { model_id: string; run_id: string }[];
  rows: Record<string, Record<RunTable, number>>;
}

async function census(config: WarehouseConfig): Promise<WarehouseCensus> {
  const warehouse = await openWarehouse(config);
  try {
    const runs = await warehouse.db.selectFrom('mmm_runs').select(['run_id', 'model_id', 'status']).orderBy('run_id').execute();
    const current = await warehouse.db.selectFrom('mmm_current').select(['model_id', 'run_id']).orderBy('model_id').execute();
    const rows: WarehouseCensus['rows'] = {};
    for (const { run_id: runId } of runs) rows[runId] = await warehouse.countRunRows(runId);
    return { runs, current, rows };
  } finally {
    await warehouse.close();
  }
}

const SELF = fileURLToPath(import.meta.url);

/** The census taken by a new Node process (the caller must have closed its own DuckDB instances). */
export async function censusFromFreshProcess(config: WarehouseConfig): Promise<WarehouseCensus> {
  const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', SELF, JSON.stringify(config)], {
    maxBuffer: 64 << 20,
  });
  return JSON.parse(stdout) as WarehouseCensus;
}

if (process.argv[1] === SELF) {
  const result = await census(warehouseConfigSchema.parse(JSON.parse(process.argv[2])));
  process.stdout.write(`${JSON.stringify(result)}\n`);
}
