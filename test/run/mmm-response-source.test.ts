import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadResponseSource, MmmResponseSource, reportingPeriods, ResponseSourceError } from '../../src/run/mmm-response-source.ts';
import { DrawEvaluator, thinnedDrawIndices, type PosteriorDraws } from '../../src/model/posterior-draws.ts';
import { loadFitInputs } from '../../src/data/load-fit-inputs.ts';
import { fitMmm, type FitResult } from '../../src/fit/fit-mmm.ts';
import { createRng } from '../../src/math/rng.ts';
import { channelOutcomeTotal, decomposeDraw, newDecomposition } from '../../src/model/decompose.ts';
import { createMmmModel } from '../../src/model/model.ts';
import { simulateDataset } from '../../src/model/simulate.ts';
import { writeFitRun } from '../../src/run/run-directory.ts';
import { exampleConfig, referenceFile } from '../support/reference-data.ts';

const relative = (a: number, b: number): number => Math.abs(a - b) / Math.abs(b);

describe('reportingPeriods', () => {
  const dates = ['2024-01-01', '2024-01-08', '2024-01-15', '2024-01-22', '2024-01-29'];

  it('defaults to every period and maps a window to the periods whose start date lies in it', () => {
    expect(reportingPeriods(dates)).toEqual({ tStart: 0, tEnd: 5, window: { start: '2024-01-01', end: '2024-01-29' } });
    expect(reportingPeriods(dates, { start: '2024-01-03', end: '2024-01-24' })).toEqual({
      tStart: 1,
      tEnd: 4,
      window: { start: '2024-01-08', end: '2024-01-22' },
    });
  });

  it('refuses windows outside the data or holding no period start', () => {
    expect(() => reportingPeriods(dates, { start: '2023-12-25', end: '2024-01-15' })).toThrow(ResponseSourceError);
    expect(() => reportingPeriods(dates, { start: '2024-01-08', end: '2024-02-05' })).toThrow(
      "outside the data's periods 2024-01-01..2024-01-29",
    );
    expect(() => reportingPeriods(dates, { start: '2024-01-09', end: '2024-01-14' })).toThrow(
      'holds no period start date: consecutive periods start 2024-01-08 and 2024-01-15',
    );
    expect(() => reportingPeriods(dates, { start: '2024-01-15', end: '2024-01-08' })).toThrow('starts after it ends');
  });
});

describe('response source of a fitted run (PyMC example, 2 chains x 500 draws)', () => {
  let dir: string;
  let fit: FitResult;
  let source: MmmResponseSource;

  beforeAll(async () => {
    const { panel, config } = loadFitInputs(referenceFile('pymc-marketing/mmm_example.csv'), exampleConfig('pymc-example.json'));
    fit = await fitMmm(panel, { ...config, sampler: { ...config.sampler, chains: 2, warmup: 500, draws: 500, seed: 1 } });
    dir = await mkdtemp(join(tmpdir(), 'mmm-response-source-'));
    writeFitRun(dir, panel, fit);
    source = await loadResponseSource(dir);
  }, 60_000);
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it("uses every stored draw, the whole data range, and the analysis' spend and observed totals", () => {
    expect(source.nDraws).toBe(1000);
    expect(source.channels).toEqual(['x1', 'x2']);
    expect(source.window).toEqual({ start: '2018-04-02', end: '2021-08-30' });
    expect(source.observedTotal).toBe(fit.analysis.observedOutcomeTotal);
    expect([...source.historicalSpend]).toEqual(fit.analysis.channels.map((c) => c.spend));
  });

  it("gives g_c(1) per draw equal to the channel contribution of the fit's analysis", () => {
    const evaluator = new DrawEvaluator(fit.model, fit.posterior);
    const g = new Float64Array(source.nDraws);
    source.channels.forEach((_, c) => {
      source.channelContribution(c, 1, g);
      for (const d of [0, 1, 499, 500, 999]) {
        expect(g[d]).toBe(channelOutcomeTotal(fit.model.data, evaluator.load(d), c, 1));
      }
      const mean = g.reduce((a, b) => a + b, 0) / g.length;
      expect(relative(mean, fit.analysis.channels[c].contribution.mean)).toBeLessThan(1e-9);
      expect(mean).toBeGreaterThan(0);
    });
  });

  it("gives g_c(0) = 0 and baseline + sum_c g_c(1) equal to the model's outcome per draw", () => {
    const { data } = fit.model;
    const evaluator = new DrawEvaluator(fit.model, fit.posterior);
    const parts = newDecomposition(data);
    const outcome = new Float64Array(source.nDraws);
    const g = new Float64Array(source.nDraws);
    source.baseline(outcome);
    source.channels.forEach((_, c) => {
      source.channelContribution(c, 0, g);
      expect(g.every((v) => v === 0)).toBe(true);
      source.channelContribution(c, 1, g);
      outcome.forEach((v, d) => {
        outcome[d] = v + g[d];
      });
    });
    for (const d of [3, 777]) {
      decomposeDraw(data, evaluator.load(d), parts);
      const modelled = parts.baseline.reduce((a, b) => a + b, 0) + parts.media.reduce((a, b) => a + b, 0);
      expect(relative(outcome[d], modelled)).toBeLessThan(1e-12);
    }
  });

  it('thins evenly to maxDraws and evaluates the same draws identically', async () => {
    const thinned = await loadResponseSource(dir, { maxDraws: 100 });
    expect(thinned.nDraws).toBe(100);
    expect(thinned.drawIndices).toEqual(thinnedDrawIndices(fit.posterior, 100));
    const all = new Float64Array(source.nDraws);
    const some = new Float64Array(100);
    source.channelContribution(1, 1.7, all);
    thinned.channelContribution(1, 1.7, some);
    expect([...some]).toEqual(thinned.drawIndices.map((d) => all[d]));
  });

  it('refuses factors that are not finite and non-negative', () => {
    const out = new Float64Array(source.nDraws);
    expect(() => source.channelContribution(0, -0.5, out)).toThrow("spend factor -0.5 for channel 'x1'");
    expect(() => source.channelContribution(0, Number.NaN, out)).toThrow(ResponseSourceError);
    expect(() => source.channelContribution(2, 1, out)).toThrow('channel index 2');
  });
});

/**
 * A reporting window inside the data: spend before it is history, so its adstock carries into the window
 * unscaled. The direct counterfactual scales the model's own media inside the window and re-runs its adstock;
 * beta is held at the draw's value (under the ROI prior the model would otherwise re-derive it from the media).
 */
describe.each([
  { adstock: 'binomial', saturation: 'hill' },
  { adstock: 'geometric', saturation: 'logistic' },
] as const)('sub-range window counterfactual (simulated geo panel, $adstock adstock, $saturation)', ({ adstock, saturation }) => {
  const { panel, config, theta } = simulateDataset({
    geos: 3,
    weeks: 60,
    channels: 2,
    controls: 1,
    seed: 5,
    noiseSd: 0.3,
    model: { adstock, saturation, maxLag: 6 },
  });
  const model = createMmmModel(panel, config);
  const nDraws = 4;
  const rng = createRng(9, 0);
  const posterior: PosteriorDraws = {
    nChains: 1,
    drawsPerChain: nDraws,
    dim: model.dim,
    theta: Float64Array.from({ length: nDraws * model.dim }, (_, i) => theta[i % model.dim] + 0.2 * rng.normal()),
  };
  const window = { start: panel.dates[20], end: panel.dates[44] };
  const source = new MmmResponseSource(model, panel, posterior, { window });
  const { G, T, C } = model.data;
  const tStart = 20;
  const tEnd = 45;

  /** g_c(f) for draw d by re-running the model on media scaled by f inside the window. */
  function direct(c: number, f: number, d: number): number {
    const scaled = createMmmModel(panel, config);
    for (let g = 0; g < G; g++) for (let t = tStart; t < tEnd; t++) scaled.data.media[(c * G + g) * T + t] *= f;
    const fitted = new DrawEvaluator(model, posterior).load(d);
    const counterfactual = new DrawEvaluator(scaled, posterior).load(d);
    counterfactual.beta.set(fitted.beta);
    const off = createMmmModel(panel, config);
    for (let g = 0; g < G; g++) for (let t = tStart; t < tEnd; t++) off.data.media[(c * G + g) * T + t] = 0;
    const switchedOff = new DrawEvaluator(off, posterior).load(d);
    switchedOff.beta.set(fitted.beta);
    return (
      channelOutcomeTotal(model.data, counterfactual, c, 1, tStart, tEnd) - channelOutcomeTotal(model.data, switchedOff, c, 1, tStart, tEnd)
    );
  }

  it('matches the re-run model for factors below, at and above history', () => {
    const g = new Float64Array(nDraws);
    for (let c = 0; c < C; c++) {
      for (const f of [0, 0.3, 1, 2.5]) {
        source.channelContribution(c, f, g);
        for (let d = 0; d < nDraws; d++) {
          const expected = direct(c, f, d);
          if (f === 0) expect(g[d]).toBe(0);
          else expect(relative(g[d], expected)).toBeLessThan(1e-10);
        }
      }
    }
  });

  it("carries pre-window media into the baseline: baseline + sum_c g_c(1) is the model's window outcome", () => {
    const parts = newDecomposition(model.data);
    const evaluator = new DrawEvaluator(model, posterior);
    const outcome = new Float64Array(nDraws);
    const g = new Float64Array(nDraws);
    source.baseline(outcome);
    let nonMedia = 0;
    for (let c = 0; c < C; c++) {
      source.channelContribution(c, 1, g);
      for (let d = 0; d < nDraws; d++) outcome[d] += g[d];
    }
    for (let d = 0; d < nDraws; d++) {
      decomposeDraw(model.data, evaluator.load(d), parts);
      let modelled = 0;
      nonMedia = 0;
      for (let gi = 0; gi < G; gi++) {
        for (let t = tStart; t < tEnd; t++) {
          nonMedia += parts.baseline[gi * T + t];
          modelled += parts.baseline[gi * T + t];
          for (let c = 0; c < C; c++) modelled += parts.media[(c * G + gi) * T + t];
        }
      }
      expect(relative(outcome[d], modelled)).toBeLessThan(1e-12);
    }
    // The carry-in is real: the baseline exceeds the non-media outcome of the window.
    const baseline = new Float64Array(nDraws);
    source.baseline(baseline);
    expect(baseline[nDraws - 1] - nonMedia).toBeGreaterThan(1e-6 * Math.abs(nonMedia));
  });

  it('sums spend and the observed outcome over the window only', () => {
    for (let c = 0; c < C; c++) {
      let spend = 0;
      for (let gi = 0; gi < G; gi++) for (let t = tStart; t < tEnd; t++) spend += panel.spend[(gi * T + t) * C + c];
      expect(source.historicalSpend[c]).toBeCloseTo(spend, 6);
    }
    let observed = 0;
    for (let gi = 0; gi < G; gi++) for (let t = tStart; t < tEnd; t++) observed += panel.kpi[gi * T + t];
    expect(relative(source.observedTotal, observed)).toBeLessThan(1e-12);
    expect(source.window).toEqual(window);
  });
});
