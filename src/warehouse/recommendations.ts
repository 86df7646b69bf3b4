/** Validation of one optimisation request's rows (mmm_recommendations or, by market, mmm_geo_recommendations) before they are written. */
import { z } from 'zod';
import { RowsRefusedError } from './run-results.ts';
import { type GeoRecommendationRow, OUTPUT_TABLES, type RecommendationRow } from './tables.ts';

/** The tables an optimisation request writes, each one request_id's slice at a time. */
export type RequestTable = 'mmm_recommendations' | 'mmm_geo_recommendations';
export type RequestRows =
  { table: 'mmm_recommendations'; rows: RecommendationRow[] } | { table: 'mmm_geo_recommendations'; rows: GeoRecommendationRow[] };

/** One request's rows of `table`: a single request_id, keys unique. */
function requestRowsSchema<S extends z.ZodObject>(table: RequestTable, schema: S) {
  const { key } = OUTPUT_TABLES[table];
  return z
    .array(schema)
    .min(1)
    .superRefine((rows: Record<string, unknown>[], ctx) => {
      const requestId = rows[0]?.request_id;
      const seen = new Set<string>();
      rows.forEach((row, i) => {
        if (row.request_id !== requestId)
          ctx.addIssue({
            code: 'custom',
            path: [i, 'request_id'],
            message: `request_id '${String(row.request_id)}' differs from the first row's '${String(requestId)}'`,
          });
        const rowKey = key
          .filter((column) => column !== 'request_id')
          .map((column) => `${column}=${String(row[column])}`)
          .join(', ');
        if (seen.has(rowKey)) ctx.addIssue({ code: 'custom', path: [i], message: `duplicate key (${rowKey}) in ${table}` });
        seen.add(rowKey);
      });
    });
}

/** The rows of one request (one request_id), keys unique; throws RowsRefusedError otherwise. */
export function parseRecommendations(rows: unknown): RecommendationRow[] {
  const parsed = requestRowsSchema('mmm_recommendations', OUTPUT_TABLES.mmm_recommendations.schema).safeParse(rows);
  if (!parsed.success) throw new RowsRefusedError('mmm_recommendations rows', parsed.error.issues);
  return parsed.data;
}

/** As parseRecommendations, for a request by market. */
export function parseGeoRecommendations(rows: unknown): GeoRecommendationRow[] {
  const parsed = requestRowsSchema('mmm_geo_recommendations', OUTPUT_TABLES.mmm_geo_recommendations.schema).safeParse(rows);
  if (!parsed.success) throw new RowsRefusedError('mmm_geo_recommendations rows', parsed.error.issues);
  return parsed.data;
}
