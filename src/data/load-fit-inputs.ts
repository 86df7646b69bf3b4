/**
 * The data-in path of `mmm fit`: a config and the wide CSV it describes become a validated Panel.
 * Everything here runs before any output is written, so bad input never leaves a half-made run.
 */
import { readFileSync } from 'node:fs';
import { configColumns, loadConfig } from '../config/load-config.ts';
import type { MmmConfig } from '../config/schema.ts';
import { assemblePanel, NATIONAL_GEO, panelSpecFromConfig, type Observation } from './assemble-panel.ts';
import { CsvSyntaxError, parseCsv, type CsvRecord, type CsvTable } from './csv.ts';
import { DataValidationError, type DataIssue } from './errors.ts';
import type { Panel } from './panel.ts';

// A plain decimal number with optional exponent; anything else (thousands separators, NaN, Infinity, hex) is rejected.
const DECIMAL_NUMBER = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;

/** A cell as a number, NaN when it is not a plain decimal number (the validator reports it with its text). */
function parseCell(text: string): number {
  const trimmed = text.trim();
  return DECIMAL_NUMBER.test(trimmed) ? Number(trimmed) : Number.NaN;
}

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
      issues.push({ column,
        message: `the header has this column ${positions.length} times (positions ${positions.join(', ')}); ${path} is ambiguous` });
    }
  }
  for (const record of table.rows) {
    if (record.cells.length !== table.header.length) {
      issues.push({ row: record.line, message: `${record.cells.length} fields, but the header has ${table.header.length}` });
    }
  }
  return issues;
}

function toObservation(record: CsvRecord, cell: (record: CsvRecord, column: string) => string, config: MmmConfig): Observation {
  const { data } = config;
  const number = (column: string) => parseCell(cell(record, column));
  const spend = data.channels.map((channel) => number(channel.spend));
  return {
    geo: data.geo === null ? NATIONAL_GEO : cell(record, data.geo),
    date: cell(record, data.date),
    row: record.line,
    kpi: number(data.kpi),
    spend,
    media: data.channels.map((channel, c) => (channel.media === null ? spend[c] : number(channel.media))),
    controls: data.controls.map(number),
    population: data.population === null ? 1 : number(data.population),
    revenuePerKpi: data.revenuePerKpi === null ? null : number(data.revenuePerKpi),
  };
}

/** The panel held in a wide CSV (one row per geo-week) laid out as `config.data` describes. */
export function panelFromCsv(csvText: string, config: MmmConfig, source: string): Panel {
  let table: CsvTable;
  try {
    table = parseCsv(csvText, source);
  } catch (error) {
    if (error instanceof CsvSyntaxError) {
      throw new DataValidationError(source, [{ row: error.line, message: `CSV syntax: ${error.detail}` }]);
    }
    throw error;
  }
  const structural = structureIssues(table, config);
  if (structural.length > 0) throw new DataValidationError(source, structural);

  const columnIndex = new Map(table.header.map((name, i) => [name, i]));
  const cell = (record: CsvRecord, column: string) => record.cells[columnIndex.get(column) as number];
  const recordByLine = new Map(table.rows.map((record) => [record.line, record]));
  const observations = table.rows.map((record) => toObservation(record, cell, config));
  return assemblePanel(observations, {
    ...panelSpecFromConfig(config, source),
    cellText: (row, column) => {
      const record = recordByLine.get(row);
      return record === undefined ? undefined : cell(record, column);
    },
  });
}

/** Reads and validates the config and the data it describes; throws ConfigError or DataValidationError. */
export function loadFitInputs(dataPath: string, configPath: string): { config: MmmConfig; panel: Panel } {
  const config = loadConfig(configPath);
  let csvText: string;
  try {
    csvText = readFileSync(dataPath, 'utf8');
  } catch (error) {
    throw new DataValidationError(dataPath, [{ message: `cannot read the data file (${(error as Error).message})` }]);
  }
  return { config, panel: panelFromCsv(csvText, config, dataPath) };
}
