/**
 * `mmm publish` through the real binary, on real fits of the PyMC example (4 chains x 300 + 300 draws,
 * seed 1: publishable; 2 chains x 20 + 20: verdict fail), into a real DuckDB file:
 * row counts equal what the run's files hold, a failed fit is recorded as rejected and not promoted,
 * publishing again changes nothing, and `mmm dashboard --export` shows the published run. A calibration
 * outside its band (the retrain workflow's other gate) is checked on publishRunDirectory directly.
 */
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { publishRunDirectory } from '../../src/run/publish-run.ts';
import { readFitSummary } from '../../src/run/run-directory.ts';
import { ALLOCATIONS_FILE, SCENARIOS_FILE, SURFACE_DIR } from '../../src/surface/surface-run.ts';
import { openWarehouse } from '../../src/warehouse/open-warehouse.ts';
import { RUN_TABLE_NAMES, RUN_TABLES, type RunTable } from '../../src/warehouse/tables.ts';
import type { Warehouse } from '../../src/warehouse/warehouse.ts';
import { FIVE_CHANNELS, randomCurveSource } from '../support/known-curve-source.ts';
import { fitPymcExample, runMmm, type MmmResult } from '../support/run-mmm.ts';

const dir = mkdtempSync(join(tmpdir(), 'mmm-publish-'));
const goodRun = join(dir, 'good');
const failedRun = join(dir, 'failed');
const warehousePath = join(dir, 'warehouse.duckdb');

async function withWarehouse<T>(use: (warehouse: Warehouse) => Promise<T>): Promise<T> {
  const warehouse = await openWarehouse({ engine: 'duckdb', path: warehousePath, schema: 'main' });
  try {
    return await use(warehouse);
  } finally {
    await warehouse.close();
  }
}

/** Rows per run table as the run directory's files hold them (the frontier is computed at publish time, so only its shape is known). */
function rowsInFiles(runDir: string): Omit<Record<RunTable, number>, 'mmm_frontier'> {
  const analysis = JSON.parse(readFileSync(join(runDir, 'analysis.json'), 'utf8')) as Record<string, unknown[]>;
  const summary = JSON.parse(readFileSync(join(runDir, 'summary.json'), 'utf8')) as {
    channels: { evidence?: unknown }[];
    experiments?: unknown[];
  };
  const lines = (file: string) =>
    readFileSync(join(runDir, SURFACE_DIR, file), 'utf8')
      .split('\n')
      .filter((l) => l.length > 0).length;
  return {
    mmm_channel_summary: analysis.channels.length,
    mmm_contributions: analysis.contributions.length,
    mmm_response_curves: analysis.responseCurves.length,
    mmm_posterior_summary: analysis.parameters.length,
    mmm_interactions: analysis.interactions.length,
    mmm_channel_evidence: summary.channels.filter((c) => c.evidence !== undefined).length,
    mmm_experiments: summary.experiments?.length ?? 0,
    mmm_surface_scenarios: lines(SCENARIOS_FILE),
    mmm_surface_allocations: lines(ALLOCATIONS_FILE),
    // The PyMC example is national: no summary by (geo, channel).
    mmm_geo_channel_summary: 0,
  };
}

/** Every run table and mmm_runs as a BI user would count them, with count(*) = count(distinct key) checked on each. */
async function warehouseState(warehouse: Warehouse) {
  const runs = await warehouse.db
    .selectFrom('mmm_runs')
    .select(['run_id', 'model_id', 'status', 'diagnostics'])
    .orderBy('run_id')
    .execute();
  const current = await warehouse.db.selectFrom('mmm_current').selectAll().execute();
  const duplicates: Record<string, number> = {};
  for (const table of RUN_TABLE_NAMES) {
    const key = ['run_id', ...RUN_TABLES[table].key].join(", '|', ");
    const { rows } = await sql<{
      n: number;
      distinct_keys: number;
    }>`select count(*) as n, count(distinct concat(${sql.raw(key)})) as distinct_keys from ${sql.table(table)}`.execute(warehouse.db);
    duplicates[table] = Number(rows[0].n) - Number(rows[0].distinct_keys);
  }
  return { runs, current, duplicates };
}

let good: MmmResult;
let goodRunId: string;

beforeAll(async () => {
  const [goodFit, failedFit] = await Promise.all([fitPymcExample(goodRun), fitPymcExample(failedRun, 2, 20)]);
  expect(goodFit.status, goodFit.stderr).toBe(0);
  expect(failedFit.status).toBe(3);
  good = await runMmm(['publish', '--run', goodRun, '--model', 'pymc', '--warehouse', warehousePath]);
  goodRunId = /^run (\S+) of model 'pymc'/.exec(good.stdout)?.[1] ?? '';
}, 600_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('mmm publish', () => {
  it('builds the missing surface, writes every run table and promotes the run', async () => {
    expect(good.status, good.stderr).toBe(0);
    // The line carries the fit's own verdict (pass or warn: a short fit of the PyMC example is near the line).
    const { verdict } = readFitSummary(goodRun).diagnostics;
    expect(good.stdout).toMatch(
      new RegExp(
        `^run pymc-good-[0-9a-f]{8} of model 'pymc' \\(verdict ${verdict}\\): [\\d,]+ rows written to duckdb .*warehouse\\.duckdb \\(surface built\\), promoted to current$`,
        'm',
      ),
    );
    expect(existsSync(join(goodRun, SURFACE_DIR, 'surface.json'))).toBe(true);
    await withWarehouse(async (warehouse) => {
      expect(await warehouse.currentRun('pymc')).toBe(goodRunId);
      const counts = await warehouse.countRunRows(goodRunId);
      const expected = rowsInFiles(goodRun);
      for (const [table, n] of Object.entries(expected)) expect(counts[table as RunTable], table).toBe(n);
      expect(expected.mmm_surface_scenarios).toBeGreaterThan(1000);
      // 41 frontier levels plus the alternatives at the current budget, one row per channel each.
      expect(counts.mmm_frontier % 2).toBe(0);
      expect(counts.mmm_frontier).toBeGreaterThanOrEqual(41 * 2);
      const state = await warehouseState(warehouse);
      expect(state.runs.map((r) => [r.run_id, r.model_id, r.status])).toEqual([[goodRunId, 'pymc', 'succeeded']]);
      expect(Object.values(state.duplicates).every((n) => n === 0)).toBe(true);
      const printed = Number(/: ([\d,]+) rows written/.exec(good.stdout)![1].replaceAll(',', ''));
      expect(printed).toBe(Object.values(counts).reduce((a, b) => a + b, 0));
    });
  });

  it('publishing the same run again replaces its rows: same counts, one mmm_runs row, still current', async () => {
    const before = await withWarehouse(async (warehouse) => ({
      counts: await warehouse.countRunRows(goodRunId),
      state: await warehouseState(warehouse),
    }));
    const again = await runMmm(['publish', '--run', goodRun, '--model', 'pymc', '--warehouse', warehousePath, '--json']);
    expect(again.status, again.stderr).toBe(0);
    expect(JSON.parse(again.stdout)).toMatchObject({
      runId: goodRunId,
      status: 'succeeded',
      promoted: true,
      surfaceBuilt: false,
      currentRun: goodRunId,
    });
    await withWarehouse(async (warehouse) => {
      expect(await warehouse.countRunRows(goodRunId)).toEqual(before.counts);
      const state = await warehouseState(warehouse);
      expect(state.runs.map((r) => r.run_id)).toEqual(before.state.runs.map((r) => r.run_id));
      expect(state.current.map((c) => c.run_id)).toEqual([goodRunId]);
      expect(Object.values(state.duplicates).every((n) => n === 0)).toBe(true);
    });
  }, 300_000);

  it('records a fit whose diagnostics failed as rejected, with no run rows, and keeps the current run (exit 3)', async () => {
    const failed = await runMmm(['publish', '--run', failedRun, '--model', 'pymc', '--warehouse', warehousePath]);
    expect(failed.status).toBe(3);
    const runId =
      /^run (pymc-failed-[0-9a-f]{8}) of model 'pymc' recorded in duckdb .* as rejected, not promoted: DiagnosticsFailedError: the fit of run 'pymc-failed-[0-9a-f]{8}' failed its diagnostics: R-hat/m.exec(
        failed.stdout,
      )?.[1];
    expect(runId, failed.stdout).toBeDefined();
    expect(failed.stdout).toContain(`the current run of 'pymc' stays ${goodRunId}`);
    expect(existsSync(join(failedRun, SURFACE_DIR))).toBe(false);
    await withWarehouse(async (warehouse) => {
      expect(await warehouse.currentRun('pymc')).toBe(goodRunId);
      expect(Object.values(await warehouse.countRunRows(runId!)).every((n) => n === 0)).toBe(true);
      const row = (await warehouseState(warehouse)).runs.find((r) => r.run_id === runId)!;
      expect(row.status).toBe('rejected');
      expect(JSON.parse(row.diagnostics)).toMatchObject({ verdict: 'fail', rejection: expect.stringMatching(/^DiagnosticsFailedError: /) });
    });
  }, 300_000);

  it('mmm dashboard --export shows the published run', async () => {
    const page = join(dir, 'dashboard.html');
    const result = await runMmm(['dashboard', '--warehouse', warehousePath, '--export', page]);
    expect(result.status, result.stderr).toBe(0);
    expect(result.stdout).toContain(`dashboard of model 'pymc', run ${goodRunId}`);
    const html = readFileSync(page, 'utf8');
    expect(html).toContain(goodRunId);
    expect(html).toContain('x1');
  }, 300_000);

  it('refuses a directory that holds no committed run (no manifest.json), naming it, writing nothing', async () => {
    const empty = mkdtempSync(join(dir, 'empty-'));
    const result = await runMmm(['publish', '--run', empty, '--model', 'pymc', '--warehouse', join(dir, 'untouched.duckdb')]);
    expect(result.status).toBe(1);
    expect(result.stderr).toContain(`${empty} holds no committed run (no manifest.json`);
    expect(existsSync(join(dir, 'untouched.duckdb'))).toBe(false);
  }, 300_000);
});

describe('publishRunDirectory', () => {
  it('records a run whose calibration falls outside its band as rejected, as the retrain workflow does', async () => {
    const copy = join(dir, 'miscalibrated');
    cpSync(goodRun, copy, { recursive: true });
    rmSync(join(copy, SURFACE_DIR), { recursive: true, force: true });
    // A real response source whose observed total is 1.5 x what its curves model: k = 1.5, outside [0.8, 1.25].
    const source = randomCurveSource({ channels: FIVE_CHANNELS, nDraws: 100, seed: 4, calibrationFactor: 1.5 });
    const identity = {
      runId: 'pymc-miscalibrated',
      modelId: 'pymc',
      createdAt: '2026-11-29T00:00:00.000Z',
      finishedAt: '2026-11-29T00:00:01.000Z',
    };
    const published = await withWarehouse((warehouse) =>
      publishRunDirectory(warehouse, copy, identity, { promote: true, loadSource: async () => source }),
    );
    expect(published).toMatchObject({ status: 'rejected', promoted: false, rows: 0, surfaceBuilt: false });
    expect(published.rejection).toMatch(/^CalibrationError: calibration factor k = 1\.500 is outside the band \[0\.8, 1\.25\]/);
    expect(existsSync(join(copy, SURFACE_DIR, 'surface.json'))).toBe(false);
    await withWarehouse(async (warehouse) => {
      expect(await warehouse.currentRun('pymc')).toBe(goodRunId);
      const row = await warehouse.db
        .selectFrom('mmm_runs')
        .select(['status', 'config'])
        .where('run_id', '=', 'pymc-miscalibrated')
        .executeTakeFirstOrThrow();
      expect(row.status).toBe('rejected');
      expect(JSON.parse(row.config)).toMatchObject({ data: { kpi: 'y' } });
    });
  }, 300_000);
});
