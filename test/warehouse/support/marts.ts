/**
 * Input marts written straight into a warehouse (as dbt would leave them), so that extract can be
 * tested on both engines with exactly the rows a test needs, bad ones included.
 */
import { type RawBuilder, sql } from 'kysely';
import { addDays } from '../../../src/data/dates.ts';
import type { MartRows } from '../../../src/warehouse/extract.ts';
import type { Engine } from '../../../src/warehouse/sql-dialect.ts';
import { columnsOf, type InputMart } from '../../../src/warehouse/tables.ts';
import type { Warehouse } from '../../../src/warehouse/warehouse.ts';

type ColumnType = 'string' | 'date' | 'money' | 'double' | 'integer' | 'boolean';

const MEDIA_TYPES: Record<string, ColumnType> = {
  geo: 'string',
  week_start: 'date',
  channel: 'string',
  spend: 'money',
  media_units: 'double',
  media_unit: 'string',
};

const MART_TYPES: Record<InputMart, Record<string, ColumnType>> = {
  mmm_input_media: MEDIA_TYPES,
  mmm_input_plan_spend: MEDIA_TYPES,
  mmm_input_kpi: { geo: 'string', week_start: 'date', kpi: 'string', value: 'money', days_reported: 'integer', is_complete: 'boolean' },
  mmm_input_controls: { geo: 'string', week_start: 'date', control: 'string', value: 'double' },
  mmm_input_geos: { geo: 'string', population: 'integer', currency: 'string' },
  mmm_input_experiments: {
    experiment_id: 'string',
    channel: 'string',
    geo: 'string',
    start_date: 'date',
    end_date: 'date',
    incremental_outcome: 'double',
    standard_error: 'double',
    spend: 'money',
    counterfactual_spend: 'money',
    outcome_type: 'string',
  },
};

/** The types dbt's marts have on each engine (dbt/macros/types.sql). */
const SQL_TYPE: Record<Engine, Record<ColumnType, string>> = {
  duckdb: { string: 'varchar', date: 'date', money: 'decimal(18, 2)', double: 'double', integer: 'integer', boolean: 'boolean' },
  bigquery: { string: 'string', date: 'date', money: 'numeric', double: 'float64', integer: 'int64', boolean: 'bool' },
};

/** A value as a SQL literal; NaN is written as the engine's cast of 'nan' (parameters cannot carry it everywhere). */
function literal(engine: Engine, type: ColumnType, value: unknown): RawBuilder<unknown> {
  if (value === null) return sql`null`;
  if (type === 'date') return sql`date ${sql.lit(String(value))}`;
  if (typeof value === 'number' && Number.isNaN(value)) return sql.raw(`cast('nan' as ${SQL_TYPE[engine].double})`);
  if (type === 'money') return sql.raw(`cast(${String(value)} as ${SQL_TYPE[engine].money})`);
  return sql.lit(value as string | number | boolean);
}

/** Creates (or replaces) one mart with dbt's column types and writes `rows` into it. */
export async function writeMart(warehouse: Warehouse, schema: string, mart: InputMart, rows: Record<string, unknown>[]): Promise<void> {
  const types = MART_TYPES[mart];
  const columns = columnsOf(mart);
  const table = sql.table(`${schema}.${mart}`);
  const definition = sql.join(columns.map((c) => sql`${sql.ref(c)} ${sql.raw(SQL_TYPE[warehouse.engine][types[c]])}`));
  await sql`create or replace table ${table} (${definition})`.execute(warehouse.db);
  if (rows.length === 0) return;
  const values = sql.join(rows.map((row) => sql`(${sql.join(columns.map((c) => literal(warehouse.engine, types[c], row[c])))})`));
  await sql`insert into ${table} (${sql.join(columns.map((c) => sql.ref(c)))}) values ${values}`.execute(warehouse.db);
}

/** The model-input marts extract reads. */
export async function writeMarts(warehouse: Warehouse, schema: string, marts: MartRows): Promise<void> {
  await writeMart(warehouse, schema, 'mmm_input_media', marts.media);
  await writeMart(warehouse, schema, 'mmm_input_kpi', marts.kpi);
  await writeMart(warehouse, schema, 'mmm_input_controls', marts.controls);
  await writeMart(warehouse, schema, 'mmm_input_geos', marts.geos);
  await writeMart(warehouse, schema, 'mmm_input_experiments', marts.experiments);
}

export const MART_CHANNELS = ['search', 'tv'];
export const MART_GEOS = ['US', 'CA'];
export const MART_WEEKS = 30;
export const MART_START = '2023-01-02';

/** Spend of a cell, distinct per geo, week and channel so that a misplaced value shows. */
export const martSpend = (g: number, t: number, c: number): number => 1000 + 10 * t + 100 * c + 7 * g + 0.25;
export const martRevenue = (g: number, t: number): number => 50_000 + 300 * t + 5000 * g + (t % 4) * 900;

/** Clean marts: 2 geos x 30 weeks, channels search (spend) and tv (GRPs), control promo. */
export function cleanMarts(): MartRows {
  const weeks = Array.from({ length: MART_WEEKS }, (_, t) => addDays(MART_START, 7 * t));
  return {
    media: MART_GEOS.flatMap((geo, g) =>
      weeks.flatMap((week_start, t) =>
        MART_CHANNELS.map((channel, c) => ({
          geo,
          week_start,
          channel,
          spend: martSpend(g, t, c),
          media_units: channel === 'tv' ? 50 + t + g : 20_000 + t,
          media_unit: channel === 'tv' ? 'grps' : 'impressions',
        })),
      ),
    ),
    kpi: MART_GEOS.flatMap((geo, g) =>
      weeks.flatMap((week_start, t) => [
        { geo, week_start, kpi: 'revenue', value: martRevenue(g, t), days_reported: 7, is_complete: true },
        { geo, week_start, kpi: 'orders', value: 500 + t, days_reported: 7, is_complete: true },
      ]),
    ),
    controls: MART_GEOS.flatMap((geo, g) =>
      weeks.map((week_start, t) => ({ geo, week_start, control: 'promo', value: (t + g) % 5 === 0 ? 1 : 0 })),
    ),
    geos: [
      { geo: 'US', population: 300, currency: 'USD' },
      { geo: 'CA', population: 40, currency: 'CAD' },
    ],
    experiments: [],
  };
}
