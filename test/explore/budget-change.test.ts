import { describe, expect, it } from 'vitest';
import { describeChange, outcomeChange } from '../../src/explore/budget-change.ts';
import { formatCompact } from '../../src/explore/format.ts';

/** Draws of a plan: outcome_d = base_d + shift + slope x d, so differences per draw are known exactly. */
const plan = (totalSpend: number, shift: number, slope = 0) => ({
  totalSpend,
  draws: Float64Array.from({ length: 201 }, (_, d) => 1_000_000 + 10 * Math.sin(d) * 1000 + shift + slope * d),
});

describe('outcome change against a reference plan', () => {
  it('summarises the per-draw difference, not the difference of the two intervals', () => {
    const reference = plan(17_600_000, 0);
    // Differences 2.0M + 10 d for d = 0..200: mean 3.0M, p05 2.1M, p95 3.9M (linear quantiles of an even grid).
    const change = outcomeChange(reference, plan(22_870_000, 2_000_000, 10_000));
    expect(change.extraSpend).toBeCloseTo(5_270_000, 6);
    expect(change.extraOutcome.mean).toBeCloseTo(3_000_000, 6);
    expect(change.extraOutcome.p05).toBeCloseTo(2_100_000, 6);
    expect(change.extraOutcome.p95).toBeCloseTo(3_900_000, 6);
    expect(change.returnOnExtraSpend).toBeCloseTo(3_000_000 / 5_270_000, 12);
    expect(change.pGain).toBe(1);
    expect(describeChange(change)).toBe(
      'The extra 5.27M (17.6M -> 22.9M) buys about 3M [2.1M, 3.9M] more outcome than current spend (90% interval).',
    );
  });

  it('states a smaller budget as what it costs and a reallocation as what it gains or loses', () => {
    const reference = plan(17_600_000, 0);
    const cut = outcomeChange(reference, plan(15_600_000, -1_200_000, -1000));
    expect(describeChange(cut)).toBe(
      'Spending 2M less (17.6M -> 15.6M) costs about 1.3M [1.21M, 1.39M] of outcome against current spend (90% interval).',
    );
    const same = outcomeChange(reference, plan(17_600_000, 300_000));
    expect(same.returnOnExtraSpend).toBeNull();
    expect(describeChange(same, 'the current mix')).toBe(
      'Reallocating the same 17.6M gains about 300K [300K, 300K] more outcome than the current mix (90% interval).',
    );
    expect(describeChange(outcomeChange(reference, plan(17_600_000, -50)))).toMatch(
      /^Reallocating the same 17.6M loses about 50 \[50, 50\] of outcome against current spend/,
    );
  });

  it('writes amounts with three significant digits and K / M / B', () => {
    expect([5_274_000, 2_800_000, 999_999, 950, 12.34, -1_250_000, 3.2e9].map(formatCompact)).toEqual([
      '5.27M',
      '2.8M',
      '1M',
      '950',
      '12.3',
      '-1.25M',
      '3.2B',
    ]);
  });
});
