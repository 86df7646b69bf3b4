/**
 * How a CSV file writes its numbers, dates and cadence: what the config states, the rest detected
 * from the values. Shared by `mmm fit` (which reads the file with it) and `mmm init` (which writes it
 * into the config). Pure: a parsed table in, a format or the one issue that stops detection out.
 */
import type { CsvTable } from './csv.ts';
import type { DateFormat, DecimalSeparator, Frequency } from '../config/csv-formats.ts';
import { detectDateFormat, readDate } from './date-format.ts';
import type { DataIssue } from './errors.ts';
import { detectDecimal } from './number-format.ts';
import { detectFrequency } from './weekly-aggregation.ts';

export interface CsvFormat {
  delimiter: string;
  decimal: DecimalSeparator;
  dateFormat: DateFormat;
  frequency: Frequency;
}

/** What the config states about the format; absent fields are detected. */
export interface StatedCsvFormat {
  decimal?: DecimalSeparator;
  dateFormat?: DateFormat;
  frequency?: Frequency;
}

export type CsvFormatResolution = { format: CsvFormat; detected: (keyof CsvFormat)[] } | { issues: DataIssue[] };

/** Which columns hold the dates and which hold numbers. */
export interface FormatColumns {
  date: string;
  numeric: string[];
}

/**
 * The format of `table`: stated fields as given, the others detected from the cells of the date
 * column and the numeric columns. The delimiter is the one the table was parsed with; it counts as
 * detected unless `delimiterStated`.
 */
export function resolveCsvFormat(
  table: CsvTable,
  columns: FormatColumns,
  stated: StatedCsvFormat,
  delimiterStated: boolean,
): CsvFormatResolution {
  const index = (name: string) => table.header.indexOf(name);
  const cellsOf = (name: string) => table.rows.map((record) => ({ column: name, row: record.line, text: record.cells[index(name)] ?? '' }));
  const issues: DataIssue[] = [];
  const detected: (keyof CsvFormat)[] = delimiterStated ? [] : ['delimiter'];

  let decimal = stated.decimal;
  if (decimal === undefined) {
    detected.push('decimal');
    const detection = detectDecimal(columns.numeric.flatMap(cellsOf), table.delimiter === ';' ? ',' : '.');
    if ('issue' in detection) issues.push(detection.issue);
    else decimal = detection.decimal;
  }

  const dateCells = cellsOf(columns.date);
  let dateFormat = stated.dateFormat;
  if (dateFormat === undefined) {
    detected.push('dateFormat');
    const detection = detectDateFormat(dateCells, columns.date);
    if ('issue' in detection) issues.push(detection.issue);
    else dateFormat = detection.format;
  }
  if (decimal === undefined || dateFormat === undefined) return { issues };

  let frequency = stated.frequency;
  if (frequency === undefined) {
    detected.push('frequency');
    const format = dateFormat;
    frequency = detectFrequency(dateCells.flatMap((cell) => readDate(cell.text, format) ?? []));
  }
  return { format: { delimiter: table.delimiter, decimal, dateFormat, frequency }, detected };
}

/** "delimiter ';' (detected), decimal ',' (detected), dates DD.MM.YYYY (stated), daily (detected)" */
export function describeCsvFormat(format: CsvFormat, detected: (keyof CsvFormat)[]): string {
  const how = (key: keyof CsvFormat) => (detected.includes(key) ? 'detected' : 'from the config');
  const shown = format.delimiter === '\t' ? 'tab' : `'${format.delimiter}'`;
  return (
    `delimiter ${shown} (${how('delimiter')}), decimal '${format.decimal}' (${how('decimal')}), ` +
    `dates ${format.dateFormat} (${how('dateFormat')}), ${format.frequency} rows (${how('frequency')})`
  );
}
