/**
 * The forecast backtest's scoring (src/analysis/forecast-backtest.ts): each held-out week's score is its
 * distance from the predictive mean in half-widths of the band on its side, and the band scale is the
 * split-conformal quantile of the scores, never below 1.
 */
import { describe, expect, it } from 'vitest';
import {
  backtestBandScale,
  bandScore,
  conformalBandScale,
  describeBacktest,
  forecastBacktestSchema,
  scoreBacktest,
} from '../../src/analysis/forecast-backtest.ts';

const band = (week: string, p05: number, mean: number, p95: number) => ({ week, mean, p05, p95 });

describe('bandScore', () => {
  it("measures the distance from the mean in half-widths of the band's own side", () => {
    const b = band('2024-01-01', 80, 100, 140);
    expect(bandScore(b, 100)).toBe(0);
    expect(bandScore(b, 140)).toBe(1);
    expect(bandScore(b, 180)).toBe(2);
    expect(bandScore(b, 90)).toBe(0.5);
    expect(bandScore(b, 60)).toBe(2);
  });

  it('refuses a band without width on the side of the observation', () => {
    expect(() => bandScore(band('2024-01-01', 100, 100, 110), 90)).toThrow(/2024-01-01 has no width/);
  });
});

describe('conformalBandScale', () => {
  it('takes the ceil((n + 1) x 0.9)-th smallest score: with 13 weeks the largest, with 29 the 27th', () => {
    const thirteen = [0.2, 0.4, 1.3, 0.1, 0.9, 2.4, 0.3, 0.5, 0.6, 0.7, 0.8, 1.1, 0.05];
    expect(conformalBandScale(thirteen)).toBe(2.4);
    const twentyNine = Array.from({ length: 29 }, (_, i) => 1 + i / 10);
    expect(conformalBandScale(twentyNine)).toBeCloseTo(1 + 26 / 10, 12);
  });

  it('never narrows the band', () => {
    expect(conformalBandScale([0.1, 0.3, 0.2])).toBe(1);
  });
});

describe('scoreBacktest', () => {
  const weeks = ['2024-01-01', '2024-01-08', '2024-01-15', '2024-01-22'];
  const bands = weeks.map((week) => band(week, 90, 100, 110));

  it('counts the weeks inside the band (score <= 1) and stores the scale the scores give', () => {
    const backtest = scoreBacktest(bands, [100, 95, 125, 70], 'warn');
    expect(forecastBacktestSchema.parse(backtest)).toEqual(backtest);
    expect(backtest).toEqual({
      status: 'done',
      window: { start: '2024-01-01', end: '2024-01-22' },
      weeks: 4,
      covered: 2,
      scores: [0, 0.5, 2.5, 3],
      bandScale: 3,
      verdict: 'warn',
    });
    expect(backtestBandScale(backtest)).toBe(3);
    expect(describeBacktest(backtest)).toBe(
      "2 of 4 weeks 2024-01-01..2024-01-22 inside the 90% predictive band of a forecast from the weeks before: plans' predictive bands are widened x3.00 around their means",
    );
  });

  it('refuses forecast and observed weeks that do not pair up', () => {
    expect(() => scoreBacktest(bands, [100, 100], 'pass')).toThrow(/4 forecast weeks against 2 observed weeks/);
  });

  it('leaves the bands as they are when skipped, or for a run without a backtest, and says so', () => {
    const skipped = { status: 'skipped' as const, reason: 'the data have 5 geos' };
    expect(backtestBandScale(skipped)).toBe(1);
    expect(backtestBandScale(undefined)).toBe(1);
    expect(describeBacktest(skipped)).toBe("skipped (the data have 5 geos): plans' predictive bands are as the posterior gives them");
    expect(describeBacktest(undefined)).toMatch(/^none \(the run was fitted before forecast backtests\)/);
  });
});
