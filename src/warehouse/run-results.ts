/**
 * What the model and decision layers hand to the warehouse: one run's row of mmm_runs and the rows
 * of every run table. Validated before anything is written, so a bad hand-over writes nothing.
 */
import { z } from 'zod';
import { type MmmRunRow, OUTPUT_TABLES, RUN_TABLE_NAMES, RUN_TABLES, type RunTable } from './tables.ts';

/** The run as the caller describes it: config, diagnostics and fit metrics as JSON values. */
export const runInputSchema = OUTPUT_TABLES.mmm_runs.schema
  .omit({ published_at: true, config: true, diagnostics: true, fit_metrics: true })
  .extend({
    config: z.json(),
    diagnostics: z.json(),
    fit_metrics: z.json(),
  })
  .strict();

type RunTableRows = { [T in RunTable]: z.ZodArray<(typeof RUN_TABLES)[T]['schema']> };
/** The run's row and the rows of every run table. */
const runResultsShape = z
  .object({
    run: runInputSchema,
    ...(Object.fromEntries(RUN_TABLE_NAMES.map((table) => [table, z.array(RUN_TABLES[table].schema)])) as RunTableRows),
  })
  .strict();

/** Every row belongs to the run, and no table holds a key twice. */
export const runResultsSchema = runResultsShape.superRefine((results, ctx) => {
  const runId = results.run.run_id;
  for (const table of RUN_TABLE_NAMES) {
    const keyColumns: readonly string[] = RUN_TABLES[table].key;
    const seen = new Map<string, number>();
    results[table].forEach((row: Record<string, unknown>, index) => {
      if (row.run_id !== runId) {
        ctx.addIssue({
          code: 'custom',
          path: [table, index, 'run_id'],
          message: `run_id '${String(row.run_id)}' differs from the run's '${runId}'`,
        });
      }
      const key = keyColumns.map((column) => `${column}=${String(row[column])}`).join(', ');
      const first = seen.get(key);
      if (first !== undefined) {
        ctx.addIssue({ code: 'custom', path: [table, index], message: `duplicate key (${key}), first at row ${first}` });
      } else {
        seen.set(key, index);
      }
    });
  }
});

export type RunInput = z.infer<typeof runInputSchema>;
export type RunResults = z.infer<typeof runResultsSchema>;

/** Rows handed to the warehouse that do not meet the table contract; nothing was written. */
export class RowsRefusedError extends Error {
  constructor(
    readonly subject: string,
    readonly issues: z.core.$ZodIssue[],
  ) {
    const listed = issues.slice(0, 10).map((issue) => `  - ${issue.path.join('.') || '(root)'}: ${issue.message}`);
    if (issues.length > 10) listed.push(`  ... and ${issues.length - 10} more`);
    super(`${subject} refused (${issues.length} problem${issues.length === 1 ? '' : 's'}):\n${listed.join('\n')}`);
    this.name = 'RowsRefusedError';
  }
}

/** Validates a hand-over; throws RowsRefusedError naming table, row and value of every problem. */
export function parseRunResults(input: unknown): RunResults {
  const parsed = runResultsSchema.safeParse(input);
  if (!parsed.success) throw new RowsRefusedError('run results', parsed.error.issues);
  return parsed.data;
}

/** The mmm_runs row of a run, with JSON documents as text and no publication time yet. */
export function runRow(run: RunInput): MmmRunRow {
  return {
    ...run,
    config: JSON.stringify(run.config),
    diagnostics: JSON.stringify(run.diagnostics),
    fit_metrics: JSON.stringify(run.fit_metrics),
    published_at: null,
  };
}

/** The run tables of a run that has no rows in them (a rejected run). */
export const emptyRunTables = (): { [T in RunTable]: [] } =>
  Object.fromEntries(RUN_TABLE_NAMES.map((table) => [table, []])) as { [T in RunTable]: [] };

export const rowCounts = (results: RunResults): Record<RunTable, number> =>
  Object.fromEntries(RUN_TABLE_NAMES.map((table) => [table, results[table].length])) as Record<RunTable, number>;
