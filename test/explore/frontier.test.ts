import { describe, expect, it } from 'vitest';
import { efficientFrontier } from '../../src/explore/frontier.ts';
import { InfeasibleConstraintError } from '../../src/explore/constraints.ts';
import { optimize } from '../../src/explore/optimizer.ts';
import { frontierRows } from '../../src/explore/rows.ts';
import { calibratedRun, FIVE_CHANNELS, randomCurveSource } from '../support/known-curve-source.ts';
import { meanOutcome, synergyRun, synergySource } from '../support/synergy-source.ts';

const run = calibratedRun(randomCurveSource({ channels: FIVE_CHANNELS, nDraws: 300, seed: 9 }));
const H = run.curves.totalHistoricalSpend;

describe('efficient frontier', () => {
  const points = efficientFrontier(run, {});

  it('has 41 levels from 0 to 2 x the historical total, each spending exactly its budget', () => {
    expect(points.length).toBe(41);
    points.forEach((p, i) => {
      expect(p.budget).toBeCloseTo((2 * H * i) / 40, 6);
      expect(p.plan.score.totalSpend).toBeCloseTo(p.budget, 6);
      expect(p.exact).toBe(true);
    });
  });

  it('rises with the budget and carries a 90% credible band', () => {
    for (let i = 1; i < points.length; i++) expect(points[i].plan.objectiveValue).toBeGreaterThanOrEqual(points[i - 1].plan.objectiveValue);
    for (const p of points) {
      expect(p.plan.score.outcome.p05).toBeLessThan(p.plan.score.outcome.mean);
      expect(p.plan.score.outcome.mean).toBeLessThan(p.plan.score.outcome.p95);
    }
  });

  it('agrees with optimize() at each budget up to the spend-grid resolution', () => {
    for (const i of [4, 20, 33]) {
      const single = optimize(run, { budget: points[i].budget }).plan;
      const gap = Math.abs(single.objectiveValue - points[i].plan.objectiveValue) / single.score.incremental.mean;
      expect(gap).toBeLessThan(1e-3);
    }
    expect(points[20].plan.score.pBeatsCurrent).toBeGreaterThan(0.95); // the optimum beats the current mix at history
  });

  it('optimizes levels off the shared grid on their own grid, still exactly on budget', () => {
    const locked = efficientFrontier(run, { channels: { radio: { locked: true }, tv: { min: 12_345 } }, levels: 9, to: 1.5 * H });
    expect(locked[0].budget).toBeCloseTo(17_345, 6);
    locked.forEach((p) => {
      expect(p.plan.score.totalSpend).toBeCloseTo(p.budget, 6);
      expect(p.plan.spend[4]).toBe(5_000);
      expect(p.plan.spend[0]).toBeGreaterThanOrEqual(12_345 - 1e-9);
    });
  });

  it('refuses a range below what the constraints require, naming them', () => {
    expect(() => efficientFrontier(run, { from: 1_000, channels: { tv: { min: 20_000 } } })).toThrow(InfeasibleConstraintError);
    expect(() => efficientFrontier(run, { from: 1_000, channels: { tv: { min: 20_000 } } })).toThrow(/tv: min 20,000/);
  });

  it('flattens into mmm_frontier rows', () => {
    const rows = frontierRows('run-f', run.curves.channels, points);
    expect(rows.length).toBe(41 * 5);
    expect(rows[5 * 20 + 3]).toMatchObject({ run_id: 'run-f', rank: 1, channel: 'display', spend: points[20].plan.spend[3] });
  });
});

describe('the frontier with synergy pairs (constructed positive synergy)', () => {
  const synergy = synergyRun(synergySource());
  // The same channel curves without the pair term, calibrated with the same k: the model that ignores the synergy.
  const separable = synergyRun(synergySource({ withoutPairs: true }), synergy.calibration.factor);
  const levels = { levels: 5, from: 100, to: 400, gridUnits: 200 };
  const points = efficientFrontier(synergy, levels);
  const ignoring = efficientFrontier(separable, levels);

  it('scores every level with the pair term and plans for it: never below the separable plans, above them at every level', () => {
    points.forEach((point, i) => {
      expect(point.exact).toBe(true);
      expect(point.plan.score.totalSpend).toBeCloseTo(point.budget, 6);
      // The plan's outcome is the channels' plus the pair term, which is positive here.
      const channelsOnly = meanOutcome(separable, point.plan.spend);
      expect(point.plan.score.outcome.mean).toBeCloseTo(meanOutcome(synergy, point.plan.spend), 9);
      expect(point.plan.score.outcome.mean).toBeGreaterThan(channelsOnly);
      // The separable frontier's plan at the same budget, scored with the synergy, does worse.
      const separablePlan = meanOutcome(synergy, ignoring[i].plan.spend);
      expect(point.plan.objectiveValue).toBeGreaterThan(separablePlan);
      console.log(
        `budget ${point.budget}: synergy plan ${point.plan.objectiveValue.toFixed(6)} (channels alone ${channelsOnly.toFixed(6)}), separable plan scored with the synergy ${separablePlan.toFixed(6)}`,
      );
    });
  });

  it('agrees with optimize() at each level on a chain of two pairs (a-b, b-c), exact by the tree DP', () => {
    const chain = synergyRun(
      synergySource({
        pairs: [
          [0, 1],
          [1, 2],
        ],
      }),
    );
    const chainPoints = efficientFrontier(chain, levels);
    for (const point of chainPoints) {
      expect(point.exact).toBe(true);
      const single = optimize(chain, { budget: point.budget, gridUnits: 200 });
      expect(single.exact).toBe(true);
      expect(single.gap).toBe(0);
      expect(Math.abs(single.plan.objectiveValue - point.plan.objectiveValue)).toBeLessThan(1e-3 * single.plan.score.incremental.mean);
    }
  });
});
