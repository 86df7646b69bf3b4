/**
 * One answered plan's rows (the plan tables of tables.ts), validated before they are written: every row
 * of the one plan_id and run, no key twice, every scenario's allocations and the plan's weekly rows there.
 */
import { z } from 'zod';
import { RowsRefusedError } from './run-results.ts';
import { PLAN_TABLE_NAMES, PLAN_TABLES, type PlanTable, type TableRow } from './tables.ts';

type PlanTableArrays = { [T in PlanTable]: z.ZodArray<(typeof PLAN_TABLES)[T]['schema']> };

export const planTableRowsSchema = z
  .object(Object.fromEntries(PLAN_TABLE_NAMES.map((table) => [table, z.array(PLAN_TABLES[table].schema).min(1)])) as PlanTableArrays)
  .strict()
  .superRefine((rows, ctx) => {
    const { plan_id: planId, run_id: runId } = rows.mmm_plan_scenarios[0] ?? { plan_id: '', run_id: '' };
    for (const table of PLAN_TABLE_NAMES) {
      const key: readonly string[] = PLAN_TABLES[table].key;
      const seen = new Set<string>();
      rows[table].forEach((row: Record<string, unknown>, i) => {
        for (const [column, expected] of [
          ['plan_id', planId],
          ['run_id', runId],
        ] as const) {
          if (row[column] !== expected)
            ctx.addIssue({
              code: 'custom',
              path: [table, i, column],
              message: `${column} '${String(row[column])}' differs from the plan's '${expected}'`,
            });
        }
        const id = key.map((column) => `${column}=${String(row[column])}`).join(', ');
        if (seen.has(id)) ctx.addIssue({ code: 'custom', path: [table, i], message: `duplicate key (${id}) in ${table}` });
        seen.add(id);
      });
    }
  });

export type PlanTableRows = { [T in PlanTable]: TableRow<T>[] };

/** The rows of one plan; throws RowsRefusedError otherwise. */
export function parsePlanRows(rows: unknown): PlanTableRows {
  const parsed = planTableRowsSchema.safeParse(rows);
  if (!parsed.success) throw new RowsRefusedError('plan rows', parsed.error.issues);
  return parsed.data;
}
