/**
 * Geo groups (DESIGN.md section 9, "Markets"): which country and region each geo belongs to, as the dbt
 * seed `geo_groups` (geo, country, region) holds them. A geo-level plan is constrained and reported per
 * market, a market being a geo (the default) or a group of geos (`--group country|region`).
 */
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { parseCsv } from '../data/csv.ts';

export const GROUPINGS = ['geo', 'country', 'region'] as const;
export const groupingSchema = z.enum(GROUPINGS);
export type Grouping = z.infer<typeof groupingSchema>;

export const geoGroupRowSchema = z.object({ geo: z.string().min(1), country: z.string().min(1), region: z.string().min(1) }).strict();
export type GeoGroupRow = z.infer<typeof geoGroupRowSchema>;

export class GeoGroupsError extends Error {
  override readonly name = 'GeoGroupsError';
}

/** The geo-group rows of a CSV in the seed's layout (header geo,country,region), validated: one row per geo. */
export function readGeoGroups(path: string): GeoGroupRow[] {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new GeoGroupsError(`${path}: cannot read the geo groups (${(error as Error).message})`);
  }
  const table = parseCsv(text, path);
  const columns = ['geo', 'country', 'region'].map((name) => {
    const index = table.header.indexOf(name);
    if (index < 0) throw new GeoGroupsError(`${path}: no column '${name}'; geo groups need the columns geo, country, region`);
    return index;
  });
  const seen = new Set<string>();
  return table.rows.map((record) => {
    const [geo, country, region] = columns.map((i) => (record.cells[i] ?? '').trim());
    const parsed = geoGroupRowSchema.safeParse({ geo, country, region });
    if (!parsed.success) throw new GeoGroupsError(`${path}: line ${record.line}: geo, country and region must all be given`);
    if (seen.has(geo)) throw new GeoGroupsError(`${path}: line ${record.line}: geo '${geo}' is listed twice`);
    seen.add(geo);
    return parsed.data;
  });
}

/** The markets of a plan: names, and the market of each of the run's geos. */
export interface MarketPartition {
  grouping: Grouping;
  names: string[];
  /** Market index of each geo (in the run's geo order). */
  marketOfGeo: number[];
}

/**
 * The partition of the run's geos into markets: each geo its own under 'geo', else by the rows' country or
 * region. Every geo of the run must have a row (the geo is named otherwise); rows for other geos are ignored.
 */
export function marketPartition(geos: readonly string[], grouping: Grouping, rows: readonly GeoGroupRow[] = []): MarketPartition {
  if (grouping === 'geo') return { grouping, names: [...geos], marketOfGeo: geos.map((_, g) => g) };
  const byGeo = new Map(rows.map((row) => [row.geo, row[grouping]]));
  const names: string[] = [];
  const marketOfGeo = geos.map((geo) => {
    const name = byGeo.get(geo);
    if (name === undefined) throw new GeoGroupsError(`geo '${geo}' has no row in the geo groups, so it has no ${grouping}`);
    if (!names.includes(name)) names.push(name);
    return names.indexOf(name);
  });
  return { grouping, names, marketOfGeo };
}
