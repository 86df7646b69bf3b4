/**
 * The sampler moves levels (intercept plus mean media contribution) instead of the intercepts in geo models and,
 * in national models, the baseline's conditional posterior coordinates z (conditional-baseline.ts; the
 * coefficients shifted by the media's projection under the Student-t likelihood); the gradient tests check the
 * log density against an independent implementation of those changes of variables, these check the way back
 * from intercepts and coefficients to coordinates that prior sampling and simulations rely on, and from
 * coordinates to the coefficients the parameter summaries report.
 */
import { describe, expect, it } from 'vitest';
import { createRng } from '../../src/math/rng.ts';
import { newDrawState } from '../../src/model/mmm-model.ts';
import { createMmmModel } from '../../src/model/model.ts';
import { simulateDataset } from '../../src/model/simulate.ts';

describe('level parameterisation of the intercepts', () => {
  it.each([1, 4])('setIntercepts yields a baseline equal to the requested intercepts (%d geos)', (geos) => {
    // No time basis and no controls: the baseline is the intercept alone.
    const { panel, config } = simulateDataset({
      geos,
      weeks: 40,
      channels: 3,
      controls: 0,
      seed: 4,
      noiseSd: 0.3,
      model: { knots: 1, seasonality: { harmonics: 0, period: 52.18 } },
    });
    const model = createMmmModel(panel, config);
    const { G, T } = model.data;
    const rng = createRng(8, 0);
    const theta = Float64Array.from({ length: model.dim }, () => 0.8 * rng.normal());
    const intercepts = Float64Array.from({ length: G }, (_, g) => 0.5 * g - 1.2);
    model.setIntercepts(theta, intercepts);
    const state = newDrawState(model.data, model.layout);
    model.evaluate(theta, state, new Float64Array(model.dim));
    for (let g = 0; g < G; g++) {
      // A level exceeds the intercept by the media's mean contribution, positive here.
      expect(theta[model.layout.level + g]).toBeGreaterThan(intercepts[g] + 1e-3);
      for (let t = 0; t < T; t++) expect(state.baseline[g * T + t]).toBeCloseTo(intercepts[g], 12);
    }
  });

  it.each([1, 3])(
    "setBaselineCoefficients yields a baseline of the requested time and control coefficients (%d geos; national coordinates are the conditional posterior's)",
    (geos) => {
      const { panel, config } = simulateDataset({ geos, weeks: 60, channels: 3, controls: 2, seed: 6, noiseSd: 0.3, model: { knots: 3 } });
      const model = createMmmModel(panel, config);
      const { G, T, K, nTime, timeBasis, controls } = model.data;
      const { layout } = model;
      const rng = createRng(9, 0);
      const theta = Float64Array.from({ length: model.dim }, () => 0.8 * rng.normal());
      const time = Float64Array.from({ length: nTime }, (_, j) => 0.3 * j - 1);
      const gamma = Float64Array.from({ length: K }, (_, k) => 0.7 - k);
      // Geo models: every geo at the shared values (deviations zero; a centred coordinate is the geo's value).
      if (layout.gammaGeo >= 0) {
        for (let i = 0; i < G * K; i++) theta[layout.gammaGeo + i] = model.data.pooling.controls[i % K] === 'centred' ? gamma[i % K] : 0;
      }
      if (layout.trendGeo >= 0) {
        for (let g = 0; g < G; g++)
          for (let m = 0; m < model.data.nTrend; m++)
            theta[layout.trendGeo + g * model.data.nTrend + m] = model.data.pooling.trend === 'centred' ? time[m] : 0;
      }
      model.setBaselineCoefficients(theta, time, gamma);
      model.setIntercepts(theta, new Float64Array(G));
      // The summaries' way back: the coordinates read as the coefficients requested, every other coordinate as is.
      const readable = new Float64Array(model.dim);
      model.withBaselineCoefficients(theta, readable);
      for (let j = 0; j < nTime; j++) expect(readable[layout.time + j]).toBeCloseTo(time[j], 10);
      for (let k = 0; k < K; k++) expect(readable[layout.gamma + k]).toBeCloseTo(gamma[k], 10);
      // National coordinates z stand for the intercept too (conditional-baseline.ts), whose row reads as the level.
      const baselineCoordinates = new Set(
        [...Array(nTime).keys()]
          .map((j) => layout.time + j)
          .concat([...Array(K).keys()].map((k) => layout.gamma + k))
          .concat(geos === 1 ? [layout.level] : []),
      );
      for (let i = 0; i < model.dim; i++) if (!baselineCoordinates.has(i)) expect(readable[i]).toBe(theta[i]);
      const state = newDrawState(model.data, layout);
      model.evaluate(theta, state, new Float64Array(model.dim));
      let shifted = 0;
      for (let j = 0; j < nTime; j++) shifted += Math.abs(theta[layout.time + j] - time[j]);
      // National coordinates are z = L' (b - b_hat); geo coordinates are the coefficients.
      if (geos === 1) expect(shifted).toBeGreaterThan(1e-3);
      else expect(shifted).toBe(0);
      for (let g = 0; g < G; g++) {
        for (let t = 0; t < T; t++) {
          let expected = 0;
          for (let j = 0; j < nTime; j++) expected += timeBasis[t * nTime + j] * time[j];
          for (let k = 0; k < K; k++) expected += controls[(g * T + t) * K + k] * gamma[k];
          expect(state.baseline[g * T + t]).toBeCloseTo(expected, 10);
        }
      }
    },
  );

  it.each([
    [1, ['level']],
    [2, ['level[geo0]', 'level[geo1]']],
  ] as const)('names the level coordinates (%d geos)', (geos, names) => {
    const { panel, config } = simulateDataset({ geos, weeks: 40, channels: 1, controls: 0, seed: 4, noiseSd: 0.3 });
    const { layout } = createMmmModel(panel, config);
    expect(layout.names.slice(layout.level, layout.level + geos)).toEqual(names);
  });
});
