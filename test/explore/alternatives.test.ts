import { describe, expect, it } from 'vitest';
import { alternativesWorthShowing, DEFAULT_MIN_P_BEATS_CURRENT, diverseAlternatives } from '../../src/explore/alternatives.ts';
import { optimize } from '../../src/explore/optimizer.ts';
import { calibratedRun, FIVE_CHANNELS, randomCurveSource } from '../support/known-curve-source.ts';
import { meanOutcome, synergyRun, synergySource } from '../support/synergy-source.ts';

const run = calibratedRun(randomCurveSource({ channels: FIVE_CHANNELS, nDraws: 300, seed: 14 }));

const moved = (a: Float64Array, b: Float64Array, budget: number) => a.reduce((s, v, c) => s + Math.abs(v - b[c]), 0) / (2 * budget);

describe('diverse alternatives', () => {
  const alternatives = diverseAlternatives(run, { count: 5, tolerance: 0.01 });
  const best = optimize(run, {}).plan;

  it('start with the optimum and add distinct plans within the tolerance of it', () => {
    expect(alternatives.length).toBe(5);
    expect([...alternatives[0].plan.spend]).toEqual([...best.spend]);
    for (const alt of alternatives.slice(1)) {
      expect(alt.shortfall).toBeLessThanOrEqual(0.01);
      expect(alt.shortfall).toBeGreaterThanOrEqual(0);
      expect(best.objectiveValue - alt.plan.objectiveValue).toBeLessThanOrEqual(0.01 * best.score.incremental.mean + 1e-6);
      expect(alt.plan.score.totalSpend).toBeCloseTo(100_000, 6);
    }
  });

  it('keeps every plan at least minDistance of the budget away from each better-ranked plan', () => {
    alternatives.forEach((alt, i) => {
      for (const earlier of alternatives.slice(0, i))
        expect(moved(alt.plan.spend, earlier.plan.spend, 100_000)).toBeGreaterThanOrEqual(0.02);
      if (i > 0)
        expect(alt.distance).toBeCloseTo(Math.min(...alternatives.slice(0, i).map((e) => moved(alt.plan.spend, e.plan.spend, 100_000))), 9);
    });
  });

  it('moves further from the best as the tolerance widens', () => {
    const wide = diverseAlternatives(run, { count: 2, tolerance: 0.05 });
    expect(wide[1].distance).toBeGreaterThan(alternatives[1].distance);
    expect(wide[1].shortfall).toBeLessThanOrEqual(0.05);
  });

  it('honours constraints in every alternative', () => {
    const constrained = diverseAlternatives(run, { count: 3, channels: { tv: { locked: true }, search: { max: 15_000 } } });
    for (const alt of constrained) {
      expect(alt.plan.spend[0]).toBe(50_000);
      expect(alt.plan.spend[1]).toBeLessThanOrEqual(15_000 + 1e-9);
    }
  });

  it('returns only the best plan when nothing else is within a zero tolerance', () => {
    expect(diverseAlternatives(run, { count: 4, tolerance: 0 }).length).toBe(1);
  });
});

describe('alternatives worth showing', () => {
  const alternatives = diverseAlternatives(run, { count: 7, tolerance: 0.2 }).slice(1);
  const probabilities = alternatives.map((alt) => alt.plan.score.pBeatsCurrent);

  it('keep those that beat the current mix with at least the threshold (default 0.5) and count the rest', () => {
    expect(DEFAULT_MIN_P_BEATS_CURRENT).toBe(0.5);
    const threshold = [...probabilities].sort((a, b) => a - b)[Math.floor(probabilities.length / 2)];
    expect(Math.min(...probabilities)).toBeLessThan(threshold);
    for (const minP of [0, threshold, 1.01]) {
      const { shown, hidden } = alternativesWorthShowing(alternatives, minP);
      expect(shown.map((alt) => alt.rank)).toEqual(
        alternatives.filter((alt) => alt.plan.score.pBeatsCurrent >= minP).map((alt) => alt.rank),
      );
      expect(shown.length + hidden).toBe(alternatives.length);
    }
    expect(alternativesWorthShowing(alternatives, 1.01).hidden).toBe(alternatives.length);
    expect(alternativesWorthShowing(alternatives).shown.every((alt) => alt.plan.score.pBeatsCurrent >= 0.5)).toBe(true);
  });
});

describe('alternatives with a synergy pair (constructed positive synergy)', () => {
  const synergy = synergyRun(synergySource());
  const separable = synergyRun(synergySource({ withoutPairs: true }), synergy.calibration.factor);
  const found = diverseAlternatives(synergy, { count: 4, tolerance: 0.02, gridUnits: 200, diversityUnits: 100 });

  it("start with the optimiser's plan and stay within the tolerance by the full objective, pair term included", () => {
    const best = optimize(synergy, { gridUnits: 200 }).plan;
    expect([...found[0].plan.spend]).toEqual([...best.spend]);
    expect(found.length).toBeGreaterThan(1);
    for (const alt of found) {
      expect(alt.plan.objectiveValue).toBeCloseTo(meanOutcome(synergy, alt.plan.spend), 9);
      expect(alt.plan.objectiveValue).toBeGreaterThan(meanOutcome(separable, alt.plan.spend));
      expect(best.objectiveValue - alt.plan.objectiveValue).toBeLessThanOrEqual(0.02 * best.score.incremental.mean + 1e-9);
    }
    // Every alternative beats the separable model's optimum, scored with the synergy.
    const ignoring = meanOutcome(synergy, optimize(separable, { gridUnits: 200 }).plan.spend);
    for (const alt of found) expect(alt.plan.objectiveValue).toBeGreaterThan(ignoring);
  });
});
