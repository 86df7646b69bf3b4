import { describe, expect, it } from 'vitest';
import { goalSeek, GoalUnreachableError } from '../../src/explore/goal-seek.ts';
import { optimize } from '../../src/explore/optimizer.ts';
import { calibratedRun, FIVE_CHANNELS, randomCurveSource } from '../support/known-curve-source.ts';

const run = calibratedRun(randomCurveSource({ channels: FIVE_CHANNELS, nDraws: 300, seed: 10 }));
const H = run.curves.totalHistoricalSpend;

describe('goal seek', () => {
  it('defaults to probability 0.8 (as `mmm explore --help` says) and a total-outcome target', () => {
    const target = run.calibration.observedTotal * 1.05;
    const found = goalSeek(run, { target });
    expect(found.requestedProbability).toBe(0.8);
    expect(found.targetKind).toBe('total');
    expect(found.budget).toBe(goalSeek(run, { target, probability: 0.8 }).budget);
  });

  it('targets the incremental outcome from paid media when asked: reached with the probability, not with 0.5% less budget', () => {
    const k = run.calibration.factor;
    const incremental = (draws: Float64Array) => draws.map((v, d) => v - k * run.curves.baseline[d]);
    const reached = (draws: Float64Array, target: number) => incremental(draws).filter((v) => v >= target).length / draws.length;
    const target = 0.1 * run.calibration.observedTotal;
    const found = goalSeek(run, { target, targetKind: 'incremental', probability: 0.8 });
    expect(found.targetKind).toBe('incremental');
    expect(reached(found.plan.score.draws, target)).toBe(found.probability);
    expect(found.probability).toBeGreaterThanOrEqual(0.8);
    const less = optimize(
      { curves: run.curves.withoutBaseline(), calibration: run.calibration },
      { budget: found.budget - 0.005 * H, objective: { kind: 'quantile', q: 0.2 } },
    ).plan;
    expect(less.score.draws.filter((v) => v >= target).length / less.score.draws.length).toBeLessThan(0.8);
    expect(() => goalSeek(run, { target: 10 * target, targetKind: 'incremental' })).toThrow(/^incremental outcome target/);
  });

  const target = run.calibration.observedTotal * 1.08;
  const found = goalSeek(run, { target, probability: 0.8 });

  it('finds a budget whose plan reaches the target with the requested probability', () => {
    expect(found.probability).toBeGreaterThanOrEqual(0.8);
    expect(found.plan.score.totalSpend).toBeCloseTo(found.budget, 6);
    const reached = found.plan.score.draws.filter((v) => v >= target).length / found.plan.score.draws.length;
    expect(reached).toBe(found.probability);
  });

  it('finds the least such budget: the optimizer at 0.5% less falls short', () => {
    const less = optimize(run, { budget: found.budget - 0.005 * H, objective: { kind: 'quantile', q: 0.2 } }).plan;
    expect(less.score.draws.filter((v) => v >= target).length / less.score.draws.length).toBeLessThan(0.8);
  });

  it('needs more budget for more certainty', () => {
    expect(goalSeek(run, { target, probability: 0.95 }).budget).toBeGreaterThan(found.budget);
  });

  it('returns the minimum budget when the constraints alone reach the target', () => {
    const low = goalSeek(run, { target: run.calibration.observedTotal * 0.5, probability: 0.8, channels: { radio: { locked: true } } });
    expect(low.budget).toBe(5_000);
  });

  it('says how close the most the constraints allow gets when the target is out of reach', () => {
    const call = () => goalSeek(run, { target: 10 * target, probability: 0.8, channels: { tv: { max: 60_000 } } });
    expect(call).toThrow(GoalUnreachableError);
    expect(call).toThrow(/budget 210,000, reaches it with probability 0.000/);
  });
});
