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
