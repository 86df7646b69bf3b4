/**
 * Validation of one optimisation request's rows (mmm_recommendations with mmm_recommendation_evidence or, by
 * market, mmm_geo_recommendations with mmm_geo_recommendation_evidence) before they are written.
 */
import { z } from 'zod';
import { RowsRefusedError } from './run-results.ts';
import {
  type GeoRecommendationEvidenceRow,
  type GeoRecommendationRow,
  OUTPUT_TABLES,
  type RecommendationEvidenceRow,
  type RecommendationRow,
} from './tables.ts';

/** The tables an optimisation request writes, each one request_id's slice at a time. */
export type RequestTable =
  'mmm_recommendations' | 'mmm_recommendation_evidence' | 'mmm_geo_recommendations' | 'mmm_geo_recommendation_evidence';
/** One table's rows of a request; empty rows remove what an earlier attempt wrote there. */
export type RequestRows =
  | { table: 'mmm_recommendations'; rows: RecommendationRow[] }
  | { table: 'mmm_recommendation_evidence'; rows: RecommendationEvidenceRow[] }
  | { table: 'mmm_geo_recommendations'; rows: GeoRecommendationRow[] }
  | { table: 'mmm_geo_recommendation_evidence'; rows: GeoRecommendationEvidenceRow[] };

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

/** An evidence table and the recommendation table whose rows it annotates, one evidence row per recommendation row. */
type EvidenceOf =
  | { evidence: 'mmm_recommendation_evidence'; of: 'mmm_recommendations' }
  | { evidence: 'mmm_geo_recommendation_evidence'; of: 'mmm_geo_recommendations' };
type RowOf<T extends RequestTable> = Extract<RequestRows, { table: T }>['rows'][number];

/**
 * The evidence rows of a request whose recommendation rows are `rows`: none, or exactly one per recommendation
 * row (same request_id, run_id and key: rank and channel, by market also geo); throws RowsRefusedError otherwise.
 */
function parseEvidence<E extends EvidenceOf>(tables: E, evidence: unknown, rows: readonly RowOf<E['of']>[]): RowOf<E['evidence']>[] {
  if (Array.isArray(evidence) && evidence.length === 0) return [];
  const key = OUTPUT_TABLES[tables.evidence].key.filter((column) => column !== 'request_id');
  const keyOf = (row: Record<string, unknown>) => key.map((column) => `${column}=${String(row[column])}`).join(', ');
  const expected = new Map(rows.map((row) => [keyOf(row), row]));
  const parsed = requestRowsSchema(tables.evidence, OUTPUT_TABLES[tables.evidence].schema)
    .superRefine((evidenceRows: Record<string, unknown>[], ctx) => {
      evidenceRows.forEach((row, i) => {
        const recommendation = expected.get(keyOf(row));
        if (!recommendation)
          ctx.addIssue({ code: 'custom', path: [i], message: `(${keyOf(row)}) is not a row of the request's ${tables.of}` });
        else if (row.request_id !== recommendation.request_id || row.run_id !== recommendation.run_id)
          ctx.addIssue({
            code: 'custom',
            path: [i],
            message: `request_id '${String(row.request_id)}' / run_id '${String(row.run_id)}' differ from the recommendation row's '${recommendation.request_id}' / '${recommendation.run_id}'`,
          });
      });
      if (evidenceRows.length !== rows.length)
        ctx.addIssue({ code: 'custom', path: [], message: `${evidenceRows.length} evidence rows for ${rows.length} recommendation rows` });
    })
    .safeParse(evidence);
  if (!parsed.success) throw new RowsRefusedError(`${tables.evidence} rows`, parsed.error.issues);
  return parsed.data as RowOf<E['evidence']>[];
}

/** The evidence rows of a request whose mmm_recommendations rows are `rows` (parseEvidence). */
export const parseRecommendationEvidence = (evidence: unknown, rows: readonly RecommendationRow[]): RecommendationEvidenceRow[] =>
  parseEvidence({ evidence: 'mmm_recommendation_evidence', of: 'mmm_recommendations' }, evidence, rows);

/** The evidence rows of a request by market whose mmm_geo_recommendations rows are `rows` (parseEvidence). */
export const parseGeoRecommendationEvidence = (evidence: unknown, rows: readonly GeoRecommendationRow[]): GeoRecommendationEvidenceRow[] =>
  parseEvidence({ evidence: 'mmm_geo_recommendation_evidence', of: 'mmm_geo_recommendations' }, evidence, rows);

/** As parseRecommendations, for a request by market. */
export function parseGeoRecommendations(rows: unknown): GeoRecommendationRow[] {
  const parsed = requestRowsSchema('mmm_geo_recommendations', OUTPUT_TABLES.mmm_geo_recommendations.schema).safeParse(rows);
  if (!parsed.success) throw new RowsRefusedError('mmm_geo_recommendations rows', parsed.error.issues);
  return parsed.data;
}
