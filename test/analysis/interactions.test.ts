/**
 * The fit's report of synergies (issue 16): one row per pair with theta, the term's own outcome and P(theta > 0);
 * channel contributions holding half of each term; mROI and response curves moving one channel with the whole
 * term. Checked on prior draws shaped like a posterior (the analysis does not care where draws come from).
 */
import { describe, expect, it } from 'vitest';
import { analyzeFit, MROI_STEP } from '../../src/analysis/analyze-fit.ts';
import { interactionResult, interactionResultSchema } from '../../src/analysis/interactions.ts';
import { createRng } from '../../src/math/rng.ts';
import { channelOutcomeTotal, decomposeDraw, interactionOutcomeTotal, newDecomposition } from '../../src/model/decompose.ts';
import { createMmmModel } from '../../src/model/model.ts';
import { DrawEvaluator } from '../../src/model/posterior-draws.ts';
import { samplePrior } from '../../src/model/prior-sampling.ts';
import { simulateDataset } from '../../src/model/simulate.ts';

const mean = (values: number[]): number => values.reduce((a, b) => a + b, 0) / values.length;

describe('interactionResult', () => {
  it('summarises theta and the term outcome and counts the draws with theta > 0', () => {
    const row = interactionResult(['tv', 'search'], Float64Array.from([-1, 0, 1, 2]), Float64Array.from([-10, 0, 10, 20]));
    expect(interactionResultSchema.parse(row)).toEqual(row);
    expect(row.pPositive).toBe(0.5);
    expect(row.theta.mean).toBe(0.5);
    expect(row.contribution.mean).toBe(5);
  });
});

describe.each([1, 3])('analyzeFit with synergy pairs (%d geos)', (geos) => {
  const sim = simulateDataset({
    geos,
    weeks: 60,
    channels: 3,
    controls: 1,
    seed: 8,
    noiseSd: 0.3,
    model: {
      maxLag: 3,
      interactions: [
        ['ch1', 'ch0'],
        ['ch1', 'ch2'],
      ],
      priors: { interaction: { scale: 1 } },
    },
  });
  const model = createMmmModel(sim.panel, sim.config);
  const draws = 40;
  const posterior = samplePrior(model, draws, createRng(5, 0));
  const analysis = analyzeFit(model, sim.panel, posterior, { maxDrawsForDetail: draws });
  const evaluator = new DrawEvaluator(model, posterior);
  const { data } = model;
  const { G, T, C } = data;
  const parts = newDecomposition(data);
  const perDraw = Array.from({ length: draws }, (_, d) => {
    const state = evaluator.load(d);
    decomposeDraw(data, state, parts);
    const total = (values: Float64Array, i: number) => values.subarray(i * G * T, (i + 1) * G * T).reduce((a, b) => a + b, 0);
    return {
      theta: Array.from(state.interaction),
      channel: Array.from({ length: C }, (_, c) => total(parts.media, c)),
      term: data.interactions.map((_, p) => total(parts.interaction, p)),
      own: Array.from({ length: C }, (_, c) => channelOutcomeTotal(data, state, c, 1)),
      ch0Step: channelOutcomeTotal(data, state, 0, 1 + MROI_STEP) + interactionOutcomeTotal(data, state, 0, 1, 1 + MROI_STEP),
      ch0History: channelOutcomeTotal(data, state, 0, 1) + interactionOutcomeTotal(data, state, 0, 1, 1),
    };
  });

  it('reports one row per pair, in config order, with theta, the term outcome and P(theta > 0)', () => {
    expect(analysis.interactions.map((row) => row.pair)).toEqual([
      ['ch1', 'ch0'],
      ['ch1', 'ch2'],
    ]);
    analysis.interactions.forEach((row, p) => {
      expect(row.theta.mean).toBeCloseTo(mean(perDraw.map((d) => d.theta[p])), 10);
      expect(row.contribution.mean).toBeCloseTo(mean(perDraw.map((d) => d.term[p])), 4);
      expect(row.pPositive).toBe(perDraw.filter((d) => d.theta[p] > 0).length / draws);
    });
  });

  it('gives each channel its own outcome plus half of each of its terms, as the decomposition over time does', () => {
    for (let c = 0; c < C; c++) {
      expect(analysis.channels[c].contribution.mean).toBeCloseTo(mean(perDraw.map((d) => d.channel[c])), 4);
      const periods = analysis.contributions.filter((row) => row.component === `ch${c}` && row.geo === (geos === 1 ? 'national' : 'all'));
      expect(periods.reduce((a, row) => a + row.mean, 0)).toBeCloseTo(analysis.channels[c].contribution.mean, 4);
    }
    // ch1 is in both pairs: its contribution differs from its own curve by half of both terms.
    const half = mean(perDraw.map((d) => d.channel[1] - d.own[1]));
    expect(half).toBeCloseTo(0.5 * mean(perDraw.map((d) => d.term[0] + d.term[1])), 4);
    expect(Math.abs(half)).toBeGreaterThan(0);
  });

  it("gives ch0's mROI the whole change of its term when its spend alone rises", () => {
    const spend = sim.truth.spend[0];
    const expected = mean(perDraw.map((d) => (d.ch0Step - d.ch0History) / (MROI_STEP * spend)));
    expect(analysis.channels[0].mroi.mean).toBeCloseTo(expected, 8);
  });
});
