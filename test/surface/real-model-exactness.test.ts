/**
 * Issue 4, acceptance 1 against the real model: a short NUTS fit of the PyMC example, its stored posterior
 * read back through `loadResponseSource`, components on the default factor grid, then 1,000 quasi-random
 * allocations and the enumerated surface checked against direct evaluation of the model on the same draws.
 * 400 of the fit's 1,000 draws (evenly thinned) keep the test short: each direct evaluation of this
 * logistic-saturation model costs one tanh per (draw, week).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { summarizeDraws } from '../../src/analysis/interval.ts';
import { loadResponseSource, type MmmResponseSource } from '../../src/run/mmm-response-source.ts';
import { commands } from '../../src/cli/commands/index.ts';
import { loadFitInputs } from '../../src/data/load-fit-inputs.ts';
import { score } from '../../src/explore/score.ts';
import { fitMmm } from '../../src/fit/fit-mmm.ts';
import { writeFitRun } from '../../src/run/run-directory.ts';
import { calibrate, calibrationBandSchema, type CalibratedCurves } from '../../src/surface/calibration.ts';
import { computeComponents } from '../../src/surface/components.ts';
import { enumerateSurface } from '../../src/surface/enumerate.ts';
import { interpolationExactness, quasiRandomAllocations } from '../../src/surface/exactness.ts';
import { factorGrid, factorGridSchema } from '../../src/surface/factor-grid.ts';
import { ResponseCurves } from '../../src/surface/response-curves.ts';
import { surfaceDesignSchema } from '../../src/surface/scenario-design.ts';
import { loadSurfaceRun } from '../../src/surface/surface-run.ts';
import { exampleConfig, referenceFile } from '../support/reference-data.ts';

const TOLERANCE = 0.005;
const DRAWS = 400;
let dir: string;
let dates: string[];

beforeAll(async () => {
  const { panel, config } = loadFitInputs(referenceFile('pymc-marketing/mmm_example.csv'), exampleConfig('pymc-example.json'));
  const fit = await fitMmm(panel, { ...config, sampler: { ...config.sampler, chains: 2, warmup: 500, draws: 500, seed: 1 } });
  dir = await mkdtemp(join(tmpdir(), 'mmm-real-surface-'));
  writeFitRun(dir, panel, fit);
  dates = panel.dates;
}, 60_000);
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** Calibrated total outcome per draw of an allocation, evaluated directly by the model's response source. */
function directDraws(source: MmmResponseSource, spend: Float64Array, k: number): { total: Float64Array; media: Float64Array } {
  const total = new Float64Array(source.nDraws);
  const media = new Float64Array(source.nDraws);
  const channel = new Float64Array(source.nDraws);
  source.baseline(total);
  source.channels.forEach((_, c) => {
    source.channelContribution(c, spend[c] / source.historicalSpend[c], channel);
    for (let d = 0; d < source.nDraws; d++) media[d] += channel[d];
  });
  for (let d = 0; d < source.nDraws; d++) {
    total[d] = k * (total[d] + media[d]);
    media[d] *= k;
  }
  return { total, media };
}

describe.each([
  { label: 'the whole data range', weeks: null },
  { label: 'the last 52 weeks (pre-window spend carried in)', weeks: 52 },
])('stored components of a fitted run over $label', ({ weeks }) => {
  let source: MmmResponseSource;
  let run: CalibratedCurves;

  beforeAll(async () => {
    const window = weeks === null ? undefined : { start: dates[dates.length - weeks], end: dates[dates.length - 1] };
    source = await loadResponseSource(dir, { window, maxDraws: DRAWS });
    const curves = new ResponseCurves(computeComponents(source, factorGrid(factorGridSchema.parse({}))));
    run = { curves, calibration: calibrate(curves, calibrationBandSchema.parse({})) };
  });

  it('score 1,000 quasi-random allocations within 0.5% of the model on every draw', () => {
    const report = interpolationExactness(run.curves, source, quasiRandomAllocations(run.curves, 1000));
    expect(report.allocations).toBe(1000);
    expect(report.draws).toBe(DRAWS);
    expect(report.maxRelativeError).toBeLessThanOrEqual(TOLERANCE);
    expect(report.maxRelativeError).toBeGreaterThan(0);
  });

  it('enumerate a surface whose rows agree with score() and with the model', () => {
    const tables = enumerateSurface(run, surfaceDesignSchema.parse({}), 'real');
    const C = run.curves.channels.length;
    const k = run.calibration.factor;
    for (let id = 1; id < tables.scenarios.length; id += 97) {
      const row = tables.scenarios[id];
      const spend = Float64Array.from(tables.allocations.slice(C * id, C * id + C), (a) => a.spend);
      const scored = score(run, spend);
      expect(Math.abs(row.outcome_mean_calibrated - scored.outcome.mean) / scored.outcome.mean).toBeLessThan(1e-12);
      expect(Math.abs(row.outcome_p05_calibrated - scored.outcome.p05) / scored.outcome.p05).toBeLessThan(1e-12);
      expect(Math.abs(row.outcome_p95_calibrated - scored.outcome.p95) / scored.outcome.p95).toBeLessThan(1e-12);

      const direct = directDraws(source, spend, k);
      const outcome = summarizeDraws(direct.total);
      const media = summarizeDraws(direct.media);
      // Errors relative to the paid-media outcome, as in interpolationExactness (the baseline is exact).
      const error = (stored: number, model: number) => Math.abs(stored - model) / media.mean;
      expect(error(row.outcome_mean_calibrated, outcome.mean)).toBeLessThan(TOLERANCE);
      expect(error(row.outcome_p05_calibrated, outcome.p05)).toBeLessThan(TOLERANCE);
      expect(error(row.outcome_p50_calibrated, outcome.p50)).toBeLessThan(TOLERANCE);
      expect(error(row.outcome_p95_calibrated, outcome.p95)).toBeLessThan(TOLERANCE);
      expect(error(row.incremental_mean, media.mean)).toBeLessThan(TOLERANCE);
    }
  });

  it('anchor the current plan to the observed window total', () => {
    const current = score(run, run.curves.historicalSpend);
    expect(Math.abs(current.outcome.mean - source.observedTotal) / source.observedTotal).toBeLessThan(1e-9);
  });
});

describe('mmm surface on a fitted run', () => {
  it('builds the surface from the stored posterior through the registered command', async () => {
    const surface = await commands.find((c) => c.name === 'surface')!.load();
    let printed = '';
    const spy = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
      printed += String(chunk);
      return true;
    });
    try {
      expect(await surface.run(['--run', dir, '--run-id', 'pymc', '--window', '2020-09-07:2021-08-30', '--max-draws', '200'])).toBe(0);
    } finally {
      spy.mockRestore();
    }
    expect(printed).toMatch(/posterior draws\s+200\n/);
    expect(printed).toMatch(/window\s+2020-09-07\.\.2021-08-30\n/);
    const loaded = await loadSurfaceRun(dir);
    const source = await loadResponseSource(dir, { window: { start: '2020-09-07', end: '2021-08-30' }, maxDraws: 200 });
    expect(loaded.runId).toBe('pymc');
    expect(loaded.curves.observedTotal).toBe(source.observedTotal);
    expect([...loaded.curves.historicalSpend]).toEqual([...source.historicalSpend]);
    const stored = new Float64Array(200);
    loaded.curves.outcomeDraws(source.historicalSpend, stored);
    const direct = directDraws(source, source.historicalSpend, 1).total;
    stored.forEach((v, d) => expect(Math.abs(v - direct[d]) / direct[d]).toBeLessThan(1e-6));
  });
});
