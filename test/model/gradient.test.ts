/**
 * Acceptance: the hand-written gradient equals central finite differences (float64) and tfjs
 * autodiff of an independent implementation (float32, so a looser tolerance) at random points,
 * for national and geo models and every adstock / saturation / prior / likelihood / residual option, with and without
 * synergy terms (model.interactions, sign free and constrained >= 0).
 */
import { describe, it } from 'vitest';
import type { MmmConfigInput } from '../../src/config/schema.ts';
import { createMmmModel } from '../../src/model/model.ts';
import { simulateDataset } from '../../src/model/simulate.ts';
import { expectGradientMatchesFiniteDifferences, expectGradientMatchesTfjs } from '../support/gradient-checks.ts';

interface Case {
  label: string;
  geos: number;
  model: NonNullable<MmmConfigInput['model']>;
}

const cases: Case[] = [
  { label: 'national geometric hill roi', geos: 1, model: { adstock: 'geometric', saturation: 'hill', maxLag: 4, knots: 3 } },
  { label: 'national binomial logistic', geos: 1, model: { adstock: 'binomial', saturation: 'logistic', maxLag: 4 } },
  {
    label: 'national hill learned slope, coefficient prior, student-t',
    geos: 1,
    model: { saturation: 'hill', hillSlope: 'learned', likelihood: 'student_t', priors: { media: { type: 'coefficient', scale: 5 } } },
  },
  { label: 'geo geometric hill', geos: 4, model: { adstock: 'geometric', saturation: 'hill', maxLag: 3 } },
  {
    label: 'geo binomial logistic, sigma per geo, holdout',
    geos: 3,
    model: { adstock: 'binomial', saturation: 'logistic', sigmaPerGeo: true, holdoutWeeks: 6 },
  },
  {
    label: 'geo pooled trends over 4 knots, drifting seasonality',
    geos: 3,
    model: { knots: 4, geoTrend: 'pooled', seasonality: { harmonics: 2, period: 52.18, drift: true }, maxLag: 3 },
  },
  { label: 'geo one shared trend', geos: 3, model: { knots: 3, geoTrend: 'shared', maxLag: 3 } },
  { label: 'geo centred pooling of trends and controls', geos: 3, model: { knots: 3, geoPooling: 'centred', maxLag: 3 } },
  { label: 'geo non-centred pooling of trends and controls', geos: 3, model: { knots: 3, geoPooling: 'non_centred', maxLag: 3 } },
  {
    label: 'geo hill learned slope, coefficient prior',
    geos: 3,
    model: { hillSlope: 'learned', priors: { media: { type: 'coefficient', scale: 2 } } },
  },
  {
    label: 'national synergies, sign free',
    geos: 1,
    model: {
      maxLag: 4,
      interactions: [
        ['ch0', 'ch1'],
        ['ch2', 'ch0'],
      ],
    },
  },
  {
    label: 'national synergy >= 0, logistic, student-t',
    geos: 1,
    model: {
      saturation: 'logistic',
      likelihood: 'student_t',
      interactions: [['ch1', 'ch2']],
      priors: { interaction: { scale: 0.5, sign: 'non_negative' } },
    },
  },
  {
    label: 'geo synergies, sign free, coefficient prior',
    geos: 3,
    model: {
      maxLag: 3,
      interactions: [
        ['ch0', 'ch1'],
        ['ch1', 'ch2'],
      ],
      priors: { media: { type: 'coefficient', scale: 2 } },
    },
  },
  {
    label: 'geo synergy >= 0, learned slope, holdout',
    geos: 4,
    model: { hillSlope: 'learned', holdoutWeeks: 5, interactions: [['ch2', 'ch0']], priors: { interaction: { sign: 'non_negative' } } },
  },
  { label: 'national AR(1) residuals', geos: 1, model: { residuals: 'ar1', maxLag: 4, knots: 3 } },
  {
    label: 'geo AR(1) residuals, sigma per geo, pooled trends, holdout',
    geos: 3,
    model: { residuals: 'ar1', sigmaPerGeo: true, knots: 3, holdoutWeeks: 5, maxLag: 3 },
  },
  {
    label: 'national AR(1) residuals, synergy, learned slope, coefficient prior',
    geos: 1,
    model: { residuals: 'ar1', hillSlope: 'learned', interactions: [['ch0', 'ch1']], priors: { media: { type: 'coefficient', scale: 2 } } },
  },
];

describe.each(cases)('MMM gradient: $label', ({ geos, model: modelOptions }) => {
  const { panel, config } = simulateDataset({ geos, weeks: 40, channels: 3, controls: 2, seed: 11, noiseSd: 0.5, model: modelOptions });
  const model = createMmmModel(panel, config);

  it('matches central finite differences at random points', () => {
    expectGradientMatchesFiniteDifferences(model);
  });

  it('matches tf.grad of an independent tfjs implementation', () => {
    expectGradientMatchesTfjs(model);
  });
});
