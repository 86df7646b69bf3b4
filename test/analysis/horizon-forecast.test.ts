/**
 * The predictive band of a horizon forecast under AR(1) residuals: the noise of one draw's weeks moves together, so the
 * band of each week has the stationary sd outcomeScale x sigma / sqrt(1 - phi^2) and the band of the horizon's
 * total the sd of a sum of correlated weeks, not of independent ones.
 */
import { describe, expect, it } from 'vitest';
import { forecastHorizon } from '../../src/analysis/horizon-forecast.ts';
import { newDrawState } from '../../src/model/mmm-model.ts';
import { createMmmModel } from '../../src/model/model.ts';
import { simulateDataset } from '../../src/model/simulate.ts';

/** The sd a central 90% interval of a normal variable implies. */
const sdOf = (band: { p05: number; p95: number }): number => (band.p95 - band.p05) / (2 * 1.6449);

describe('forecastHorizon under AR(1) residuals', () => {
  const phi = 0.8;
  const weeks = 12;
  const { panel, config, theta } = simulateDataset({
    geos: 1,
    weeks: 60,
    channels: 2,
    controls: 0,
    seed: 3,
    noiseSd: 0.5,
    model: { residuals: 'ar1' },
    adjustTruth: (t, model) => (t[model.layout.residualCorrelation] = 2 * Math.atanh(phi)),
  });
  const model = createMmmModel(panel, config);
  const state = newDrawState(model.data, model.layout);
  model.evaluate(theta, state, new Float64Array(model.dim));
  // One posterior draw, taken 20,000 times: the predictive band is the observation noise alone.
  const draws = 20_000;
  const forecast = forecastHorizon({
    plan: model,
    noSpend: model,
    posterior: { nChains: 1, drawsPerChain: 1, dim: model.dim, theta },
    drawIndices: new Array<number>(draws).fill(0),
    tStart: 30,
    weeks: panel.dates.slice(30, 30 + weeks),
    calibrationFactor: 1,
    seed: 9,
  });
  const scale = model.data.outcomeScale;
  const stationarySd = (t: number) => (scale[t] * state.sigma[0]) / Math.sqrt(1 - phi * phi);

  it("gives each week the stationary sd of the draw's AR(1) noise", () => {
    // The sd of a quantile-based sd from 20,000 normal draws is about 1.2%.
    forecast.predictive.forEach((band, j) => expect(Math.abs(sdOf(band) / stationarySd(30 + j) - 1)).toBeLessThan(0.05));
  });

  it('gives the total the sd of a sum of weeks correlated phi^|i - j|, three times the independent sum here', () => {
    let variance = 0;
    let independent = 0;
    for (let i = 0; i < weeks; i++) {
      independent += (scale[30 + i] * state.sigma[0]) ** 2;
      for (let j = 0; j < weeks; j++) variance += stationarySd(30 + i) * stationarySd(30 + j) * phi ** Math.abs(i - j);
    }
    expect(Math.abs(sdOf(forecast.total.predictive) / Math.sqrt(variance) - 1)).toBeLessThan(0.05);
    expect(Math.sqrt(variance / independent)).toBeGreaterThan(3);
  });
});
