/**
 * Validation of one optimisation request's rows (mmm_recommendations with mmm_recommendation_evidence or, by
 * market, mmm_geo_recommendations) before they are written.
 */
import { z } from 'zod';
import { RowsRefusedError } from './run-results.ts';
import { type GeoRecommendationRow, OUTPUT_TABLES, type RecommendationEvidenceRow, type RecommendationRow } from './tables.ts';

/** The tables an optimisation request writes, each one request_id's slice at a time. */
export type RequestTable = 'mmm_recommendations' | 'mmm_recommendation_evidence' | 'mmm_geo_recommendations';
/** One table's rows of a request; empty rows remove what an earlier attempt wrote there. */
export type RequestRows =
  | { table: 'mmm_recommendations'; rows: RecommendationRow[] }
  | { table: 'mmm_recommendation_evidence'; rows: RecommendationEvidenceRow[] }
  | { table: 'mmm_geo_recommendations'; rows: GeoRecommendationRow[] };

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

/**
 * The evidence rows of a request whose recommendation rows are `rows`: none, or exactly one per recommendation
 * row (same request_id, run_id, rank and channel); throws RowsRefusedError otherwise.
 */
export function parseRecommendationEvidence(evidence: unknown, rows: readonly RecommendationRow[]): RecommendationEvidenceRow[] {
  if (Array.isArray(evidence) && evidence.length === 0) return [];
  const keyOf = (row: { rank: number; channel: string }) => `rank=${row.rank}, channel=${row.channel}`;
  const expected = new Map(rows.map((row) => [keyOf(row), row]));
  const parsed = requestRowsSchema('mmm_recommendation_evidence', OUTPUT_TABLES.mmm_recommendation_evidence.schema)
    .superRefine((evidenceRows, ctx) => {
      evidenceRows.forEach((row, i) => {
        const recommendation = expected.get(keyOf(row));
        if (!recommendation)
          ctx.addIssue({ code: 'custom', path: [i], message: `(${keyOf(row)}) is not a row of the request's mmm_recommendations` });
        else if (row.request_id !== recommendation.request_id || row.run_id !== recommendation.run_id)
          ctx.addIssue({
            code: 'custom',
            path: [i],
            message: `request_id '${row.request_id}' / run_id '${row.run_id}' differ from the recommendation row's '${recommendation.request_id}' / '${recommendation.run_id}'`,
          });
      });
      if (evidenceRows.length !== rows.length)
        ctx.addIssue({ code: 'custom', path: [], message: `${evidenceRows.length} evidence rows for ${rows.length} recommendation rows` });
    })
    .safeParse(evidence);
  if (!parsed.success) throw new RowsRefusedError('mmm_recommendation_evidence rows', parsed.error.issues);
  return parsed.data;
}

/** As parseRecommendations, for a request by market. */
export function parseGeoRecommendations(rows: unknown): GeoRecommendationRow[] {
  const parsed = requestRowsSchema('mmm_geo_recommendations', OUTPUT_TABLES.mmm_geo_recommendations.schema).safeParse(rows);
  if (!parsed.success) throw new RowsRefusedError('mmm_geo_recommendations rows', parsed.error.issues);
  return parsed.data;
}
