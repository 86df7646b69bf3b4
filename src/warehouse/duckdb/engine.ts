/** The embedded DuckDB engine as the product sees it (engine.ts): one file, dbt's 'duckdb' target, raw exports as files. */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import type { WarehouseEngine } from '../engine.ts';
import type { DuckDbWarehouseConfig } from './config.ts';
import { withDuckDbFileReleased } from './duckdb-file.ts';
import { DuckDbWarehouse } from './duckdb-warehouse.ts';

export function duckdbEngine(config: DuckDbWarehouseConfig): WarehouseEngine {
  const inMemory = config.path === ':memory:';
  const file = inMemory ? config.path : resolve(config.path);
  return {
    name: 'duckdb',
    location: file,
    open: () => DuckDbWarehouse.open({ ...config, path: file }),
    dbtProfile: () => ({ MMM_DBT_TARGET: 'duckdb', MMM_DUCKDB_PATH: resolve(config.path), MMM_DUCKDB_SCHEMA: config.schema }),
    // dbt (its own process) needs the file lock: it runs once every open of the file in this process is closed, and opens wait until it is done.
    whileDbtRuns: (run) => withDuckDbFileReleased(config.path, run),
    rawExports: ({ rawDir }) =>
      rawDir === undefined ? { problem: 'MMM_RAW_DIR is not set: dbt on DuckDB reads the raw export files from that folder' } : { rawDir },
    // Opening a DuckDB path creates the file: a reader must not leave empty warehouses at mistyped paths.
    absence: () => (!inMemory && !existsSync(file) ? `no DuckDB warehouse at ${file}` : null),
  };
}
