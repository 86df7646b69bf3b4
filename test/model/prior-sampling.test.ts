import { describe, expect, it } from 'vitest';
import { DrawEvaluator } from '../../src/model/posterior-draws.ts';
import { createRng } from '../../src/math/rng.ts';
import { channelOutcomeTotal } from '../../src/model/decompose.ts';
import { createMmmModel } from '../../src/model/model.ts';
import { drawFromPrior, samplePrior } from '../../src/model/prior-sampling.ts';
import { sampleGamma } from '../../src/model/priors/scalar-prior.ts';
import { simulateDataset } from '../../src/model/simulate.ts';

describe('prior (forward) sampling', () => {
  it.each([1, 4])('under the ROI prior every prior draw has incremental outcome = ROI x spend exactly (%d geos)', (geos) => {
    const { panel, config } = simulateDataset({ geos, weeks: 60, channels: 3, controls: 1, seed: 5, noiseSd: 0.3 });
    const model = createMmmModel(panel, config);
    const prior = samplePrior(model, 200, createRng(3, 0));
    const evaluator = new DrawEvaluator(model, prior);
    const { C, G, T } = model.data;
    for (let d = 0; d < 200; d++) {
      const state = evaluator.load(d);
      for (let c = 0; c < C; c++) {
        let spend = 0;
        for (let i = 0; i < G * T; i++) spend += panel.spend[i * C + c];
        const roi = Math.exp(prior.theta[d * model.dim + model.layout.mediaEffect + c]);
        expect(channelOutcomeTotal(model.data, state, c, 1) / spend).toBeCloseTo(roi, 8);
      }
    }
  });

  it('draws ROI from LogNormal(0.2, 0.9): quantiles within sampling error', () => {
    const { panel, config } = simulateDataset({ geos: 1, weeks: 60, channels: 2, controls: 0, seed: 9, noiseSd: 0.3 });
    const model = createMmmModel(panel, config);
    const rng = createRng(11, 0);
    const n = 20_000;
    const logRoi = Float64Array.from({ length: n }, () => drawFromPrior(model, rng)[model.layout.mediaEffect]).sort();
    // Quantiles of Normal(0.2, 0.9) at 5%, 50%, 95%; the sd of a sample quantile is ~ sqrt(p(1-p)/n)/density ~ 0.013 here.
    expect(logRoi[Math.floor(0.05 * n)]).toBeCloseTo(0.2 - 1.6449 * 0.9, 1);
    expect(logRoi[Math.floor(0.5 * n)]).toBeCloseTo(0.2, 1);
    expect(logRoi[Math.floor(0.95 * n)]).toBeCloseTo(0.2 + 1.6449 * 0.9, 1);
  });

  it('under a coefficient prior draws the coefficient B from HalfNormal(scale), whatever ROI coordinate carries it', () => {
    const { panel, config } = simulateDataset({ geos: 1, weeks: 60, channels: 2, controls: 0, seed: 9, noiseSd: 0.3 });
    const scale = 2;
    const model = createMmmModel(panel, {
      ...config,
      model: { ...config.model, priors: { ...config.model.priors, media: { type: 'coefficient', scale } } },
    });
    const n = 4000;
    const prior = samplePrior(model, n, createRng(13, 0));
    const evaluator = new DrawEvaluator(model, prior);
    const coefficients = Float64Array.from({ length: n }, (_, d) => evaluator.load(d).beta[1]).sort();
    // |Normal(0, 2)| quantiles at 10%, 50%, 90%: 2 x 0.1257, 2 x 0.6745, 2 x 1.6449; sample-quantile sd ~ 0.03-0.06 here.
    expect(coefficients[Math.floor(0.1 * n)]).toBeCloseTo(scale * 0.1257, 1);
    expect(coefficients[Math.floor(0.5 * n)]).toBeCloseTo(scale * 0.6745, 1);
    expect(Math.abs(coefficients[Math.floor(0.9 * n)] - scale * 1.6449)).toBeLessThan(0.2);
  });

  it.each([
    ['free', 0.25, [-1.6449, 0, 1.6449]],
    ['non_negative', 0.5, [0.0627, 0.6745, 1.96]],
  ] as const)('draws each synergy coefficient from its prior (sign %s, scale %d)', (sign, scale, quantiles) => {
    const { panel, config } = simulateDataset({ geos: 1, weeks: 60, channels: 3, controls: 0, seed: 9, noiseSd: 0.3 });
    const model = createMmmModel(panel, {
      ...config,
      model: { ...config.model, interactions: [['ch0', 'ch2']], priors: { ...config.model.priors, interaction: { scale, sign } } },
    });
    const n = 20_000;
    const prior = samplePrior(model, n, createRng(17, 0));
    const evaluator = new DrawEvaluator(model, prior);
    const theta = Float64Array.from({ length: n }, (_, d) => evaluator.load(d).interaction[0]).sort();
    // Normal(0, s) at 5/50/95%, or |Normal(0, s)| at 5/50/95% (z = 0.0627, 0.6745, 1.96); sample-quantile sd < 0.01 x scale here.
    [0.05, 0.5, 0.95].forEach((p, i) => expect(Math.abs(theta[Math.floor(p * n)] - scale * quantiles[i])).toBeLessThan(0.04 * scale));
  });

  it('samples Gamma(shape, rate) with the right mean and variance, also for shape < 1', () => {
    const rng = createRng(21, 0);
    for (const [shape, rate] of [
      [3, 1],
      [0.5, 2],
    ] as const) {
      const n = 50_000;
      const xs = Float64Array.from({ length: n }, () => sampleGamma(rng, shape, rate));
      const mean = xs.reduce((a, b) => a + b, 0) / n;
      const variance = xs.reduce((a, b) => a + (b - mean) ** 2, 0) / n;
      expect(Math.abs(mean - shape / rate)).toBeLessThan(5 * Math.sqrt(shape / rate ** 2 / n));
      expect(Math.abs(variance / (shape / rate ** 2) - 1)).toBeLessThan(0.05);
    }
  });
});
