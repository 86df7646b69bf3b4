import { describe, expect, it } from 'vitest';
import { modelSchema } from '../../../src/config/schema.ts';
import { createRng } from '../../../src/math/rng.ts';
import { createMmmModel } from '../../../src/model/model.ts';
import { drawFromPrior } from '../../../src/model/prior-sampling.ts';
import { linear } from '../../../src/model/saturation/linear.ts';
import { simulateDataset } from '../../../src/model/simulate.ts';
import { expectGradientMatchesFiniteDifferences, expectGradientMatchesTfjs } from '../../support/gradient-checks.ts';
import { normalLogPdf, referenceSaturations, type ReferenceSaturation } from '../../support/tfjs-mmm-log-density.ts';

/** h = u; the unused shape coordinate ~ LogNormal(0, 1), i.e. Normal(0, 1) on the log scale. */
const linearReference: ReferenceSaturation = (_tf, { u, shapeRaw, slopeRaw }) => {
  const terms = [normalLogPdf(shapeRaw, 0, 1)];
  if (slopeRaw) terms.push(normalLogPdf(slopeRaw, 0, 1));
  return { h: u, terms };
};

describe('linear saturation', () => {
  it('is h = u with dh/du = 1 and no shape or slope derivative', () => {
    const u = Float64Array.from([5, 0, 0.3, 2, 40]);
    const value = new Float64Array(5);
    const dInput = new Float64Array(5);
    const dShape = new Float64Array(5).fill(NaN);
    const dSlope = new Float64Array(5).fill(NaN);
    linear.series(u, 1, 4, 0.7, 2, value, dInput, dShape, dSlope);
    expect(Array.from(value.subarray(1))).toEqual([0, 0.3, 2, 40]);
    expect(Array.from(dInput.subarray(1))).toEqual([1, 1, 1, 1]);
    expect(Array.from(dShape.subarray(1))).toEqual([0, 0, 0, 0]);
    expect(value[0]).toBe(0);
    expect(linear.value(3.5, 1, 1)).toBe(3.5);
  });

  it('is a config name with no prior settings of its own', () => {
    expect(modelSchema.parse({ saturation: 'linear' }).saturation).toBe('linear');
  });

  describe('model gradient with the family selected', () => {
    const { panel, config } = simulateDataset({
      geos: 2,
      weeks: 36,
      channels: 2,
      controls: 1,
      seed: 9,
      noiseSd: 0.5,
      model: { saturation: 'linear', maxLag: 3 },
    });
    const model = createMmmModel(panel, config);
    it('matches finite differences', () => expectGradientMatchesFiniteDifferences(model));
    it('matches tf.grad', () => expectGradientMatchesTfjs(model, { ...referenceSaturations, linear: linearReference }));
  });

  it("makes the media term linear in the channel's ROI: the outcome of a go-dark test is proportional to it", () => {
    const { panel, config } = simulateDataset({
      geos: 1,
      weeks: 60,
      channels: 2,
      controls: 1,
      seed: 4,
      noiseSd: 0.5,
      model: { saturation: 'linear', maxLag: 2 },
    });
    const start = panel.dates[10];
    const end = panel.dates[19];
    let spend = 0;
    for (let t = 10; t < 20; t++) spend += panel.spend[t * 2];
    const model = createMmmModel(panel, {
      ...config,
      experiments: [
        { id: 't', channel: 'ch0', geo: null, start, end, spend, counterfactualSpend: 0, incrementalOutcome: 1, standardError: 1 },
      ],
    });
    const theta = drawFromPrior(model, createRng(2, 0));
    const [at] = model.experimentOutcomes(theta);
    theta[model.layout.mediaEffect] += Math.log(3);
    const [tripled] = model.experimentOutcomes(theta);
    expect(tripled / at).toBeCloseTo(3, 10);
  });
});
