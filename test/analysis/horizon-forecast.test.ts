/**
 * The predictive band of a horizon forecast under AR(1) residuals: each geo's residual path continues from the draw's
 * residual r at the last training week, e_{T+h} = phi^h r + (innovations), so week h's band is centred phi^h r
 * outcomeScale sigma above the expected outcome with sd outcomeScale x sigma x sqrt((1 - phi^2h) / (1 - phi^2)), and
 * the band of the horizon's total has the sd of a sum of those correlated weeks, not of independent ones.
 */
import { describe, expect, it } from 'vitest';
import { forecastHorizon } from '../../src/analysis/horizon-forecast.ts';
import { decomposeDraw, newDecomposition } from '../../src/model/decompose.ts';
import { newDrawState } from '../../src/model/mmm-model.ts';
import { createMmmModel } from '../../src/model/model.ts';
import { simulateDataset } from '../../src/model/simulate.ts';

/** The sd a central 90% interval of a normal variable implies. */
const sdOf = (band: { p05: number; p95: number }): number => (band.p95 - band.p05) / (2 * 1.6449);

describe('forecastHorizon under AR(1) residuals', () => {
  const phi = 0.8;
  const weeks = 12;
  // 60 weeks of data, the last 30 held out of the fit: the horizon starts right after the training window.
  const trained = 30;
  const { panel, config, theta } = simulateDataset({
    geos: 1,
    weeks: 60,
    channels: 2,
    controls: 0,
    seed: 3,
    noiseSd: 0.5,
    model: { residuals: 'ar1', holdoutWeeks: 60 - trained },
    adjustTruth: (t, model) => (t[model.layout.residualCorrelation] = 2 * Math.atanh(phi)),
  });
  const model = createMmmModel(panel, config);
  const state = newDrawState(model.data, model.layout);
  model.evaluate(theta, state, new Float64Array(model.dim));
  const parts = newDecomposition(model.data);
  decomposeDraw(model.data, state, parts);
  const sigma = state.sigma[0];
  const lastResidual = (model.data.y[trained - 1] - parts.muScaled[trained - 1]) / sigma;
  // One posterior draw, taken 20,000 times: the predictive band is the observation noise alone.
  const draws = 20_000;
  const forecastWith = (bandScale: number) =>
    forecastHorizon({
      plan: model,
      noSpend: model,
      posterior: { nChains: 1, drawsPerChain: 1, dim: model.dim, theta },
      drawIndices: new Array<number>(draws).fill(0),
      tStart: trained,
      weeks: panel.dates.slice(trained, trained + weeks),
      calibrationFactor: 1,
      bandScale,
      seed: 9,
    });
  const forecast = forecastWith(1);
  const scale = model.data.outcomeScale;
  /** sd of week j's noise (h = j + 1 weeks after the last training week) given the data. */
  const conditionalSd = (j: number) => scale[trained + j] * sigma * Math.sqrt((1 - phi ** (2 * (j + 1))) / (1 - phi * phi));

  it('starts from where the data ended: week h is shifted by phi^h times the last residual', () => {
    expect(Math.abs(lastResidual)).toBeGreaterThan(0.3);
    forecast.predictive.forEach((band, j) => {
      const shift = phi ** (j + 1) * lastResidual * scale[trained + j] * sigma;
      const centre = (band.p05 + band.p95) / 2 - forecast.expected[j].mean;
      // The centre of a quantile band from 20,000 normal draws is within ~1.5% of an sd of the truth.
      expect(Math.abs(centre - shift)).toBeLessThan(0.05 * conditionalSd(j));
    });
  });

  it('widens week by week to the stationary sd, sigma / sqrt(1 - phi^2)', () => {
    // The sd of a quantile-based sd from 20,000 normal draws is about 1.2%.
    forecast.predictive.forEach((band, j) => expect(Math.abs(sdOf(band) / conditionalSd(j) - 1)).toBeLessThan(0.05));
    expect(conditionalSd(0) / (scale[trained] * sigma)).toBeCloseTo(1, 12);
    expect(sdOf(forecast.predictive[weeks - 1]) / sdOf(forecast.predictive[0])).toBeGreaterThan(1.5);
  });

  it('gives the total the sd of a sum of weeks correlated phi^|i - j|, over twice the independent sum here', () => {
    // Cov(e_i, e_j) = phi^(j - i) Var(e_i) for i <= j given the last training residual.
    let variance = 0;
    let independent = 0;
    for (let i = 0; i < weeks; i++) {
      independent += conditionalSd(i) ** 2;
      for (let j = 0; j < weeks; j++) {
        const first = Math.min(i, j);
        variance += (conditionalSd(first) ** 2 * phi ** Math.abs(i - j) * scale[trained + Math.max(i, j)]) / scale[trained + first];
      }
    }
    expect(Math.abs(sdOf(forecast.total.predictive) / Math.sqrt(variance) - 1)).toBeLessThan(0.05);
    expect(Math.sqrt(variance / independent)).toBeGreaterThan(2);
  });

  it("widens every predictive band by the backtest's band scale around the same mean, and nothing else", () => {
    const scale = 1.7;
    const widened = forecastWith(scale);
    expect(widened.bandScale).toBe(scale);
    const check = (band: { mean: number; p05: number; p95: number }, base: { mean: number; p05: number; p95: number }) => {
      const tolerance = 1e-9 * Math.abs(base.mean);
      expect(Math.abs(band.mean - base.mean)).toBeLessThan(tolerance);
      expect(Math.abs(band.p05 - (base.mean + scale * (base.p05 - base.mean)))).toBeLessThan(tolerance);
      expect(Math.abs(band.p95 - (base.mean + scale * (base.p95 - base.mean)))).toBeLessThan(tolerance);
    };
    widened.predictive.forEach((band, j) => check(band, forecast.predictive[j]));
    check(widened.total.predictive, forecast.total.predictive);
    expect(widened.expected).toEqual(forecast.expected);
    expect(widened.baseline).toEqual(forecast.baseline);
  });
});
