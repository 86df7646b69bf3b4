/** `--warehouse PATH` of the commands that read or write a warehouse: that DuckDB file, else the environment's warehouse. */
import { type WarehouseConfig, warehouseConfigFromEnv } from '../warehouse/open-warehouse.ts';

export function warehouseOfFlag(path: string | undefined): WarehouseConfig {
  return path === undefined
    ? warehouseConfigFromEnv()
    : warehouseConfigFromEnv({ ...process.env, MMM_WAREHOUSE: 'duckdb', MMM_DUCKDB_PATH: path });
}
