import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { score } from '../../src/explore/score.ts';
import { calibrate, CalibrationError } from '../../src/surface/calibration.ts';
import { computeComponents } from '../../src/surface/components.ts';
import { factorGrid, factorGridSchema } from '../../src/surface/factor-grid.ts';
import { ResponseCurves } from '../../src/surface/response-curves.ts';
import { buildSurfaceRun } from '../../src/surface/surface-run.ts';
import { calibratedRun, FIVE_CHANNELS, randomCurveSource, TEST_WINDOW } from '../support/known-curve-source.ts';

const dirs: string[] = [];
afterAll(async () => {
  await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })));
});

describe('calibration (acceptance 3)', () => {
  const source = randomCurveSource({ channels: FIVE_CHANNELS, nDraws: 300, seed: 3, calibrationFactor: 1.13 });
  const run = calibratedRun(source);

  it('recovers the factor between observed and modelled totals and records the window', () => {
    expect(run.calibration.factor).toBeCloseTo(1.13, 6);
    expect(run.calibration.window).toEqual(TEST_WINDOW);
    expect(run.calibration.observedTotal).toBe(source.observedTotal);
  });

  it('makes the baseline scenario reproduce the observed window total within 1e-9', () => {
    const baseline = score(run, run.curves.historicalSpend);
    expect(Math.abs(baseline.outcome.mean - source.observedTotal) / source.observedTotal).toBeLessThan(1e-9);
    expect(baseline.outcomeRaw.mean * 1.13).toBeCloseTo(source.observedTotal, -1);
  });

  it('leaves ratios between scenarios unchanged', () => {
    const a = score(run, Float64Array.of(60_000, 10_000, 10_000, 15_000, 5_000));
    const b = score(run, Float64Array.of(20_000, 30_000, 20_000, 0, 10_000));
    const ratio = (x: number, y: number) => x / y;
    expect(ratio(a.outcome.mean, b.outcome.mean)).toBeCloseTo(ratio(a.outcomeRaw.mean, b.outcomeRaw.mean), 12);
    expect(ratio(a.outcome.p05, b.outcome.p95)).toBeCloseTo(ratio(a.outcomeRaw.p05, b.outcomeRaw.p95), 12);
    expect(a.outcome.p50 / a.outcomeRaw.p50).toBeCloseTo(run.calibration.factor, 12);
  });

  it('refuses a run whose model does not explain the window, naming k, the band and the window', () => {
    const misfit = randomCurveSource({ channels: FIVE_CHANNELS, nDraws: 300, seed: 3, calibrationFactor: 1.5 });
    const curves = new ResponseCurves(computeComponents(misfit, factorGrid(factorGridSchema.parse({}))));
    let caught: unknown;
    try {
      calibrate(curves, { lower: 0.8, upper: 1.25 });
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(CalibrationError);
    const error = caught as CalibrationError;
    expect(error.factor).toBeCloseTo(1.5, 6);
    expect(error.message).toContain('k = 1.500');
    expect(error.message).toContain('[0.8, 1.25]');
    expect(error.message).toContain('2023-01-02..2023-12-25');
    // a wider band accepts the same run
    expect(calibrate(curves, { lower: 0.5, upper: 2 }).factor).toBeCloseTo(1.5, 6);
  });

  it('writes no surface for a refused run', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'mmm-misfit-'));
    dirs.push(dir);
    const misfit = randomCurveSource({ channels: FIVE_CHANNELS, nDraws: 50, seed: 3, calibrationFactor: 0.7 });
    await expect(buildSurfaceRun(misfit, dir, { runId: 'misfit' })).rejects.toThrow(CalibrationError);
    expect(await readdir(dir)).toEqual([]);
  });
});
