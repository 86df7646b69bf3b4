/**
 * The data-in path of `mmm fit`: a config and the wide CSV it describes become a validated Panel.
 * Everything here runs before any output is written, so bad input never leaves a half-made run.
 */
import { readFileSync } from 'node:fs';
import { configColumns, loadConfig } from '../config/load-config.ts';
import type { MmmConfig } from '../config/schema.ts';
import { assemblePanel, panelSpecFromConfig } from './assemble-panel.ts';
import { NATIONAL_GEO, type Observation, type PanelSpec } from './observation.ts';
import { CsvSyntaxError, parseCsv, type CsvRecord, type CsvTable } from './csv.ts';
import { describeCsvFormat, resolveCsvFormat, type CsvFormat } from './csv-format.ts';
import { readDate } from './date-format.ts';
import { normaliseDate } from './dates.ts';
import { DataValidationError, type DataIssue } from './errors.ts';
import { parseNumber } from './number-format.ts';
import type { Panel } from './panel.ts';
import { duplicateIssues, rowIssues } from './validate-panel.ts';
import { experimentConflicts } from './experiment-conflicts.ts';
import { experimentsFromCsv } from './experiments-csv.ts';
import { resolveExperiments } from './resolve-experiments.ts';
import { aggregateDailyToWeeks, describeDroppedWeeks } from './weekly-aggregation.ts';

/** Header names compared without case, spaces and punctuation, to suggest the column a typo meant. */
const looseName = (name: string) => name.toLowerCase().replace(/[^a-z0-9]/g, '');

/** Problems with the table's shape: referenced columns that are absent or ambiguous, rows of the wrong width. */
function structureIssues(table: CsvTable, config: MmmConfig): DataIssue[] {
  const issues: DataIssue[] = [];
  for (const [path, column] of configColumns(config)) {
    const positions = table.header.flatMap((name, i) => (name === column ? [i + 1] : []));
    if (positions.length === 0) {
      const near = table.header.find((name) => looseName(name) === looseName(column));
      const suggestion = near === undefined ? '' : `; did you mean '${near}'?`;
      issues.push({ column, message: `column not found in the header (named by ${path})${suggestion}` });
    } else if (positions.length > 1) {
      issues.push({
        column,
        message: `the header has this column ${positions.length} times (positions ${positions.join(', ')}); ${path} is ambiguous`,
      });
    }
  }
  for (const record of table.rows) {
    if (record.cells.length !== table.header.length) {
      issues.push({ row: record.line, message: `${record.cells.length} fields, but the header has ${table.header.length}` });
    }
  }
  return issues;
}

/** The numeric columns the config names: KPI, spend, media, controls, population, revenue per KPI. */
function numericColumns(config: MmmConfig): string[] {
  const { data } = config;
  return [
    data.kpi,
    ...data.channels.flatMap((channel) => (channel.media === null ? [channel.spend] : [channel.spend, channel.media])),
    ...data.controls,
    ...(data.population === null ? [] : [data.population]),
    ...(data.revenuePerKpi === null ? [] : [data.revenuePerKpi]),
  ];
}

/** One row as an observation: numbers read in the file's format (NaN when unreadable), the date as yyyy-mm-dd when readable, else as written. */
function toObservation(
  record: CsvRecord,
  cell: (record: CsvRecord, column: string) => string,
  config: MmmConfig,
  format: CsvFormat,
): Observation {
  const { data } = config;
  const number = (column: string) => parseNumber(cell(record, column), format.decimal);
  const spend = data.channels.map((channel) => number(channel.spend));
  const date = cell(record, data.date);
  return {
    geo: data.geo === null ? NATIONAL_GEO : cell(record, data.geo),
    date: readDate(date, format.dateFormat) ?? date,
    row: record.line,
    kpi: number(data.kpi),
    spend,
    media: data.channels.map((channel, c) => (channel.media === null ? spend[c] : number(channel.media))),
    controls: data.controls.map(number),
    population: data.population === null ? 1 : number(data.population),
    revenuePerKpi: data.revenuePerKpi === null ? null : number(data.revenuePerKpi),
  };
}

/**
 * Daily observations summed into weeks. Row-level problems are found on the days, where they name
 * the row a user can fix; a sum would hide them.
 */
function weeksFromDays(days: Observation[], spec: PanelSpec, config: MmmConfig, notes: string[]): Observation[] {
  const dates = days.map((day) => normaliseDate(day.date));
  const dayIssues: DataIssue[] = [...rowIssues(days, dates, spec), ...duplicateIssues(days, dates, spec)];
  if (dayIssues.length > 0) throw new DataValidationError(spec.source, dayIssues);
  const { weeks, dropped, issues } = aggregateDailyToWeeks(days, config.data.weekStart, spec.columns);
  if (issues.length > 0) throw new DataValidationError(spec.source, issues);
  const weekCount = new Set(weeks.map((week) => week.date)).size;
  notes.push(
    `${spec.source}: ${days.length} daily rows summed into ${weekCount} weeks starting on ${config.data.weekStart}s ` +
      '(KPI, spend and media summed, controls averaged)',
    ...describeDroppedWeeks(dropped).map((note) => `${spec.source}: ${note}`),
  );
  return weeks;
}

/**
 * The panel held in a wide CSV (one row per geo-week, or per geo-day when the data is daily) laid out
 * as `config.data` describes. `onNote` hears how the file was read (format, detected or stated; weeks
 * summed and dropped) so that the caller can show it.
 */
export function panelFromCsv(csvText: string, config: MmmConfig, source: string, onNote: (note: string) => void = () => {}): Panel {
  const { data } = config;
  let table: CsvTable;
  try {
    table = parseCsv(csvText, source, { delimiter: data.csv.delimiter });
  } catch (error) {
    if (error instanceof CsvSyntaxError) {
      throw new DataValidationError(source, [{ row: error.line, message: `CSV syntax: ${error.detail}` }]);
    }
    throw error;
  }
  const structural = structureIssues(table, config);
  if (structural.length > 0) throw new DataValidationError(source, structural);

  const resolution = resolveCsvFormat(
    table,
    { date: data.date, numeric: numericColumns(config) },
    { decimal: data.csv.decimal, dateFormat: data.dateFormat, frequency: data.frequency },
    data.csv.delimiter !== undefined,
  );
  if ('issues' in resolution) throw new DataValidationError(source, resolution.issues);
  const { format } = resolution;
  const notes = [`${source}: ${describeCsvFormat(format, resolution.detected)}`];

  const columnIndex = new Map(table.header.map((name, i) => [name, i]));
  const cell = (record: CsvRecord, column: string) => record.cells[columnIndex.get(column) as number];
  const recordByLine = new Map(table.rows.map((record) => [record.line, record]));
  const observations = table.rows.map((record) => toObservation(record, cell, config, format));
  const spec: PanelSpec = {
    ...panelSpecFromConfig(config, source),
    dateFormat: format.dateFormat,
    cellText: (row, column) => {
      const record = recordByLine.get(row);
      return record === undefined ? undefined : cell(record, column);
    },
  };
  const panel =
    format.frequency === 'daily'
      ? // A week's values are sums, so messages quote the numbers rather than one day's text.
        assemblePanel(weeksFromDays(observations, spec, config, notes), { ...spec, cellText: undefined })
      : assemblePanel(observations, spec);
  notes.forEach((note) => onNote(note));
  return panel;
}

/** The experiments of a config and a CSV path checked against the panel, with warnings of conflicting tests. */
function withExperimentsFile(config: MmmConfig, panel: Panel, path: string, notes: string[]): MmmConfig {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new DataValidationError(path, [{ message: `cannot read the experiments file (${(error as Error).message})` }]);
  }
  const file = experimentsFromCsv(text, path);
  const channels = config.data.channels.map((channel) => ({ name: channel.name, prior: channel.prior ?? config.model.priors.media }));
  // Checked here, where each experiment's line is known; the model resolves the config's list again.
  resolveExperiments(file.experiments, panel, channels, {
    maxLag: config.model.maxLag,
    national: config.data.geo === null,
    source: path,
    rows: file.rows,
  });
  const experiments = [...config.experiments, ...file.experiments];
  notes.push(
    `${path}: ${file.experiments.length} experiment${file.experiments.length === 1 ? '' : 's'} (${file.experiments.map((e) => e.id).join(', ')})`,
  );
  notes.push(...experimentConflicts(experiments).map((warning) => `${path}: warning: ${warning}`));
  return { ...config, experiments };
}

/**
 * Reads and validates the config and the data it describes (and the experiments CSV when given); throws
 * ConfigError or DataValidationError. `notes` says how the files were read, for the command to print.
 */
export function loadFitInputs(
  dataPath: string,
  configPath: string,
  experimentsPath?: string,
): { config: MmmConfig; panel: Panel; notes: string[] } {
  const config = loadConfig(configPath);
  let csvText: string;
  try {
    csvText = readFileSync(dataPath, 'utf8');
  } catch (error) {
    throw new DataValidationError(dataPath, [{ message: `cannot read the data file (${(error as Error).message})` }]);
  }
  const notes: string[] = [];
  const panel = panelFromCsv(csvText, config, dataPath, (note) => notes.push(note));
  return { config: experimentsPath === undefined ? config : withExperimentsFile(config, panel, experimentsPath, notes), panel, notes };
}
