import { describe, expect, it } from 'vitest';
import { allocationFromRecord, currentMixAt, UnknownChannelError } from '../../src/explore/allocation.ts';
import { marginalReturns } from '../../src/explore/marginal.ts';
import { probabilityBeats, score } from '../../src/explore/score.ts';
import { SpendOutOfRangeError } from '../../src/surface/response-curves.ts';
import { calibratedRun, FIVE_CHANNELS, randomCurveSource } from '../support/known-curve-source.ts';
import { synergyRun, synergySource } from '../support/synergy-source.ts';

const source = randomCurveSource({ channels: FIVE_CHANNELS, nDraws: 500, seed: 8 });
const run = calibratedRun(source);
const k = run.calibration.factor;
const spend = Float64Array.of(40_000, 30_000, 10_000, 15_000, 5_000);
const factors = [...spend].map((s, c) => s / FIVE_CHANNELS[c].spend);

describe('score', () => {
  const result = score(run, spend);

  it('gives the posterior of the outcome per draw, matching direct evaluation of the curves', () => {
    expect(result.draws.length).toBe(500);
    expect(result.totalSpend).toBe(100_000);
    const direct = k * source.meanOutcome(factors);
    expect(Math.abs(result.outcome.mean - direct) / direct).toBeLessThan(1e-4);
    for (let d = 0; d < 500; d += 50) {
      let outcome = source.baselineDraws[d];
      factors.forEach((f, c) => {
        outcome += source.contribution(c, f, d);
      });
      expect(Math.abs(result.draws[d] - k * outcome) / (k * outcome)).toBeLessThan(1e-4);
    }
    expect(result.outcome.p05).toBeLessThan(result.outcome.p50);
    expect(result.outcome.p50).toBeLessThan(result.outcome.p95);
  });

  it('splits paid-media outcome by channel, with ROI = contribution / spend', () => {
    result.channels.forEach((ch, c) => {
      let direct = 0;
      for (let d = 0; d < 500; d++) direct += source.contribution(c, factors[c], d);
      direct = (k * direct) / 500;
      expect(Math.abs(ch.contribution.mean - direct) / direct).toBeLessThan(0.005);
      expect(ch.roi).toBeCloseTo(ch.contribution.mean / spend[c], 9);
    });
    const media = result.channels.reduce((s, ch) => s + ch.contribution.mean, 0);
    expect(result.incremental.mean).toBeCloseTo(media, 6);
    expect(result.roi).toBeCloseTo(media / 100_000, 9);
  });

  it('compares with the current mix at the same budget draw by draw', () => {
    const current = score(run, currentMixAt(run.curves, 100_000));
    expect(current.pBeatsCurrent).toBe(0); // never strictly better than itself
    expect(result.pBeatsCurrent).toBe(probabilityBeats(result.draws, current.draws));
    const better = score(run, Float64Array.of(50_000, 10_000, 10_000, 29_000, 1_000));
    expect(better.outcome.mean).toBeGreaterThan(current.outcome.mean);
    expect(better.pBeatsCurrent).toBeGreaterThan(0.9);
  });

  it('refuses spend beyond the stored range', () => {
    expect(() => score(run, Float64Array.of(160_000, 0, 0, 0, 0))).toThrow(SpendOutOfRangeError);
  });
});

describe('marginal returns', () => {
  it('are the derivative of the outcome in each channel, within 1% of the known curves', () => {
    const marginal = marginalReturns(run, spend);
    marginal.forEach((m, c) => {
      const h = 1e-4;
      let direct = 0;
      for (let d = 0; d < 500; d++) direct += source.contribution(c, factors[c] + h, d) - source.contribution(c, factors[c] - h, d);
      direct = (k * direct) / 500 / (2 * h * FIVE_CHANNELS[c].spend);
      expect(m.channel).toBe(FIVE_CHANNELS[c].name);
      expect(Math.abs(m.mroi.mean - direct) / direct).toBeLessThan(0.01);
      expect(m.mroi.p05).toBeLessThan(m.mroi.p95);
    });
  });
});

describe('allocations', () => {
  it('keep current spend for channels not named and refuse unknown channels', () => {
    expect([...allocationFromRecord(run.curves.channels, { tv: 1, radio: 2 }, run.curves.historicalSpend)]).toEqual([
      1, 20_000, 15_000, 10_000, 2,
    ]);
    expect(() => allocationFromRecord(run.curves.channels, { print: 5 }, run.curves.historicalSpend)).toThrow(UnknownChannelError);
    expect(() => allocationFromRecord(run.curves.channels, { print: 5 }, run.curves.historicalSpend)).toThrow(/'print'.*'tv'/);
  });
});

describe('marginal returns with a synergy pair', () => {
  const synergy = synergyRun(synergySource());
  const at = Float64Array.of(73, 127, 93, 43);

  it("include the pair term's slope: central differences of the per-draw outcome, and above the channel curve's own slope", () => {
    const returns = marginalReturns(synergy, at);
    const kk = synergy.calibration.factor;
    const up = new Float64Array(synergy.curves.nDraws);
    const down = new Float64Array(synergy.curves.nDraws);
    for (const c of [0, 1, 2]) {
      // Within one cell of the pair grid and of the channel's Hermite interval, so the difference is the slope there.
      const h = 1e-3;
      const plus = Float64Array.from(at);
      plus[c] += h;
      const minus = Float64Array.from(at);
      minus[c] -= h;
      synergy.curves.outcomeDraws(plus, up);
      synergy.curves.outcomeDraws(minus, down);
      const difference = (kk * up.reduce((s, v, d) => s + v - down[d], 0)) / (2 * h * up.length);
      expect(returns[c].mroi.mean).toBeCloseTo(difference, 6);
      const own = kk * synergy.curves.mean.marginal(c, at[c]);
      if (c < 2) expect(returns[c].mroi.mean).toBeGreaterThan(own);
      else expect(returns[c].mroi.mean).toBeCloseTo(own, 12);
    }
  });
});
