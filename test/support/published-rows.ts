/**
 * Every row a run published, by run table, without its run id, in a fixed order: what two runs of the
 * same seed must agree on, whichever workers, store or warehouse produced them.
 */
import { RUN_TABLE_NAMES } from '../../src/warehouse/tables.ts';
import type { Warehouse } from '../../src/warehouse/warehouse.ts';

export async function publishedRows(warehouse: Warehouse, runId: string): Promise<Record<string, string[]>> {
  const tables: Record<string, string[]> = {};
  for (const table of RUN_TABLE_NAMES) {
    const rows: Record<string, unknown>[] = await warehouse.db.selectFrom(table).selectAll().where('run_id', '=', runId).execute();
    tables[table] = rows.map(({ run_id: _, ...row }) => JSON.stringify(row, Object.keys(row).sort())).sort();
  }
  return tables;
}
