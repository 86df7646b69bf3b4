/**
 * The decomposition with synergy terms (issue 16): channel contributions with the terms split half and half
 * equal the Shapley values of the media outcome computed by switching channels off, they add up with the
 * baseline to the modelled outcome, and the term's own outcome, the response totals and the kernel's mean agree.
 */
import { describe, expect, it } from 'vitest';
import {
  channelOutcomeTotal,
  channelOutcomeTotals,
  channelResponseTotal,
  decomposeDraw,
  interactionOutcomeTotal,
  newDecomposition,
} from '../../src/model/decompose.ts';
import { newDrawState } from '../../src/model/mmm-model.ts';
import { saturationFamily } from '../../src/model/saturation/index.ts';
import { createMmmModel } from '../../src/model/model.ts';
import { simulateDataset } from '../../src/model/simulate.ts';

const sum = (values: Float64Array): number => values.reduce((a, b) => a + b, 0);

/** Every ordering of 0..n-1. */
function permutations(n: number): number[][] {
  if (n === 1) return [[0]];
  return permutations(n - 1).flatMap((rest) => Array.from({ length: n }, (_, i) => [...rest.slice(0, i), n - 1, ...rest.slice(i)]));
}

describe.each([1, 3])('decomposeDraw with synergies (%d geos)', (geos) => {
  const sim = simulateDataset({
    geos,
    weeks: 60,
    channels: 3,
    controls: 1,
    seed: 17,
    noiseSd: 0.3,
    model: {
      maxLag: 3,
      interactions: [
        ['ch0', 'ch1'],
        ['ch2', 'ch1'],
      ],
      priors: { interaction: { scale: 1 } },
    },
  });
  const model = createMmmModel(sim.panel, sim.config);
  const { data } = model;
  const { G, T, C } = data;
  const state = newDrawState(data, model.layout);
  model.evaluate(sim.theta, state, new Float64Array(model.dim));
  const parts = newDecomposition(data);

  /** The media outcome (all channels and terms) with the channels outside `on` switched off. */
  function mediaOutcome(on: Set<number>): number {
    decomposeDraw(
      data,
      state,
      parts,
      Float64Array.from({ length: C }, (_, c) => (on.has(c) ? 1 : 0)),
    );
    return sum(parts.media);
  }

  it('gives each channel its Shapley value: half of each term it is part of', () => {
    expect(state.interaction[0]).not.toBe(0);
    const orders = permutations(C);
    const shapley = new Float64Array(C);
    for (const order of orders) {
      const on = new Set<number>();
      for (const c of order) {
        const before = mediaOutcome(on);
        on.add(c);
        shapley[c] += (mediaOutcome(on) - before) / orders.length;
      }
    }
    decomposeDraw(data, state, parts);
    for (let c = 0; c < C; c++) {
      const contribution = sum(parts.media.subarray(c * G * T, (c + 1) * G * T));
      expect(contribution).toBeCloseTo(shapley[c], 6);
      expect(Math.abs(shapley[c] - channelOutcomeTotal(data, state, c, 1))).toBeGreaterThan(1e-6);
    }
  });

  it('adds up: baseline + channel contributions = the modelled outcome in every cell; the terms are kept apart', () => {
    decomposeDraw(data, state, parts);
    const level = data.scaling.kpiMean / data.scaling.kpiSd;
    for (let g = 0; g < G; g++) {
      for (let t = 0; t < T; t++) {
        const i = g * T + t;
        let total = parts.baseline[i];
        for (let c = 0; c < C; c++) total += parts.media[(c * G + g) * T + t];
        expect(total).toBeCloseTo(data.outcomeScale[i] * (parts.muScaled[i] + level), 6);
      }
    }
    data.interactions.forEach((_, p) => {
      const term = sum(parts.interaction.subarray(p * G * T, (p + 1) * G * T));
      expect(term).toBeCloseTo(interactionOutcomeTotal(data, state, p, 1, 1), 6);
    });
  });

  it('moves one channel alone with its response total: its own curve plus the whole of each of its terms', () => {
    // ch1 is in both pairs, ch0 in the first only.
    const both = interactionOutcomeTotal(data, state, 0, 1, 1.5) + interactionOutcomeTotal(data, state, 1, 1, 1.5);
    expect(channelResponseTotal(data, state, 1, 1.5)).toBeCloseTo(channelOutcomeTotal(data, state, 1, 1.5) + both, 8);
    expect(channelResponseTotal(data, state, 0, 0.5)).toBeCloseTo(
      channelOutcomeTotal(data, state, 0, 0.5) + interactionOutcomeTotal(data, state, 0, 0.5, 1),
      8,
    );
    expect(channelResponseTotal(data, state, 0, 0)).toBe(0);
  });

  it('matches the kernel: decomposed outcome minus the baseline is the media part of mu', () => {
    decomposeDraw(data, state, parts);
    let mediaMean = 0;
    for (let i = 0; i < G * T; i++) mediaMean += parts.muScaled[i] - state.baseline[i];
    let fromParts = 0;
    for (let g = 0; g < G; g++)
      for (let t = 0; t < T; t++) for (let c = 0; c < C; c++) fromParts += parts.media[(c * G + g) * T + t] / data.outcomeScale[g * T + t];
    expect(fromParts).toBeCloseTo(mediaMean, 6);
  });
});

describe.each([
  { saturation: 'hill', hillSlope: 'fixed' },
  { saturation: 'hill', hillSlope: 'learned' },
  { saturation: 'logistic', hillSlope: 'fixed' },
  { saturation: 'michaelis_menten', hillSlope: 'fixed' },
  { saturation: 'linear', hillSlope: 'fixed' },
] as const)('channelOutcomeTotals ($saturation, $hillSlope slope)', ({ saturation, hillSlope }) => {
  const sim = simulateDataset({
    geos: 3,
    weeks: 40,
    channels: 2,
    controls: 1,
    seed: 23,
    noiseSd: 0.3,
    model: { maxLag: 3, saturation, hillSlope },
  });
  const model = createMmmModel(sim.panel, sim.config);
  const { data } = model;
  const state = newDrawState(data, model.layout);
  model.evaluate(sim.theta, state, new Float64Array(model.dim));
  const curve = saturationFamily(data.channels[0].saturation);

  /** g_c(f) summed the plain way, one h(f u) per (geo, period): the reference the one-sweep kernel must equal bit for bit. */
  function plainTotal(c: number, factor: number, tStart: number, tEnd: number): number {
    const { G, T, C, outcomeScale } = data;
    let total = 0;
    for (let g = 0; g < G; g++) {
      let geoTotal = 0;
      for (let t = tStart; t < tEnd; t++) {
        geoTotal += outcomeScale[g * T + t] * curve.value(factor * state.adstocked[(c * G + g) * T + t], state.shape[c], state.slope[c]);
      }
      total += state.beta[g * C + c] * geoTotal;
    }
    return total;
  }

  it('gives every factor the total of a sweep of its own, to the last bit', () => {
    expect(data.channels[0].saturation).toBe(saturation);
    const factors = Float64Array.of(0, 0.5, 1, 1.01, 2.3, 3.01);
    for (const [tStart, tEnd] of [
      [0, data.T],
      [5, 30],
    ]) {
      for (let c = 0; c < data.C; c++) {
        const totals = channelOutcomeTotals(data, state, c, factors, new Float64Array(factors.length), tStart, tEnd);
        factors.forEach((f, i) => {
          expect(totals[i]).toBe(plainTotal(c, f, tStart, tEnd));
          expect(channelOutcomeTotal(data, state, c, f, tStart, tEnd)).toBe(totals[i]);
        });
        expect(totals[2]).toBeGreaterThan(0);
      }
    }
  });
});
