/**
 * bi/tableau/mmm.tds: its tables are the BI views, every column it describes exists in the migrated
 * DuckDB views with a matching type (and every view column is described), and its relationships,
 * calculated fields and data-source filter refer to columns it describes.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { XMLParser } from 'fast-xml-parser';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { z } from 'zod';
import { BI_VIEW_NAMES } from '../../src/warehouse/bi-views.ts';
import { REPO_ROOT } from '../support/reference-data.ts';
import { duckdbHarness, type WarehouseHarness } from '../warehouse/support/harness.ts';

const relationSchema = z.object({ connection: z.string(), name: z.string(), table: z.string(), type: z.literal('table') });
const expressionSchema = z.object({ op: z.string() });
const tdsSchema = z.object({
  datasource: z.object({
    connection: z.object({
      'named-connections': z.object({
        'named-connection': z.array(
          z.object({ name: z.string(), connection: z.object({ class: z.literal('bigquery'), schema: z.string() }) }),
        ),
      }),
      relation: z.object({ type: z.literal('collection'), relation: z.array(relationSchema) }),
      'metadata-records': z.object({
        'metadata-record': z.array(
          z.object({
            class: z.literal('column'),
            'remote-name': z.string(),
            'local-name': z.string(),
            'parent-name': z.string(),
            'local-type': z.string(),
          }),
        ),
      }),
    }),
    column: z.array(z.object({ name: z.string(), caption: z.string(), calculation: z.object({ formula: z.string() }) })),
    filter: z.array(z.object({ column: z.string(), groupfilter: z.object({ member: z.string() }) })),
    'object-graph': z.object({
      objects: z.object({ object: z.array(z.object({ id: z.string(), properties: z.object({ relation: relationSchema }) })) }),
      relationships: z.object({
        relationship: z.array(
          z.object({
            expression: z.object({ op: z.literal('='), expression: z.array(expressionSchema).length(2) }),
            'first-end-point': z.object({ 'object-id': z.string() }),
            'second-end-point': z.object({ 'object-id': z.string() }),
          }),
        ),
      }),
    }),
  }),
});

/** Elements read as lists, by path. */
const LIST_PATHS = new Set([
  'datasource.connection.named-connections.named-connection',
  'datasource.connection.relation.relation',
  'datasource.connection.metadata-records.metadata-record',
  'datasource.column',
  'datasource.filter',
  'datasource.object-graph.objects.object',
  'datasource.object-graph.relationships.relationship',
  'datasource.object-graph.relationships.relationship.expression.expression',
]);
/** Tableau's local types for the DuckDB types of the views. */
const LOCAL_TYPE: Record<string, string> = {
  VARCHAR: 'string',
  DOUBLE: 'real',
  BIGINT: 'integer',
  INTEGER: 'integer',
  BOOLEAN: 'boolean',
  DATE: 'date',
  'TIMESTAMP WITH TIME ZONE': 'datetime',
};
const unbracket = (name: string) => name.replace(/^\[|\]$/g, '');

describe('Tableau data source (bi/tableau/mmm.tds)', () => {
  const parser = new XMLParser({
    ignoreAttributes: false,
    attributeNamePrefix: '',
    isArray: (_name, path) => LIST_PATHS.has(String(path)),
    parseTagValue: false,
  });
  const tds = tdsSchema.parse(parser.parse(readFileSync(join(REPO_ROOT, 'bi/tableau/mmm.tds'), 'utf8'))).datasource;
  const records = tds.connection['metadata-records']['metadata-record'];
  const localNames = new Map(records.map((r) => [unbracket(r['local-name']), r]));
  let h: WarehouseHarness;
  let viewColumns: Map<string, Map<string, string>>;

  beforeAll(async () => {
    h = await duckdbHarness();
    const tables = await h.warehouse.db.introspection.getTables();
    viewColumns = new Map(tables.filter((t) => t.isView).map((t) => [t.name, new Map(t.columns.map((c) => [c.name, c.dataType]))]));
  });
  afterAll(async () => {
    await h?.stop();
  });

  test('its tables are the BI views, on the named BigQuery connection', () => {
    const [named] = tds.connection['named-connections']['named-connection'];
    const relations = tds.connection.relation.relation;
    expect(relations.map((r) => r.name)).toEqual(BI_VIEW_NAMES);
    for (const r of relations) {
      expect(r.table).toBe(`[${named.connection.schema}].[${r.name}]`);
      expect(r.connection).toBe(named.name);
    }
  });

  test('every described column exists in its view with a matching type, and every view column is described', () => {
    for (const record of records) {
      const view = unbracket(record['parent-name']);
      const type = viewColumns.get(view)?.get(record['remote-name']);
      expect(type, `${view}.${record['remote-name']}`).toBeDefined();
      expect(record['local-type'], `${view}.${record['remote-name']} (${type})`).toBe(LOCAL_TYPE[type ?? '']);
    }
    for (const view of BI_VIEW_NAMES) {
      const described = records.filter((r) => r['parent-name'] === `[${view}]`).map((r) => r['remote-name']);
      expect(described, view).toEqual([...(viewColumns.get(view)?.keys() ?? [])]);
    }
    expect(localNames.size).toBe(records.length);
  });

  test('relationships join every view to v_bi_runs on run_id', () => {
    const objects = new Map(tds['object-graph'].objects.object.map((o) => [o.id, o.properties.relation.name]));
    const relationships = tds['object-graph'].relationships.relationship;
    expect(relationships.map((r) => objects.get(r['second-end-point']['object-id'])).sort()).toEqual(
      BI_VIEW_NAMES.filter((v) => v !== 'v_bi_runs').sort(),
    );
    for (const r of relationships) {
      expect(objects.get(r['first-end-point']['object-id'])).toBe('v_bi_runs');
      const [left, right] = r.expression.expression.map((e) => localNames.get(unbracket(e.op)));
      expect([left?.['parent-name'], left?.['remote-name']]).toEqual(['[v_bi_runs]', 'run_id']);
      expect([right?.['parent-name'], right?.['remote-name']]).toEqual([`[${objects.get(r['second-end-point']['object-id'])}]`, 'run_id']);
    }
  });

  test('calculated fields are ratios of sums over described columns; the filter keeps the current run', () => {
    for (const column of tds.column) {
      const references = [...column.calculation.formula.matchAll(/\[([^\]]+)\]/g)].map((m) => m[1]);
      expect(references.length, column.caption).toBeGreaterThan(0);
      for (const reference of references) expect(localNames.has(reference), `${column.caption}: [${reference}]`).toBe(true);
      expect(column.calculation.formula, column.caption).toMatch(/^SUM\(.+\) \/ SUM\(.+\)$/);
    }
    const roi = tds.column.find((c) => c.caption === 'ROI (ratio of sums)');
    expect(roi?.calculation.formula).toBe('SUM([incremental_outcome_mean]) / SUM([spend])');
    expect(tds.filter.map((f) => [f.column, f.groupfilter.member])).toEqual([['[is_current]', 'true']]);
    expect(localNames.get('is_current')?.['parent-name']).toBe('[v_bi_runs]');
    expect(localNames.get('is_current')?.['local-type']).toBe('boolean');
  });
});
