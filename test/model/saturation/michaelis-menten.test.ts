import { describe, expect, it } from 'vitest';
import { DrawEvaluator } from '../../../src/model/posterior-draws.ts';
import { modelSchema, type MmmConfigInput } from '../../../src/config/schema.ts';
import { createRng } from '../../../src/math/rng.ts';
import { coordinateTransforms } from '../../../src/model/constrain.ts';
import { channelOutcomeTotal } from '../../../src/model/decompose.ts';
import { createMmmModel } from '../../../src/model/model.ts';
import { explainParameter } from '../../../src/model/parameter-families.ts';
import { drawFromPrior, samplePrior } from '../../../src/model/prior-sampling.ts';
import { michaelisMenten } from '../../../src/model/saturation/michaelis-menten.ts';
import { simulateDataset } from '../../../src/model/simulate.ts';
import { expectGradientMatchesFiniteDifferences, expectGradientMatchesTfjs } from '../../support/gradient-checks.ts';
import { normalLogPdf, referenceSaturations, type ReferenceSaturation } from '../../support/tfjs-mmm-log-density.ts';

/** h = u / (u + km) in tfjs ops, with log km ~ Normal(mu, sigma) (the LogNormal's density on the log scale). */
const michaelisMentenReference: ReferenceSaturation = (tf, { u, shapeRaw, slopeRaw, priors }) => {
  const terms = [normalLogPdf(shapeRaw, priors.km.mu, priors.km.sigma)];
  if (slopeRaw) terms.push(normalLogPdf(slopeRaw, 0, 1));
  return { h: u.div(u.add(shapeRaw.exp())), terms };
};

describe('Michaelis-Menten saturation', () => {
  it('is u / (u + km), half of its maximum at u = km, and ignores the slope', () => {
    for (const km of [0.1, 1, 7]) {
      for (const u of [0, 0.01, 0.5, 1, 3, 40]) expect(michaelisMenten.value(u, km, 2.5)).toBeCloseTo(u / (u + km), 14);
      expect(michaelisMenten.value(km, km, 1)).toBeCloseTo(0.5, 14);
    }
  });

  it('series gives the values and the derivatives in u and km of central finite differences', () => {
    const u = Float64Array.from([9, 9, 0, 0.02, 0.4, 1, 2.5, 30]);
    const n = u.length - 2;
    const km = 0.7;
    const value = new Float64Array(u.length);
    const dInput = new Float64Array(u.length);
    const dShape = new Float64Array(u.length);
    const dSlope = new Float64Array(u.length).fill(NaN);
    michaelisMenten.series(u, 2, n, km, 3, value, dInput, dShape, dSlope);
    const h = 1e-6;
    for (let i = 2; i < u.length; i++) {
      expect(value[i]).toBeCloseTo(michaelisMenten.value(u[i], km, 1), 14);
      const du = u[i] === 0 ? 0 : (michaelisMenten.value(u[i] + h, km, 1) - michaelisMenten.value(u[i] - h, km, 1)) / (2 * h);
      if (u[i] > 0) expect(dInput[i]).toBeCloseTo(du, 7);
      expect(dShape[i]).toBeCloseTo((michaelisMenten.value(u[i], km + h, 1) - michaelisMenten.value(u[i], km - h, 1)) / (2 * h), 7);
      expect(dSlope[i]).toBe(0);
    }
    expect(dInput[2]).toBeCloseTo(1 / km, 12); // dh/du at 0 = 1 / km
    expect(value[0]).toBe(0); // outside [offset, offset + n): untouched
  });

  it('is a config name, with its prior under model.priors.km, and names its parameter km', () => {
    const model = modelSchema.parse({ saturation: 'michaelis_menten' });
    expect(model.saturation).toBe('michaelis_menten');
    expect(model.priors.km).toEqual({ mu: 0, sigma: 1 });
    const { panel, config } = simulateDataset({
      geos: 1,
      weeks: 30,
      channels: 2,
      controls: 0,
      seed: 3,
      noiseSd: 0.5,
      model: { saturation: 'michaelis_menten' },
    });
    expect(createMmmModel(panel, config).layout.names).toContain(`km[${panel.channels[0]}]`);
    expect(explainParameter(`km[${panel.channels[0]}]`, 2)?.family).toBe(`the carry-over and saturation of ${panel.channels[0]}`);
  });
});

interface Case {
  label: string;
  geos: number;
  model: NonNullable<MmmConfigInput['model']>;
  hillChannel?: number;
}

const cases: Case[] = [
  {
    label: 'national geometric michaelis_menten roi',
    geos: 1,
    model: { adstock: 'geometric', saturation: 'michaelis_menten', maxLag: 4, knots: 3 },
  },
  {
    label: 'geo binomial michaelis_menten beside a hill channel, learned slope, coefficient prior',
    geos: 3,
    hillChannel: 1,
    model: {
      adstock: 'binomial',
      saturation: 'michaelis_menten',
      hillSlope: 'learned',
      priors: { media: { type: 'coefficient', scale: 2 }, km: { mu: 0.3, sigma: 0.6 } },
    },
  },
];

describe.each(cases)('MMM gradient with Michaelis-Menten: $label', ({ geos, model: modelOptions, hillChannel }) => {
  const { panel, config } = simulateDataset({ geos, weeks: 40, channels: 3, controls: 2, seed: 11, noiseSd: 0.5, model: modelOptions });
  if (hillChannel !== undefined) config.data.channels[hillChannel].saturation = 'hill';
  const model = createMmmModel(panel, config);

  it('matches central finite differences at random points', () => {
    expectGradientMatchesFiniteDifferences(model);
  });

  it('matches tf.grad of an independent tfjs implementation', () => {
    expectGradientMatchesTfjs(model, { ...referenceSaturations, michaelis_menten: michaelisMentenReference });
  });
});

describe('prior sampling with Michaelis-Menten', () => {
  it('draws log km from Normal(mu, sigma) of model.priors.km: quantiles within sampling error', () => {
    const { panel, config } = simulateDataset({
      geos: 1,
      weeks: 60,
      channels: 2,
      controls: 0,
      seed: 9,
      noiseSd: 0.3,
      model: { saturation: 'michaelis_menten', priors: { km: { mu: 0.5, sigma: 0.4 } } },
    });
    const model = createMmmModel(panel, config);
    const rng = createRng(11, 0);
    const n = 20_000;
    const logKm = Float64Array.from({ length: n }, () => drawFromPrior(model, rng)[model.layout.shape]).sort();
    // Quantiles of Normal(0.5, 0.4) at 5%, 50%, 95%; the sd of a sample quantile is ~ 0.006 here.
    expect(logKm[Math.floor(0.05 * n)]).toBeCloseTo(0.5 - 1.6449 * 0.4, 1);
    expect(logKm[Math.floor(0.5 * n)]).toBeCloseTo(0.5, 1);
    expect(logKm[Math.floor(0.95 * n)]).toBeCloseTo(0.5 + 1.6449 * 0.4, 1);
  });

  it('gives km = exp(coordinate) in the model and in summaries, a slope of 1 even when slopes are learned, and incremental outcome = ROI x spend', () => {
    const { panel, config } = simulateDataset({
      geos: 2,
      weeks: 50,
      channels: 2,
      controls: 1,
      seed: 5,
      noiseSd: 0.3,
      model: { saturation: 'michaelis_menten', hillSlope: 'learned' },
    });
    const model = createMmmModel(panel, config);
    const prior = samplePrior(model, 50, createRng(3, 0));
    const evaluator = new DrawEvaluator(model, prior);
    const transforms = coordinateTransforms(model.data, model.layout);
    const { C, G, T } = model.data;
    for (let d = 0; d < 50; d++) {
      const state = evaluator.load(d);
      for (let c = 0; c < C; c++) {
        const coordinate = prior.theta[d * model.dim + model.layout.shape + c];
        expect(state.shape[c]).toBeCloseTo(Math.exp(coordinate), 12);
        expect(transforms[model.layout.shape + c](coordinate)).toBe(state.shape[c]);
        expect(state.slope[c]).toBe(1);
        let spend = 0;
        for (let i = 0; i < G * T; i++) spend += panel.spend[i * C + c];
        const roi = Math.exp(prior.theta[d * model.dim + model.layout.mediaEffect + c]);
        expect(channelOutcomeTotal(model.data, state, c, 1) / spend).toBeCloseTo(roi, 8);
      }
    }
  });
});
