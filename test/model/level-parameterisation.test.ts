/**
 * The sampler moves levels (intercept plus mean media contribution) instead of the intercepts; the gradient tests check the log density against an independent implementation of that
 * shift, these check the way back from intercepts to levels that prior sampling and simulations rely on.
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

  it.each([
    [1, ['level']],
    [2, ['level[geo0]', 'level[geo1]']],
  ] as const)('names the level coordinates (%d geos)', (geos, names) => {
    const { panel, config } = simulateDataset({ geos, weeks: 40, channels: 1, controls: 0, seed: 4, noiseSd: 0.3 });
    const { layout } = createMmmModel(panel, config);
    expect(layout.names.slice(layout.level, layout.level + geos)).toEqual(names);
  });
});
