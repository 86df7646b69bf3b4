/**
 * The experiments CSV of `mmm fit --experiments FILE` (DESIGN.md section 9, "Experiments"): one row per lift
 * test, header `experiment_id,channel,geo,start,end,incremental_outcome,standard_error,spend` and optionally
 * `counterfactual_spend` (default 0) and `outcome_type` (`revenue` or `kpi`). An empty geo is a national test.
 * Dates are ISO (yyyy-mm-dd); numbers use a decimal point. Each row goes through the experiment schema
 * (src/config/experiment-config.ts); every problem names its line and column. The checks against the data
 * follow in resolve-experiments.ts.
 */
import { experimentSchema, type Experiment } from '../config/experiment-config.ts';
import { CsvSyntaxError, parseCsv, type CsvTable } from './csv.ts';
import { DataValidationError, type DataIssue } from './errors.ts';
import { parseNumber } from './number-format.ts';

/** CSV column -> schema field. */
const REQUIRED_COLUMNS = {
  experiment_id: 'id',
  channel: 'channel',
  geo: 'geo',
  start: 'start',
  end: 'end',
  incremental_outcome: 'incrementalOutcome',
  standard_error: 'standardError',
  spend: 'spend',
} as const;
const OPTIONAL_COLUMNS = { counterfactual_spend: 'counterfactualSpend', outcome_type: 'outcomeType' } as const;
const COLUMNS: Record<string, string> = { ...REQUIRED_COLUMNS, ...OPTIONAL_COLUMNS };
const NUMERIC = new Set(['incremental_outcome', 'standard_error', 'spend', 'counterfactual_spend']);
const columnOfField = new Map(Object.entries(COLUMNS).map(([column, field]) => [field, column]));

export interface ExperimentsFile {
  experiments: Experiment[];
  /** The CSV line of each experiment, for the checks against the data. */
  rows: number[];
}

/** Reads and checks the experiments CSV text; throws a DataValidationError naming every bad row and column. */
export function experimentsFromCsv(text: string, source: string): ExperimentsFile {
  let table: CsvTable;
  try {
    table = parseCsv(text, source);
  } catch (error) {
    if (error instanceof CsvSyntaxError)
      throw new DataValidationError(source, [{ row: error.line, message: `CSV syntax: ${error.detail}` }]);
    throw error;
  }
  const header = table.header.map((name) => name.trim());
  const issues: DataIssue[] = [];
  for (const column of Object.keys(REQUIRED_COLUMNS)) {
    if (!header.includes(column))
      issues.push({
        column,
        message: `column not found in the header; an experiments file has ${Object.keys(REQUIRED_COLUMNS).join(',')}`,
      });
  }
  for (const column of header) {
    if (!(column in COLUMNS))
      issues.push({ column, message: `unknown column; the optional columns are ${Object.keys(OPTIONAL_COLUMNS).join(', ')}` });
  }
  if (issues.length > 0) throw new DataValidationError(source, issues);

  const experiments: Experiment[] = [];
  const rows: number[] = [];
  for (const record of table.rows) {
    if (record.cells.length !== header.length) {
      issues.push({ row: record.line, message: `${record.cells.length} fields, but the header has ${header.length}` });
      continue;
    }
    const fields: Record<string, string | number | null> = {};
    header.forEach((column, i) => {
      const text = record.cells[i].trim();
      if (text === '') {
        if (column === 'geo') fields.geo = null;
        return;
      }
      fields[COLUMNS[column]] = NUMERIC.has(column) ? parseNumber(text, '.') : text;
    });
    const parsed = experimentSchema.safeParse(fields);
    if (!parsed.success) {
      for (const problem of parsed.error.issues) {
        const field = String(problem.path[0] ?? '');
        const column = columnOfField.get(field) ?? field;
        const index = header.indexOf(column);
        const value = index === -1 ? undefined : record.cells[index];
        const described = value === undefined || value.trim() === '' ? 'missing' : `'${value}'`;
        issues.push({ column, row: record.line, value, message: `${described}: ${problem.message}` });
      }
      continue;
    }
    experiments.push(parsed.data);
    rows.push(record.line);
  }
  if (issues.length > 0) throw new DataValidationError(source, issues);
  if (experiments.length === 0) throw new DataValidationError(source, [{ message: 'the file holds no experiments' }]);
  return { experiments, rows };
}
