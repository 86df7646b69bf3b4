/** Validation of one optimisation request's rows before they are written. */
import { z } from 'zod';
import { RowsRefusedError } from './run-results.ts';
import { OUTPUT_TABLES, type RecommendationRow } from './tables.ts';

const requestRowsSchema = z
  .array(OUTPUT_TABLES.mmm_recommendations.schema)
  .min(1)
  .superRefine((rows, ctx) => {
    const requestId = rows[0]?.request_id;
    const seen = new Set<string>();
    rows.forEach((row, i) => {
      if (row.request_id !== requestId)
        ctx.addIssue({
          code: 'custom',
          path: [i, 'request_id'],
          message: `request_id '${row.request_id}' differs from the first row's '${requestId}'`,
        });
      const key = `rank=${row.rank}, channel=${row.channel}`;
      if (seen.has(key)) ctx.addIssue({ code: 'custom', path: [i], message: `duplicate key (${key}) in mmm_recommendations` });
      seen.add(key);
    });
  });

/** The rows of one request (one request_id), keys unique; throws RowsRefusedError otherwise. */
export function parseRecommendations(rows: unknown): RecommendationRow[] {
  const parsed = requestRowsSchema.safeParse(rows);
  if (!parsed.success) throw new RowsRefusedError('mmm_recommendations rows', parsed.error.issues);
  return parsed.data;
}
