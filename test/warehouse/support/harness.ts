/**
 * One fresh, migrated warehouse per engine for the shared repository tests: DuckDB in a temporary
 * file, BigQuery as a dataset of a local bqemulator.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll } from 'vitest';
import type { Engine } from '../../../src/warehouse/sql-dialect.ts';
import { openWarehouse } from '../../../src/warehouse/open-warehouse.ts';
import type { OutputTable } from '../../../src/warehouse/tables.ts';
import type { Warehouse } from '../../../src/warehouse/warehouse.ts';
import { EMULATOR_START_BOUND_MS, emulatorWarehouse, startBqEmulator } from './bqemulator.ts';

export interface WarehouseHarness {
  engine: Engine;
  /** The schema (DuckDB) or dataset (BigQuery) the warehouse lives in. */
  schema: string;
  warehouse: Warehouse;
  /** Renames a table out of the way, so that writing to it fails (a publish that breaks half-way). */
  parkTable(table: OutputTable): Promise<void>;
  restoreTable(table: OutputTable): Promise<void>;
  stop(): Promise<void>;
}

function tableTools(schema: string, warehouse: Warehouse) {
  const rename = (from: string, to: string) =>
    sql`alter table ${sql.table(`${schema}.${from}`)} rename to ${sql.id(to)}`.execute(warehouse.db);
  return {
    parkTable: async (table: OutputTable) => {
      await rename(table, `${table}__parked`);
    },
    restoreTable: async (table: OutputTable) => {
      await rename(`${table}__parked`, table);
    },
  };
}

export async function duckdbHarness(): Promise<WarehouseHarness> {
  const dir = mkdtempSync(join(tmpdir(), 'mmm-duckdb-'));
  const warehouse = await openWarehouse({ engine: 'duckdb', path: join(dir, 'warehouse.duckdb'), schema: 'main' });
  await warehouse.migrate();
  return {
    engine: 'duckdb',
    schema: 'main',
    warehouse,
    ...tableTools('main', warehouse),
    stop: async () => {
      await warehouse.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export async function bigqueryHarness(): Promise<WarehouseHarness> {
  const emulator = await startBqEmulator();
  const dataset = 'mmm_test';
  try {
    const warehouse = await openWarehouse(emulatorWarehouse(emulator, dataset));
    await warehouse.migrate();
    return {
      engine: 'bigquery',
      schema: dataset,
      warehouse,
      ...tableTools(dataset, warehouse),
      stop: async () => {
        await warehouse.close();
        await emulator.stop();
      },
    };
  } catch (error) {
    await emulator.stop();
    throw error;
  }
}

/** The engines the shared warehouse suites run on (describe.each), each with its harness. */
export const ENGINE_HARNESSES = [
  { engine: 'duckdb', start: duckdbHarness },
  { engine: 'bigquery', start: bigqueryHarness },
] as const;

/**
 * The suite's harness: started before its tests, stopped after them. Its fields read the started
 * harness, so a suite declares it once (`const h = suiteHarness(start)`) and its tests use it as is.
 */
export function suiteHarness(start: () => Promise<WarehouseHarness>, startTimeoutMs = EMULATOR_START_BOUND_MS + 120_000): WarehouseHarness {
  let started: WarehouseHarness | undefined;
  beforeAll(async () => {
    started = await start();
  }, startTimeoutMs);
  afterAll(async () => {
    await started?.stop();
  });
  const current = (): WarehouseHarness => {
    if (started === undefined) throw new Error('the warehouse harness is used before its suite started it');
    return started;
  };
  return {
    get engine() {
      return current().engine;
    },
    get schema() {
      return current().schema;
    },
    get warehouse() {
      return current().warehouse;
    },
    parkTable: (table) => current().parkTable(table),
    restoreTable: (table) => current().restoreTable(table),
    stop: () => current().stop(),
  };
}
