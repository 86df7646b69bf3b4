/**
 * Custom flighting from the warehouse: dbt's mmm_input_plan_spend (the planners' media plan, in
 * mmm_input_media's long form) over a plan's horizon weeks, summed over geos for the national horizon and
 * converted by the same conversion as a plan spend file (`planSpendOfWeeks`, src/data/plan-spend-file.ts),
 * which refuses a week outside the horizon and a horizon week without rows. The checks only long form can
 * make run here and name table, row and key: a channel the config does not have, a duplicate key, spend that
 * is negative or not a number, a (geo, week) of the plan without a row for a channel with custom flighting, a
 * channel's media units given for some of its weeks with spend and not others. The mart plans no controls:
 * they stay at their seasonal average unless a controls file gives them (src/run/plan-inputs.ts).
 */
import type { Kysely } from 'kysely';
import type { MmmConfig } from '../config/schema.ts';
import { type DataIssue, DataValidationError } from '../data/errors.ts';
import { type PlanColumns, type PlanSpendFile, planSpendOfWeeks, type PlanWeekRow } from '../data/plan-spend-file.ts';
import type { Database, InputPlanSpendRow } from './tables.ts';

export const PLAN_SPEND_TABLE = 'mmm_input_plan_spend';
/** What the plan's statements call the spend read from the mart. */
export const PLAN_SPEND_SOURCE = `the warehouse table ${PLAN_SPEND_TABLE}`;

/** DuckDB's and BigQuery's words for a table that is not there. */
const MISSING_TABLE = /does not exist|not found/i;

/** The mart's rows in key order (week, geo, channel), so that row numbers in messages are stable. */
export async function readPlanSpendRows(db: Kysely<Database>): Promise<InputPlanSpendRow[]> {
  try {
    return await db.selectFrom(PLAN_SPEND_TABLE).selectAll().orderBy('week_start').orderBy('geo').orderBy('channel').execute();
  } catch (error) {
    if (!(error instanceof Error && MISSING_TABLE.test(error.message))) throw error;
    throw new DataValidationError(PLAN_SPEND_TABLE, [
      {
        message: `the warehouse has no table ${PLAN_SPEND_TABLE} (${error.message.split('\n')[0]}); dbt builds it from the planners' media plan exports (source media_plan, unless the dbt var mmm_media_plan is false)`,
      },
    ]);
  }
}

const show = (value: number | null): string => (value === null ? 'NULL' : String(value));
const keyOf = (r: Pick<InputPlanSpendRow, 'geo' | 'week_start' | 'channel'>): string =>
  `(geo='${r.geo}', week_start=${r.week_start}, channel='${r.channel}')`;
const spendColumn = (channel: string): string => `${PLAN_SPEND_TABLE}.spend[channel='${channel}']`;
const mediaColumn = (channel: string): string => `${PLAN_SPEND_TABLE}.media_units[channel='${channel}']`;

/**
 * The plan spend of `channels` (the config's channels with custom flighting) over the horizon `weeks` from the
 * mart's rows (in the order `readPlanSpendRows` gives them); throws DataValidationError naming row, key and value.
 */
export function planSpendOfMart(
  rows: readonly InputPlanSpendRow[],
  config: MmmConfig,
  weeks: readonly string[],
  channels: readonly string[],
): PlanSpendFile {
  const issues: DataIssue[] = [];
  const add = (row: number | undefined, r: { geo?: string; week_start?: string }, column: string, value: string, message: string) =>
    issues.push({ column: `${PLAN_SPEND_TABLE}.${column}`, row, geo: r.geo, date: r.week_start, value, message });
  const known = new Set(config.data.channels.map((c) => c.name));
  const custom = config.data.channels.filter((c) => channels.includes(c.name));
  if (rows.length === 0) {
    throw new DataValidationError(PLAN_SPEND_TABLE, [
      {
        message: `no rows: the warehouse holds no plan for the horizon's weeks ${weeks[0]}..${weeks[weeks.length - 1]} (dbt builds it from the media plan exports)`,
      },
    ]);
  }

  // One row per key, of channels the config has; bad values are named and count as 0 below.
  const byKey = new Map<string, { row: number; r: InputPlanSpendRow }>();
  const finite = (value: number | null): value is number => value !== null && Number.isFinite(value);
  rows.forEach((r, i) => {
    const row = i + 1;
    if (!known.has(r.channel)) {
      add(
        row,
        r,
        'channel',
        r.channel,
        `channel '${r.channel}' at key ${keyOf(r)} is not one of the config's channels ${[...known].map((c) => `'${c}'`).join(', ')}`,
      );
      return;
    }
    const earlier = byKey.get(keyOf(r));
    if (earlier !== undefined) {
      add(row, r, 'key', keyOf(r), `duplicate key ${keyOf(r)}: rows ${earlier.row} and ${row}`);
      return;
    }
    byKey.set(keyOf(r), { row, r });
    if (!finite(r.spend)) add(row, r, 'spend', show(r.spend), `spend is ${show(r.spend)} at key ${keyOf(r)}; expected a number >= 0`);
    else if (r.spend < 0) add(row, r, 'spend', show(r.spend), `negative spend ${r.spend} at key ${keyOf(r)}`);
    if (r.media_units !== null && !(Number.isFinite(r.media_units) && r.media_units >= 0))
      add(
        row,
        r,
        'media_units',
        show(r.media_units),
        `media_units ${show(r.media_units)} at key ${keyOf(r)}; expected a number >= 0 or NULL`,
      );
  });

  const horizon = new Set(weeks);
  const kept = [...byKey.values()];
  const geos = [...new Set(kept.map(({ r }) => r.geo))].sort();
  const planWeeks = [...new Set(kept.map(({ r }) => r.week_start))].sort();
  for (const week of planWeeks.filter((w) => horizon.has(w))) {
    for (const geo of geos) {
      for (const channel of custom) {
        const key = keyOf({ geo, week_start: week, channel: channel.name });
        if (!byKey.has(key))
          add(
            undefined,
            { geo, week_start: week },
            'key',
            key,
            `missing row for key ${key}: channel '${channel.name}' has custom flighting`,
          );
      }
    }
  }

  // Media units count for a channel modelled on them when its rows with spend give them; then all must.
  const mediaGiven = custom.filter((channel) => {
    if (channel.media === null) return false;
    const spent = kept.filter(({ r }) => r.channel === channel.name && horizon.has(r.week_start) && finite(r.spend) && r.spend > 0);
    const given = spent.filter(({ r }) => r.media_units !== null);
    if (given.length === 0) return false;
    for (const { row, r } of spent.filter(({ r: s }) => s.media_units === null)) {
      add(
        row,
        r,
        'media_units',
        'NULL',
        `media_units is NULL at key ${keyOf(r)}, but channel '${channel.name}' has them on ${given.length} other row(s) with spend (first: row ${given[0].row}); give them for every week with spend or for none (then its cost per unit applies)`,
      );
    }
    return true;
  });

  const columns: PlanColumns = {
    spend: custom.map((c) => ({ channel: c.name, column: spendColumn(c.name) })),
    media: mediaGiven.map((c) => ({ channel: c.name, column: mediaColumn(c.name) })),
    controls: [],
    revenuePerKpi: null,
  };
  // National: one row per week, each channel's spend and units summed over the geos.
  const weekRows: PlanWeekRow[] = planWeeks.map((week) => {
    const inWeek = kept.filter(({ r }) => r.week_start === week);
    const sum = (channel: string, pick: (r: InputPlanSpendRow) => number | null) =>
      inWeek.filter(({ r }) => r.channel === channel).reduce((total, { r }) => total + (finite(pick(r)) ? (pick(r) as number) : 0), 0);
    const values = new Map<string, number>([
      ...columns.spend.map((c) => [c.column, sum(c.channel, (r) => r.spend)] as const),
      ...columns.media.map((c) => [c.column, sum(c.channel, (r) => r.media_units)] as const),
    ]);
    return {
      row: Math.min(...inWeek.map(({ row }) => row)),
      date: week,
      value: (column) => {
        const number = values.get(column) ?? Number.NaN;
        return { number, text: String(number) };
      },
    };
  });
  const { plan, issues: weekIssues } = planSpendOfWeeks(weekRows, columns, weeks, PLAN_SPEND_SOURCE);
  issues.push(
    ...weekIssues.map((issue) => ({
      ...issue,
      column: issue.column ?? (issue.row === undefined ? undefined : `${PLAN_SPEND_TABLE}.week_start`),
    })),
  );
  if (issues.length > 0) throw new DataValidationError(PLAN_SPEND_TABLE, issues);
  return plan;
}

/** Reads the mart and converts it (planSpendOfMart). */
export async function readPlanSpend(
  db: Kysely<Database>,
  config: MmmConfig,
  weeks: readonly string[],
  channels: readonly string[],
): Promise<PlanSpendFile> {
  return planSpendOfMart(await readPlanSpendRows(db), config, weeks, channels);
}
