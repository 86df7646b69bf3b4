import { describe, expect, it } from 'vitest';
import { leastPassingBudget, type Probe } from '../../src/explore/least-budget.ts';
import { createRng } from '../../src/math/rng.ts';

const LOW = 0;
const HIGH = 3_000_000;
const TOLERANCE = 100;
/** Probes plain bisection needs on [LOW, HIGH] once both ends are known. */
const BISECTION_PROBES = Math.ceil(Math.log2((HIGH - LOW) / TOLERANCE));

/** A test passing from `threshold` on, with the margin `shape` gives (zero at the threshold), every probe recorded. */
function testFrom(threshold: number, shape: (budget: number) => number) {
  const probes: Probe[] = [];
  const probe = (budget: number): Probe => {
    const result = { budget, passes: budget >= threshold, margin: shape(budget) };
    probes.push(result);
    return result;
  };
  return { probe, probes };
}

/** The bracket the answer must close: passes at the answer, and a failing probe at most the tolerance below it. */
function expectBracket(found: Probe | undefined, probes: Probe[], threshold: number) {
  expect(found).toBeDefined();
  expect(found!.passes).toBe(true);
  expect(found!.budget).toBeGreaterThanOrEqual(threshold);
  expect(found!.budget - threshold).toBeLessThanOrEqual(TOLERANCE);
  if (found!.budget > LOW) expect(probes.some((p) => !p.passes && found!.budget - p.budget <= TOLERANCE)).toBe(true);
}

describe('least passing budget', () => {
  const rng = createRng(21, 1);
  const cases = Array.from({ length: 40 }, () => ({
    threshold: LOW + (HIGH - LOW) * (0.02 + 0.96 * rng.uniform()),
    // The guess lands within 3% of the range of the threshold, as a coarse grid's answer does.
    offset: (HIGH - LOW) * 0.03 * (2 * rng.uniform() - 1),
    curvature: 0.2 + 3 * rng.uniform(),
  }));

  it('closes the bracket on the threshold from a good guess in fewer probes than bisection (concave margins)', () => {
    const counts = cases.map(({ threshold, offset, curvature }) => {
      // Concave and increasing, like an outcome quantile against the budget.
      const { probe, probes } = testFrom(threshold, (b) => Math.log1p((curvature * b) / HIGH) - Math.log1p((curvature * threshold) / HIGH));
      const found = leastPassingBudget(probe, LOW, HIGH, { tolerance: TOLERANCE, guess: threshold + offset, step: 0.01 * HIGH });
      expectBracket(found, probes, threshold);
      return probes.length;
    });
    console.log(`probes per search: ${counts.join(' ')} (bisection: ${BISECTION_PROBES} + the 2 ends)`);
    for (const count of counts) expect(count).toBeLessThan(BISECTION_PROBES);
  });

  it('still closes it when the margin only has the right sign (bisection then, within twice its probes and the steps)', () => {
    for (const { threshold, offset } of cases) {
      const { probe, probes } = testFrom(threshold, (b) => (b >= threshold ? 1 + rng.uniform() : -1 - 1000 * rng.uniform()));
      const found = leastPassingBudget(probe, LOW, HIGH, { tolerance: TOLERANCE, guess: threshold + offset, step: 0.01 * HIGH });
      expectBracket(found, probes, threshold);
      expect(probes.length).toBeLessThanOrEqual(2 * BISECTION_PROBES + 8);
    }
  });

  it('without a guess, starts in the middle', () => {
    const { probe, probes } = testFrom(1_234_567, (b) => b - 1_234_567);
    expectBracket(leastPassingBudget(probe, LOW, HIGH, { tolerance: TOLERANCE }), probes, 1_234_567);
    expect(probes[0].budget).toBe((LOW + HIGH) / 2);
  });

  it('returns the range start when the test passes there, and nothing when it fails at the range end', () => {
    const passing = testFrom(-1, (b) => b + 1);
    expect(leastPassingBudget(passing.probe, LOW, HIGH, { tolerance: TOLERANCE, guess: 500_000 })?.budget).toBe(LOW);
    const failing = testFrom(HIGH + 1, (b) => b - HIGH - 1);
    expect(leastPassingBudget(failing.probe, LOW, HIGH, { tolerance: TOLERANCE, guess: 500_000 })).toBeUndefined();
    expect(failing.probes.at(-1)!.budget).toBe(HIGH);
  });

  it('probes a range end only when the bracket reaches it', () => {
    const { probe, probes } = testFrom(1_500_000, (b) => b - 1_500_000);
    leastPassingBudget(probe, LOW, HIGH, { tolerance: TOLERANCE, guess: 1_490_000, step: 20_000 });
    expect(probes.some((p) => p.budget === LOW || p.budget === HIGH)).toBe(false);
  });

  it('answers a range of one budget', () => {
    expect(leastPassingBudget(testFrom(5, (b) => b - 5).probe, 7, 7, { tolerance: TOLERANCE })?.budget).toBe(7);
    expect(leastPassingBudget(testFrom(9, (b) => b - 9).probe, 7, 7, { tolerance: TOLERANCE })).toBeUndefined();
  });
});
