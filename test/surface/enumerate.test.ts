import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { score } from '../../src/explore/score.ts';
import { enumerateSurface, type SurfaceTables } from '../../src/surface/enumerate.ts';
import { surfaceAllocationRowSchema, surfaceScenarioRowSchema } from '../../src/surface/rows.ts';
import { designMixes, spendForBudget, surfaceDesignSchema } from '../../src/surface/scenario-design.ts';
import {
  assembleSurface,
  buildSurfaceRun,
  enumerateSurfaceChunk,
  prepareSurface,
  readSurfaceDirectory,
  SurfaceChunkError,
  type SurfaceRunSummary,
} from '../../src/surface/surface-run.ts';
import { calibratedRun, FIVE_CHANNELS, randomCurveSource } from '../support/known-curve-source.ts';

const source = randomCurveSource({ channels: FIVE_CHANNELS, nDraws: 200, seed: 21 });
const run = calibratedRun(source);
const design = surfaceDesignSchema.parse({});
const H = run.curves.totalHistoricalSpend;

describe('scenario design', () => {
  const mixes = designMixes(run.curves.channels, run.curves.historicalSpend, design);

  it('holds the current mix, 4 perturbations per channel, 256 simplex samples and 2 corners per channel', () => {
    const count = (kind: string) => mixes.filter((m) => m.design === kind).length;
    expect([count('current'), count('perturbation'), count('simplex'), count('corner')]).toEqual([1, 20, 256, 10]);
    for (const mix of mixes) expect(mix.shares.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
    expect([...mixes[0].shares]).toEqual([0.5, 0.2, 0.15, 0.1, 0.05]);
    const tvUp = mixes.find((m) => m.label === 'tv +10%');
    expect(tvUp?.shares[0]).toBeCloseTo(0.55, 12);
    expect(tvUp?.shares[1]! / tvUp?.shares[2]!).toBeCloseTo(0.2 / 0.15, 12);
  });

  it('spreads simplex samples over the simplex (each channel sometimes dominant, sometimes near zero)', () => {
    const simplex = mixes.filter((m) => m.design === 'simplex');
    for (let c = 0; c < 5; c++) {
      const shares = simplex.map((m) => m.shares[c]);
      expect(Math.max(...shares)).toBeGreaterThan(0.6);
      expect(Math.min(...shares)).toBeLessThan(0.01);
      expect(shares.reduce((a, b) => a + b, 0) / shares.length).toBeCloseTo(0.2, 1);
    }
  });

  it('caps spend at the stored range by water-filling and keeps the budget', () => {
    const spend = spendForBudget(Float64Array.of(1, 0, 0), 100, Float64Array.of(30, 60, 90), Float64Array.of(1, 1, 2));
    expect([...spend]).toEqual([30, 70 / 3, 140 / 3]);
    const mixed = spendForBudget(Float64Array.of(0.7, 0.2, 0.1), 100, Float64Array.of(30, 25, 90), Float64Array.of(1, 1, 1));
    expect(mixed[0]).toBe(30);
    expect(mixed[1]).toBe(25);
    expect(mixed[2]).toBeCloseTo(45, 12);
  });
});

describe('enumerated surface', () => {
  let tables: SurfaceTables;
  beforeAll(() => {
    tables = enumerateSurface(run, design, 'run-a');
  });

  it('crosses 41 budget levels with 287 mixes (level 0 holds the current mix only)', () => {
    expect(tables.scenarios.length).toBe(1 + 40 * 287);
    expect(tables.allocations.length).toBe(5 * tables.scenarios.length);
    expect(new Set(tables.scenarios.map((s) => s.budget_level)).size).toBe(41);
    expect(tables.scenarios.at(-1)?.budget_level).toBe(2);
  });

  it('spends exactly each level of the historical total, within the stored range', () => {
    const byScenario = new Map<number, number>();
    for (const a of tables.allocations) {
      byScenario.set(a.scenario_id, (byScenario.get(a.scenario_id) ?? 0) + a.spend);
      const c = run.curves.channels.indexOf(a.channel);
      expect(a.spend).toBeLessThanOrEqual(run.curves.maxSpend(c) * (1 + 1e-12));
    }
    for (const s of tables.scenarios) {
      expect(Math.abs(byScenario.get(s.scenario_id)! - s.budget_level * H)).toBeLessThan(1e-6);
      expect(s.total_spend).toBeCloseTo(s.budget_level * H, 6);
    }
  });

  it('agrees with score() on every field, for a sample of scenarios', () => {
    for (let id = 0; id < tables.scenarios.length; id += 397) {
      const row = tables.scenarios[id];
      const spend = Float64Array.from(tables.allocations.slice(5 * id, 5 * id + 5), (a) => a.spend);
      const scored = score(run, spend);
      const rel = (a: number, b: number) => Math.abs(a - b) / Math.abs(b);
      expect(rel(row.outcome_mean_calibrated, scored.outcome.mean)).toBeLessThan(1e-12);
      expect(rel(row.outcome_p05_calibrated, scored.outcome.p05)).toBeLessThan(1e-12);
      expect(rel(row.outcome_p50_calibrated, scored.outcome.p50)).toBeLessThan(1e-12);
      expect(rel(row.outcome_p95_calibrated, scored.outcome.p95)).toBeLessThan(1e-12);
      expect(rel(row.outcome_mean_raw, scored.outcomeRaw.mean)).toBeLessThan(1e-12);
      expect(rel(row.mroi, scored.mroi)).toBeLessThan(1e-12);
      expect(row.roi === null).toBe(scored.roi === null);
      if (row.roi !== null) expect(rel(row.roi, scored.roi!)).toBeLessThan(1e-12);
      expect(Math.abs(row.incremental_mean - scored.incremental.mean)).toBeLessThan(1e-6 * row.outcome_mean_calibrated);
      tables.allocations.slice(5 * id, 5 * id + 5).forEach((a, c) => {
        expect(a.contribution_mean).toBeCloseTo(scored.channels[c].contribution.mean, 6);
      });
    }
  });

  it('agrees with direct evaluation of the known curves within 0.5%', () => {
    const k = run.calibration.factor;
    for (let id = 1; id < tables.scenarios.length; id += 211) {
      const factors = tables.allocations.slice(5 * id, 5 * id + 5).map((a, c) => a.spend / run.curves.historicalSpend[c]);
      const direct = k * source.meanOutcome(factors);
      const directMedia = direct - k * source.meanOutcome(factors.map(() => 0));
      expect(Math.abs(tables.scenarios[id].outcome_mean_calibrated - direct) / directMedia).toBeLessThan(0.005);
    }
  });

  it('stores the current mix at history as the calibrated observed total', () => {
    const history = tables.scenarios.find((s) => s.budget_level === 1 && s.design === 'current');
    expect(history?.outcome_mean_calibrated).toBeCloseTo(source.observedTotal, 6);
    expect(history!.outcome_p05_calibrated).toBeLessThan(history!.outcome_p50_calibrated);
    expect(history!.outcome_p50_calibrated).toBeLessThan(history!.outcome_p95_calibrated);
  });
});

describe('surface run directory', () => {
  let dir: string;
  let summary: SurfaceRunSummary;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'mmm-surface-'));
    summary = await buildSurfaceRun(source, dir, { runId: 'run-b', design: { simplexSamples: 16 } });
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('writes rows that validate against the warehouse row schemas', async () => {
    const lines = async (file: string) =>
      (await readFile(join(dir, 'surface', file), 'utf8'))
        .trimEnd()
        .split('\n')
        .map((l) => JSON.parse(l));
    const scenarios = await lines('scenarios.jsonl');
    const allocations = await lines('allocations.jsonl');
    expect(scenarios.length).toBe(summary.scenarios);
    expect(summary.scenarios).toBe(1 + 40 * (1 + 20 + 16 + 10));
    expect(allocations.length).toBe(summary.allocations);
    for (const row of scenarios) expect(surfaceScenarioRowSchema.parse(row).run_id).toBe('run-b');
    for (const row of allocations.slice(0, 500)) surfaceAllocationRowSchema.parse(row);
  });

  it('loads back to curves that score exactly as the in-memory run', async () => {
    // A known-curve source is not read from a fitted run: the surface directory is read on its own.
    const { run: loaded, builtFrom } = await readSurfaceDirectory(join(dir, 'surface'));
    expect(builtFrom).toBeNull();
    expect(loaded.runId).toBe('run-b');
    expect(loaded.calibration).toEqual(run.calibration);
    const spend = Float64Array.of(70_000, 5_000, 30_000, 25_000, 0);
    expect(score(loaded, spend).draws).toEqual(score(run, spend).draws);
  });
});

describe('surface built in chunks (the retrain workflow fans chunks out over workers)', () => {
  let whole: string;
  let chunked: string;
  beforeAll(async () => {
    whole = await mkdtemp(join(tmpdir(), 'mmm-surface-whole-'));
    chunked = await mkdtemp(join(tmpdir(), 'mmm-surface-chunked-'));
  });
  afterAll(async () => {
    await rm(whole, { recursive: true, force: true });
    await rm(chunked, { recursive: true, force: true });
  });

  it('concatenates chunks, enumerated in any order and one of them twice, into the same files as one pass', async () => {
    const options = { runId: 'run-c', design: { simplexSamples: 8 } };
    await buildSurfaceRun(source, whole, options);
    const { levels } = await prepareSurface(source, chunked, options);
    expect(levels).toBe(41);
    const chunks = 3;
    await expect(assembleSurface(chunked, chunks, 0)).rejects.toThrow(SurfaceChunkError);
    for (const chunk of [2, 0, 1, 0]) await enumerateSurfaceChunk(chunked, chunk, chunks);
    const summary = await assembleSurface(chunked, chunks, 0);
    expect(summary.scenarios).toBe(1 + 40 * (1 + 20 + 8 + 10));
    for (const file of ['scenarios.jsonl', 'allocations.jsonl']) {
      expect(await readFile(join(chunked, 'surface', file), 'utf8')).toBe(await readFile(join(whole, 'surface', file), 'utf8'));
    }
    const ids = (await readFile(join(chunked, 'surface', 'scenarios.jsonl'), 'utf8'))
      .trimEnd()
      .split('\n')
      .map((l) => (JSON.parse(l) as { scenario_id: number }).scenario_id);
    expect(ids).toEqual(ids.map((_, i) => i));
    // Assembled again after it committed (a worker killed before reporting success): the committed surface answers.
    expect(await assembleSurface(chunked, chunks, 0)).toEqual(summary);
  });

  it('refuses a chunk number outside 0..chunks-1', async () => {
    await expect(enumerateSurfaceChunk(chunked, 3, 3)).rejects.toThrow('chunk 3 of 3 does not exist (chunks are numbered 0..2)');
  });
});
