/**
 * A plan's spend per week, from a CSV in the fit's wide format (`custom` flighting, src/config/horizon-settings.ts):
 * the config's date column, the spend column of each channel with custom flighting, optionally the channels'
 * media columns (impressions, GRPs), the control columns and the revenue-per-KPI column, one row per horizon week.
 * Columns the config does not name are ignored, as `mmm fit` ignores them (a plan file may be the data file's
 * own rows). Everything is checked before anything is used: a row for a week outside the horizon, a missing
 * week or column, a control column given without the others, a negative or unreadable number, each is
 * refused with the row, week or column named.
 */
import type { MmmConfig } from '../config/schema.ts';
import { CsvSyntaxError, parseCsv, type CsvTable } from './csv.ts';
import { resolveCsvFormat } from './csv-format.ts';
import { readDate } from './date-format.ts';
import { DataValidationError, type DataIssue } from './errors.ts';
import { parseNumber } from './number-format.ts';

/** What a plan spend file gives over the horizon's weeks; each series has one value per horizon week. */
export interface PlanSpendFile {
  /** Spend in currency per week, for each channel asked for. */
  spend: Map<string, Float64Array>;
  /** Media units per week, for the channels asked for whose media column (config) is in the file. */
  media: Map<string, Float64Array>;
  /** Controls per week, H x K in the config's order; null when the file has no control column. */
  controls: Float64Array | null;
  /** Revenue per KPI unit per week; null when the file lacks the config's revenue-per-KPI column (or it has none). */
  revenuePerKpi: Float64Array | null;
}

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

  const mediaColumns = channelConfigs.flatMap((c) => (c.media !== null && has(c.media) ? [{ name: c.name, column: c.media }] : []));
  const revenueColumn = data.revenuePerKpi !== null && has(data.revenuePerKpi) ? data.revenuePerKpi : null;
  const numeric = [
    ...channelConfigs.map((c) => c.spend),
    ...mediaColumns.map((m) => m.column),
    ...givenControls,
    ...(revenueColumn === null ? [] : [revenueColumn]),
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

  const H = weeks.length;
  const weekIndex = new Map(weeks.map((week, h) => [week, h]));
  const rowOfWeek = new Int32Array(H).fill(-1);
  const series = (columns: readonly string[]) => columns.map(() => new Float64Array(H));
  const spend = series(channelConfigs.map((c) => c.spend));
  const media = series(mediaColumns.map((m) => m.column));
  const controls = givenControls.length > 0 ? new Float64Array(H * givenControls.length) : null;
  const revenuePerKpi = revenueColumn === null ? null : new Float64Array(H);
  for (const record of table.rows) {
    const text = record.cells[index.get(data.date) as number] ?? '';
    const date = readDate(text, format.dateFormat);
    if (date === null) {
      issues.push({ row: record.line, column: data.date, value: text, message: `'${text}' is not a date in the data's format` });
      continue;
    }
    const h = weekIndex.get(date);
    if (h === undefined) {
      issues.push({ row: record.line, date, message: `week ${date} is not one of the horizon's weeks ${weeks[0]}..${weeks[H - 1]}` });
      continue;
    }
    if (rowOfWeek[h] >= 0) {
      issues.push({ row: record.line, date, message: `week ${date} is also given on row ${rowOfWeek[h]}` });
      continue;
    }
    rowOfWeek[h] = record.line;
    const read = (column: string, nonNegative: boolean): number => {
      const cell = record.cells[index.get(column) as number] ?? '';
      const value = parseNumber(cell, format.decimal);
      if (!Number.isFinite(value)) issues.push({ row: record.line, column, date, value: cell, message: `'${cell}' is not a number` });
      else if (nonNegative && value < 0) issues.push({ row: record.line, column, date, value: cell, message: `negative value ${cell}` });
      return value;
    };
    channelConfigs.forEach((c, i) => (spend[i][h] = read(c.spend, true)));
    mediaColumns.forEach((m, i) => (media[i][h] = read(m.column, true)));
    givenControls.forEach((control, k) => {
      if (controls) controls[h * givenControls.length + k] = read(control, false);
    });
    if (revenuePerKpi && revenueColumn !== null) revenuePerKpi[h] = read(revenueColumn, true);
  }
  const missing = weeks.filter((_, h) => rowOfWeek[h] < 0);
  if (missing.length > 0) {
    issues.push({
      message: `no row for ${missing.length} of the horizon's ${H} weeks: ${missing.slice(0, 5).join(', ')}${missing.length > 5 ? ', ...' : ''}`,
    });
  }
  if (issues.length > 0) throw new DataValidationError(source, issues);
  return {
    spend: new Map(channelConfigs.map((c, i) => [c.name, spend[i]])),
    media: new Map(mediaColumns.map((m, i) => [m.name, media[i]])),
    controls,
    revenuePerKpi,
  };
}
