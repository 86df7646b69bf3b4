/**
 * The experiments' likelihood term: its implied incremental outcome against quantities known in closed form,
 * and the model's hand-written gradient with experiments against central finite differences and tf.grad of
 * the independent tfjs implementation (acceptance 3 of issue 17).
 */
import { describe, expect, it } from 'vitest';
import type { Experiment } from '../../../src/config/experiment-config.ts';
import type { MmmConfigInput } from '../../../src/config/schema.ts';
import { createRng } from '../../../src/math/rng.ts';
import { createMmmModel } from '../../../src/model/model.ts';
import { drawFromPrior } from '../../../src/model/prior-sampling.ts';
import { windowSpend } from '../../../src/model/simulate-experiment.ts';
import { simulateDataset } from '../../../src/model/simulate.ts';
import { expectGradientMatchesFiniteDifferences, expectGradientMatchesTfjs } from '../../support/gradient-checks.ts';

function experiment(
  panel: ReturnType<typeof simulateDataset>['panel'],
  id: string,
  channel: string,
  geo: string | null,
  weeks: [number, number],
  counterfactualShare = 0,
): Experiment {
  const [start, end] = [panel.dates[weeks[0]], panel.dates[weeks[1]]];
  const spend = windowSpend(panel, channel, geo, start, end);
  return {
    id,
    channel,
    geo,
    start,
    end,
    spend,
    counterfactualSpend: counterfactualShare * spend,
    incrementalOutcome: 0.8 * spend,
    standardError: 0.3 * spend,
  };
}

interface Case {
  label: string;
  geos: number;
  model: NonNullable<MmmConfigInput['model']>;
  experiments: (panel: ReturnType<typeof simulateDataset>['panel']) => Experiment[];
}

const cases: Case[] = [
  {
    label: 'national geometric hill, a go-dark and a half-spend test',
    geos: 1,
    model: { adstock: 'geometric', saturation: 'hill', maxLag: 4, knots: 3 },
    experiments: (panel) => [experiment(panel, 'dark', 'ch0', null, [8, 14]), experiment(panel, 'half', 'ch1', null, [20, 25], 0.5)],
  },
  {
    label: 'national binomial logistic, learned slope, test running into the holdout',
    geos: 1,
    model: { adstock: 'binomial', saturation: 'logistic', hillSlope: 'learned', maxLag: 4, holdoutWeeks: 6 },
    experiments: (panel) => [experiment(panel, 'late', 'ch2', null, [30, 35])],
  },
  {
    label: 'geo hill learned slope, coefficient prior: a geo test and a national test',
    geos: 3,
    model: { hillSlope: 'learned', maxLag: 3, priors: { media: { type: 'coefficient', scale: 2 } } },
    experiments: (panel) => [experiment(panel, 'geo1', 'ch0', 'geo1', [10, 16]), experiment(panel, 'all', 'ch1', null, [5, 12], 0.25)],
  },
];

describe.each(cases)('MMM gradient with experiments: $label', ({ geos, model: modelOptions, experiments }) => {
  const { panel, config } = simulateDataset({ geos, weeks: 40, channels: 3, controls: 2, seed: 11, noiseSd: 0.5, model: modelOptions });
  const model = createMmmModel(panel, { ...config, experiments: experiments(panel) });

  it('has its experiments', () => {
    expect(model.data.experiments.length).toBe(experiments(panel).length);
  });

  it('matches central finite differences at random points', () => {
    expectGradientMatchesFiniteDifferences(model);
  });

  it('matches tf.grad of an independent tfjs implementation', () => {
    expectGradientMatchesTfjs(model);
  });
});

describe('implied incremental outcome', () => {
  const { panel, config } = simulateDataset({ geos: 1, weeks: 60, channels: 2, controls: 1, seed: 5, noiseSd: 0.5, model: { maxLag: 4 } });
  const last = panel.dates.length - 1;

  it('of a go-dark test over the whole data is the channel total roi x spend', () => {
    const whole = experiment(panel, 'whole', 'ch0', null, [0, last]);
    const model = createMmmModel(panel, { ...config, experiments: [whole] });
    const theta = drawFromPrior(model, createRng(3, 0));
    const [implied] = model.experimentOutcomes(theta);
    const roi = Math.exp(theta[model.layout.mediaEffect]);
    expect(implied / (roi * model.data.roiSpend[0])).toBeCloseTo(1, 10);
  });

  it('is zero when the counterfactual spend is the actual spend, and grows as the counterfactual falls', () => {
    const same = experiment(panel, 'same', 'ch1', null, [10, 20], 1);
    const half = experiment(panel, 'half', 'ch1', null, [10, 20], 0.5);
    const dark = experiment(panel, 'dark', 'ch1', null, [10, 20], 0);
    const model = createMmmModel(panel, { ...config, experiments: [same, half, dark] });
    const theta = drawFromPrior(model, createRng(4, 0));
    const [zero, halfOutcome, darkOutcome] = model.experimentOutcomes(theta);
    expect(zero).toBe(0);
    expect(halfOutcome).toBeGreaterThan(0);
    expect(darkOutcome).toBeGreaterThan(halfOutcome);
  });

  it('counts the carry-over after the window: a test ending maxLag weeks before the data counts more than its window alone', () => {
    const model = createMmmModel(panel, { ...config, experiments: [experiment(panel, 'mid', 'ch0', null, [20, 24])] });
    expect(model.data.experiments[0]).toMatchObject({ start: 20, end: 25, outcomeEnd: 29 });
  });
});
