/**
 * The misspecification statistics: Ljung-Box Q against a value computed by hand, its behaviour on white
 * noise and on autocorrelated series, predictive coverage, the verdict's thresholds and wording, and
 * the statistics of a model evaluated at its true parameters on data with and without a left-out trend.
 */
import { describe, expect, it } from 'vitest';
import {
  autocorrelations,
  judgeMisspecification,
  ljungBox,
  ljungBoxLags,
  misspecificationStatistics,
  predictiveCoverage,
} from '../../src/analysis/misspecification.ts';
import { normalCdf } from '../../src/math/distributions.ts';
import { createRng } from '../../src/math/rng.ts';
import { decomposeDraw, newDecomposition } from '../../src/model/decompose.ts';
import { newDrawState } from '../../src/model/mmm-model.ts';
import { createMmmModel } from '../../src/model/model.ts';
import { simulateDataset } from '../../src/model/simulate.ts';

describe('Ljung-Box', () => {
  it('matches a value computed by hand', () => {
    // e = 1 2 3 4 5 4 3 2 1 0: mean 2.5, sum of squares 22.5; lag sums 13.75 and 3, so r1 = 11/18, r2 = 2/15;
    // Q = 10 * 12 * (r1^2 / 9 + r2^2 / 8) = 5.24609053..., and chi^2(2) has P(X > Q) = exp(-Q / 2).
    const e = [1, 2, 3, 4, 5, 4, 3, 2, 1, 0];
    const r = autocorrelations(e, 2);
    expect(r[0]).toBeCloseTo(11 / 18, 14);
    expect(r[1]).toBeCloseTo(2 / 15, 14);
    const q = 120 * ((11 / 18) ** 2 / 9 + (2 / 15) ** 2 / 8);
    const lb = ljungBox([e], 2);
    expect(lb.q).toBeCloseTo(q, 12);
    expect(lb.q).toBeCloseTo(5.246090534979, 10);
    expect(lb.pValue).toBeCloseTo(Math.exp(-q / 2), 12);
    expect(lb.dof).toBe(2);
    expect(lb.lag1).toBeCloseTo(11 / 18, 14);
  });

  it('adds independent series: Q and degrees of freedom are sums over geos', () => {
    const a = [1, 2, 3, 4, 5, 4, 3, 2, 1, 0];
    const b = [3, -1, 2, 0, 1, 4, -2, 1, 0, 2];
    const both = ljungBox([a, b], 3);
    expect(both.q).toBeCloseTo(ljungBox([a], 3).q + ljungBox([b], 3).q, 12);
    expect(both.dof).toBe(6);
  });

  it('uses min(10, n / 5) lags', () => {
    expect(ljungBoxLags(156)).toBe(10);
    expect(ljungBoxLags(30)).toBe(6);
    expect(ljungBoxLags(3)).toBe(1);
  });

  it('rarely rejects white noise and always rejects a strongly autocorrelated series', () => {
    const rng = createRng(11, 0);
    let rejected = 0;
    const trials = 200;
    for (let i = 0; i < trials; i++) {
      const noise = Array.from({ length: 130 }, () => rng.normal());
      if (ljungBox([noise], 10).pValue < 0.05) rejected += 1;
    }
    // Nominal 5%: 10 of 200 expected; 25 would be 5 standard errors above.
    expect(rejected).toBeLessThan(25);
    for (let i = 0; i < 20; i++) {
      const ar = new Float64Array(130);
      for (let t = 1; t < 130; t++) ar[t] = 0.8 * ar[t - 1] + rng.normal();
      expect(ljungBox([ar], 10).pValue).toBeLessThan(1e-4);
    }
  });
});

describe('predictive coverage', () => {
  it('counts observations inside the central 90% interval of the predictive mixture', () => {
    const mu = [new Float64Array(5)];
    const sigma = [new Float64Array(5).fill(1)];
    // Inside when |y| <= 1.645.
    expect(predictiveCoverage([-2, -1.5, 0, 1.6, 1.7], mu, sigma, normalCdf)).toBeCloseTo(3 / 5, 15);
  });

  it('uses the mixture over draws, not one draw', () => {
    // Draws at mu = -3 and +3 with sigma 1: y = 0 sits at the mixture's median, inside; y = 5.5 is beyond 95%.
    const mu = [new Float64Array([-3, -3]), new Float64Array([3, 3])];
    const sigma = [new Float64Array([1, 1]), new Float64Array([1, 1])];
    expect(predictiveCoverage([0, 5.5], mu, sigma, normalCdf)).toBe(0.5);
  });

  it('is close to 90% for draws from the predictive distribution itself', () => {
    const rng = createRng(5, 1);
    const n = 4000;
    const observed = Array.from({ length: n }, () => 2 + 0.5 * rng.normal());
    const coverage = predictiveCoverage(observed, [new Float64Array(n).fill(2)], [new Float64Array(n).fill(0.5)], normalCdf);
    // Binomial(4000, 0.9) has sd 0.0047; 0.88 to 0.92 is four of them either side.
    expect(coverage).toBeGreaterThan(0.88);
    expect(coverage).toBeLessThan(0.92);
  });
});

describe('verdict', () => {
  const stats = (pValue: number, coverage: number) => ({
    ljungBox: { q: 40, lags: 10, dof: 10, pValue, lag1: 0.5 },
    predictiveCoverage90: coverage,
  });

  it('passes white residuals with nominal coverage', () => {
    const judged = judgeMisspecification(stats(0.3, 0.9), { knots: 3, geos: 1 });
    expect(judged.verdict).toBe('pass');
    expect(judged.reasons).toEqual([]);
  });

  it('warns on moderate and fails on severe autocorrelation, naming the knots and the change to make', () => {
    const warn = judgeMisspecification(
      stats(1e-4, 0.9),
      { knots: 3, geos: 1 },
      { ljungBoxWarnP: 1e-3, ljungBoxFailP: 1e-8, coverageWarn: 0.8, coverageFail: 0.7 },
    );
    expect(warn.verdict).toBe('warn');
    const fail = judgeMisspecification(
      stats(1e-20, 0.9),
      { knots: 1, geos: 1 },
      { ljungBoxWarnP: 1e-3, ljungBoxFailP: 1e-8, coverageWarn: 0.8, coverageFail: 0.7 },
    );
    expect(fail.verdict).toBe('fail');
    expect(fail.reasons[0]).toMatch(/^residuals are autocorrelated \(Ljung-Box Q 40.0 over 10 lags, p < 1e-12; lag-1 correlation 0.50\)/);
    expect(fail.reasons[0]).toContain('add knots (model.knots, now 1, a constant level) or add a control');
  });

  it('fails on low coverage and lists failures before warnings', () => {
    const judged = judgeMisspecification(
      stats(1e-4, 0.6),
      { knots: 3, geos: 5 },
      { ljungBoxWarnP: 1e-3, ljungBoxFailP: 1e-8, coverageWarn: 0.8, coverageFail: 0.7 },
    );
    expect(judged.verdict).toBe('fail');
    expect(judged.findings.map((f) => f.level)).toEqual(['fail', 'warn']);
    expect(judged.reasons[0]).toMatch(/^only 60% of observed weeks lie inside their 90% predictive intervals \(below 70%\)/);
    expect(judged.reasons[1]).toContain('in each of 5 geos');
  });
});

describe('statistics of a model at its true parameters', () => {
  const sim = simulateDataset({
    geos: 1,
    weeks: 130,
    channels: 3,
    controls: 1,
    seed: 21,
    noiseSd: 0.3,
    model: { knots: 1, seasonality: { harmonics: 1 } },
  });
  /**
   * The model with its scaled KPI replaced by draws from the model at theta plus `extra`, and theta as a
   * one-draw posterior: the residuals are then exactly the noise (plus `extra`).
   */
  function modelAtTruth(extra: (t: number) => number) {
    const model = createMmmModel(sim.panel, sim.config);
    const { data } = model;
    const state = newDrawState(data, model.layout);
    model.evaluate(Float64Array.from(sim.theta), state, new Float64Array(model.dim));
    const parts = newDecomposition(data);
    decomposeDraw(data, state, parts);
    const rng = createRng(3, 2);
    for (let t = 0; t < data.T; t++) data.y[t] = parts.muScaled[t] + state.sigma[0] * rng.normal() + extra(t);
    return { model, posterior: { nChains: 1, drawsPerChain: 1, dim: model.dim, theta: Float64Array.from(sim.theta) } };
  }

  it('finds white residuals and about 90% coverage when the model generated the data', () => {
    const { model, posterior } = modelAtTruth(() => 0);
    const stats = misspecificationStatistics(model, posterior);
    expect(stats.ljungBox.pValue).toBeGreaterThan(1e-3);
    // Binomial(130, 0.9) has sd 0.026: 0.8 to 0.98 is about four of them either side.
    expect(stats.predictiveCoverage90).toBeGreaterThan(0.8);
    expect(stats.predictiveCoverage90).toBeLessThan(0.98);
  });

  it('finds autocorrelated residuals when the data carry a trend the model lacks', () => {
    const { model, posterior } = modelAtTruth((t) => 2 * Math.sin((Math.PI * t) / 130));
    const stats = misspecificationStatistics(model, posterior);
    expect(stats.ljungBox.pValue).toBeLessThan(1e-8);
    expect(stats.ljungBox.lag1).toBeGreaterThan(0.5);
    expect(stats.predictiveCoverage90).toBeLessThan(0.7);
  });
});
