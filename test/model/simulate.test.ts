import { describe, expect, it } from 'vitest';
import { createMmmModel } from '../../src/model/model.ts';
import { newDrawState } from '../../src/model/mmm-model.ts';
import { simulateDataset } from '../../src/model/simulate.ts';

describe('simulateDataset', () => {
  const spec = { geos: 4, weeks: 60, channels: 2, controls: 1, seed: 21, noiseSd: 0.3 };

  it('generates the outcomes from the truth as adjustTruth left it, with the same spend, controls and noise stream', () => {
    const drawn = simulateDataset(spec);
    const adjusted = simulateDataset({
      ...spec,
      // Every geo on the same media coefficients: no media deviations.
      adjustTruth: (theta, model) => theta.fill(0, model.layout.mediaEps, model.layout.mediaEps + model.data.G * model.data.C),
    });
    expect(adjusted.panel.spend).toEqual(drawn.panel.spend);
    expect(adjusted.panel.controls).toEqual(drawn.panel.controls);
    expect(adjusted.panel.kpi).not.toEqual(drawn.panel.kpi);

    const model = createMmmModel(adjusted.panel, adjusted.config);
    const state = newDrawState(model.data, model.layout);
    model.evaluate(adjusted.theta, state, new Float64Array(model.dim));
    const { G, C } = model.data;
    for (let c = 0; c < C; c++) for (let g = 1; g < G; g++) expect(state.beta[g * C + c]).toBeCloseTo(state.beta[c], 12);
  });
});

describe('simulateDataset with AR(1) residuals', () => {
  it("draws each geo's noise as an AR(1) path with the truth's phi", () => {
    // The same seed with phi = 0.7 and phi = 0 (phi = tanh(v / 2)): the same parameters and innovations z_t, so the
    // KPIs differ by c_g (x_t - z_t) = c_g phi x_{t-1} after the first week, an AR(1) series with coefficient phi.
    const simulate = (phi: number) =>
      simulateDataset({
        geos: 4,
        weeks: 150,
        channels: 2,
        controls: 1,
        seed: 5,
        noiseSd: 0.3,
        model: { residuals: 'ar1' },
        adjustTruth: (t, model) => (t[model.layout.residualCorrelation] = 2 * Math.atanh(phi)),
      });
    const correlated = simulate(0.7);
    const independent = simulate(0);
    expect(correlated.theta.subarray(0, -1)).toEqual(independent.theta.subarray(0, -1));
    const model = createMmmModel(correlated.panel, correlated.config);
    const state = newDrawState(model.data, model.layout);
    model.evaluate(correlated.theta, state, new Float64Array(model.dim));
    expect(state.phi).toBeCloseTo(0.7, 12);
    // Lag-1 regression of the differences over the four geos: sd of the estimate about sqrt((1 - phi^2) / 590) = 0.03.
    const { G } = model.data;
    const T = correlated.panel.dates.length;
    const difference = (g: number, t: number) => correlated.panel.kpi[g * T + t] - independent.panel.kpi[g * T + t];
    let products = 0;
    let squares = 0;
    for (let g = 0; g < G; g++) {
      for (let t = 2; t < T; t++) {
        products += difference(g, t) * difference(g, t - 1);
        squares += difference(g, t - 1) ** 2;
      }
    }
    expect(Math.abs(products / squares - 0.7)).toBeLessThan(0.12);
  });
});
