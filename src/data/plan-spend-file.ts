/**
 * A plan's spend per week over the horizon (`custom` flighting, src/config/horizon-settings.ts), and the one
 * conversion every source of it goes through (`planSpendOfWeeks`): the rows of a CSV in the fit's wide format
 * (`readPlanSpendFile` below) or the warehouse's mmm_input_plan_spend summed over geos
 * (src/warehouse/plan-spend.ts), one row per horizon week. A row for a week outside the horizon, a week given
 * twice, a missing week, a negative or unreadable number: each is refused with the row, week or column named.
 *
 * The CSV gives the config's date column, the spend column of each channel with custom flighting, optionally
 * the channels' media columns (impressions, GRPs), the control columns and the revenue-per-KPI column. Columns
 * the config does not name are ignored, as `mmm fit` ignores them (a plan file may be the data file's own rows);
 * a missing column, or a control column given without the others, is refused naming it.
 */
import type { MmmConfig } from '../config/schema.ts';
import { CsvSyntaxError, parseCsv, type CsvTable } from './csv.ts';
import { resolveCsvFormat } from './csv-format.ts';
import { readDate } from './date-format.ts';
import { DataValidationError, type DataIssue } from './errors.ts';
import { parseNumber } from './number-format.ts';

/** What a plan spend file gives over the horizon's weeks; each series has one value per horizon week. */
export interface PlanSpendFile {
  /** Where the spend came from, as the plan's statements name it ('the plan spend file', the warehouse table). */
  spendSource: string;
  /** Spend in currency per week, for each channel asked for. */
  spend: Map<string, Float64Array>;
  /** Media units per week, for the channels asked for whose media column (config) is in the file. */
  media: Map<string, Float64Array>;
  /** Controls per week, H x K in the config's order; null when the file has no control column. */
  controls: Float64Array | null;
  /** Revenue per KPI unit per week; null when the file lacks the config's revenue-per-KPI column (or it has none). */
  revenuePerKpi: Float64Array | null;
}

/** A plan source's columns by what they hold, under the names its messages use (CSV header names, mart labels). */
export interface PlanColumns {
  /** The spend column of each channel with custom flighting. */
  spend: readonly { channel: string; column: string }[];
  /** Media-unit columns of channels modelled on them, for the channels whose units the source gives. */
  media: readonly { channel: string; column: string }[];
  /** Every control column in the config's order, or none. */
  controls: readonly string[];
  revenuePerKpi: string | null;
}

/** One row of a plan source: where it is (for messages), its week, and its value of each column. */
export interface PlanWeekRow {
  /** 1-based CSV line, or table row. */
  row: number;
  /** The week's start date (ISO). */
  date: string;
  /** The column's number and the text it was read from. */
  value(column: string): { number: number; text: string };
}

/**
 * The one conversion to a PlanSpendFile over the horizon weeks `weeks`: each row's week must be one of them
 * and given once, every week must have a row, spend, media units and revenue per KPI must be finite numbers
 * >= 0, controls finite. Returns the file, or the issues naming row, week and column.
 */
export function planSpendOfWeeks(
  rows: Iterable<PlanWeekRow>,
  columns: PlanColumns,
  weeks: readonly string[],
  spendSource: string,
): { plan: PlanSpendFile; issues: DataIssue[] } {
  const issues: DataIssue[] = [];
  const H = weeks.length;
  const weekIndex = new Map(weeks.map((week, h) => [week, h]));
  const rowOfWeek = new Int32Array(H).fill(-1);
  const series = (count: number) => Array.from({ length: count }, () => new Float64Array(H));
  const spend = series(columns.spend.length);
  const media = series(columns.media.length);
  const K = columns.controls.length;
  const controls = K > 0 ? new Float64Array(H * K) : null;
  const revenuePerKpi = columns.revenuePerKpi === null ? null : new Float64Array(H);
  for (const record of rows) {
    const { date } = record;
    const h = weekIndex.get(date);
    if (h === undefined) {
      issues.push({ row: record.row, date, message: `week ${date} is not one of the horizon's weeks ${weeks[0]}..${weeks[H - 1]}` });
      continue;
    }
    if (rowOfWeek[h] >= 0) {
      issues.push({ row: record.row, date, message: `week ${date} is also given on row ${rowOfWeek[h]}` });
      continue;
    }
    rowOfWeek[h] = record.row;
    const read = (column: string, nonNegative: boolean): number => {
      const { number, text } = record.value(column);
      if (!Number.isFinite(number)) issues.push({ row: record.row, column, date, value: text, message: `'${text}' is not a number` });
      else if (nonNegative && number < 0) issues.push({ row: record.row, column, date, value: text, message: `negative value ${text}` });
      return number;
    };
    columns.spend.forEach(({ column }, i) => (spend[i][h] = read(column, true)));
    columns.media.forEach(({ column }, i) => (media[i][h] = read(column, true)));
    columns.controls.forEach((control, k) => {
      if (controls) controls[h * K + k] = read(control, false);
    });
    if (revenuePerKpi && columns.revenuePerKpi !== null) revenuePerKpi[h] = read(columns.revenuePerKpi, true);
  }
  const missing = weeks.filter((_, h) => rowOfWeek[h] < 0);
  if (missing.length > 0) {
    issues.push({
      message: `no row for ${missing.length} of the horizon's ${H} weeks: ${missing.slice(0, 5).join(', ')}${missing.length > 5 ? ', ...' : ''}`,
    });
  }
  return {
    plan: {
      spendSource,
      spend: new Map(columns.spend.map((c, i) => [c.channel, spend[i]])),
      media: new Map(columns.media.map((c, i) => [c.channel, media[i]])),
      controls,
      revenuePerKpi,
    },
    issues,
  };
}

/** What the plan's statements call a CSV's spend. */
export const PLAN_SPEND_FILE = 'the plan spend file';

/**
 * Reads `csvText` (named `source` in messages) for the horizon weeks `weeks` (ISO dates, the weeks' start
 * dates as the data's dates are written), taking spend for `channels` (channel names of the config).
 */
export function readPlanSpendFile(
  csvText: string,
  source: string,
  config: MmmConfig,
  weeks: readonly string[],
  channels: readonly string[],
): PlanSpendFile {
  const { data } = config;
  let table: CsvTable;
  try {
    table = parseCsv(csvText, source, { delimiter: data.csv.delimiter });
  } catch (error) {
    if (error instanceof CsvSyntaxError)
      throw new DataValidationError(source, [{ row: error.line, message: `CSV syntax: ${error.detail}` }]);
    throw error;
  }
  const has = (column: string) => table.header.includes(column);
  const issues: DataIssue[] = [];
  const channelConfigs = channels.map((name) => {
    const channel = data.channels.find((c) => c.name === name);
    if (channel === undefined) throw new Error(`plan spend asked for channel '${name}', which the config does not have`);
    return channel;
  });
  if (!has(data.date)) issues.push({ column: data.date, message: "the date column (the config's data.date) is not in the header" });
  for (const channel of channelConfigs) {
    if (!has(channel.spend)) {
      issues.push({
        column: channel.spend,
        message: `channel '${channel.name}' has custom flighting, but its spend column is not in the header`,
      });
    }
  }
  const givenControls = data.controls.filter(has);
  if (givenControls.length > 0 && givenControls.length < data.controls.length) {
    for (const control of data.controls.filter((c) => !has(c))) {
      issues.push({
        column: control,
        message: `future controls are given for ${givenControls.map((c) => `'${c}'`).join(', ')} but not for this one; give every control column or none (then each is its seasonal average)`,
      });
    }
  }
  if (issues.length > 0) throw new DataValidationError(source, issues);

  const columns: PlanColumns = {
    spend: channelConfigs.map((c) => ({ channel: c.name, column: c.spend })),
    media: channelConfigs.flatMap((c) => (c.media !== null && has(c.media) ? [{ channel: c.name, column: c.media }] : [])),
    controls: givenControls,
    revenuePerKpi: data.revenuePerKpi !== null && has(data.revenuePerKpi) ? data.revenuePerKpi : null,
  };
  const numeric = [
    ...columns.spend.map((c) => c.column),
    ...columns.media.map((m) => m.column),
    ...columns.controls,
    ...(columns.revenuePerKpi === null ? [] : [columns.revenuePerKpi]),
  ];
  const resolution = resolveCsvFormat(
    table,
    { date: data.date, numeric },
    { decimal: data.csv.decimal, dateFormat: data.dateFormat, frequency: 'weekly' },
    data.csv.delimiter !== undefined,
  );
  if ('issues' in resolution) throw new DataValidationError(source, resolution.issues);
  const { format } = resolution;
  const index = new Map(table.header.map((name, i) => [name, i]));

  const rows: PlanWeekRow[] = [];
  for (const record of table.rows) {
    const cell = (column: string) => record.cells[index.get(column) as number] ?? '';
    const text = cell(data.date);
    const date = readDate(text, format.dateFormat);
    if (date === null) {
      issues.push({ row: record.line, column: data.date, value: text, message: `'${text}' is not a date in the data's format` });
      continue;
    }
    rows.push({ row: record.line, date, value: (column) => ({ number: parseNumber(cell(column), format.decimal), text: cell(column) }) });
  }
  const { plan, issues: weekIssues } = planSpendOfWeeks(rows, columns, weeks, PLAN_SPEND_FILE);
  issues.push(...weekIssues);
  if (issues.length > 0) throw new DataValidationError(source, issues);
  return plan;
}
