/**
 * A DuckDB warehouse holding a real geo model's current run: the short 4-geo fit of Meridian's data
 * (meridian-geos.ts), its surface built by `mmm surface` (100 draws), published and promoted by `mmm publish`
 * (which writes its channel summary per (geo, channel) pair), and one request by market answered by the
 * optimize workflow's activity, which writes its plan to mmm_geo_recommendations.
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createOptimizeActivities } from '../../activities/optimize.ts';
import type { OptimizeResult } from '../../src/workflow-contracts/contracts.ts';
import { writeShortGeoFit } from './meridian-geos.ts';
import { REPO_ROOT } from './reference-data.ts';
import { runMmm } from './run-mmm.ts';

export interface GeoWarehouse {
  /** Holds warehouse.duckdb (so `mmm dashboard --dir DIR` reads it) and runs/<run id>/. */
  dir: string;
  modelId: string;
  runId: string;
  /** The answered request by market. */
  optimum: OptimizeResult;
  remove(): void;
}

/** Geo,country,region of Meridian's 40 geos: 2 countries, 10 regions (the 4 geos here are each in their own region). */
export const MERIDIAN_GEO_GROUPS = join(REPO_ROOT, 'test/fixtures/data/meridian-geo-groups.csv');

/** Time a caller's beforeAll should allow: the fit takes a few minutes on a loaded 2-core machine. */
export const GEO_WAREHOUSE_TIMEOUT_MS = 900_000;

export async function populateGeoWarehouse(): Promise<GeoWarehouse> {
  const dir = mkdtempSync(join(tmpdir(), 'mmm-geo-warehouse-'));
  const modelId = 'markets';
  const runId = 'markets-geo-fit';
  const runsDir = join(dir, 'runs');
  const runDir = join(runsDir, runId);
  const warehouse = { engine: 'duckdb' as const, path: join(dir, 'warehouse.duckdb'), schema: 'main' };
  try {
    const summary = await writeShortGeoFit(runDir);
    if (summary.diagnostics.verdict === 'fail')
      throw new Error(`the short geo fit failed its diagnostics: ${summary.diagnostics.reasons.join('; ')}`);
    for (const args of [
      ['surface', '--run', runDir, '--max-draws', '100'],
      ['publish', '--run', runDir, '--model', modelId, '--run-id', runId, '--warehouse', warehouse.path],
    ]) {
      const result = await runMmm(args);
      if (result.status !== 0) throw new Error(`mmm ${args[0]} exited with ${result.status}: ${result.stderr}`);
    }
    mkdirSync(join(dir, 'dbt'), { recursive: true });
    const activities = createOptimizeActivities({ warehouse, runsDir, dbtWorkDir: join(dir, 'dbt') });
    // Every geo within 80-120% of its current spend: the plan moves budget between markets.
    const within = (share: string) => Object.fromEntries(['Geo0', 'Geo1', 'Geo2', 'Geo3'].map((geo) => [geo, share]));
    const optimum = await activities.optimizeFromSurface({
      modelId,
      requestId: 'markets-by-geo',
      by: 'geo',
      geoMin: within('80%'),
      geoMax: within('120%'),
    });
    return { dir, modelId, runId, optimum, remove: () => rmSync(dir, { recursive: true, force: true }) };
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
}
