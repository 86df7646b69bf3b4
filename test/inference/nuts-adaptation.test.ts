import { describe, expect, it } from 'vitest';
import { DualAveragingStepSize, metricAdaptationWindows, WelfordCovariance, WelfordVariance } from '../../src/inference/adaptation.ts';

describe('metricAdaptationWindows', () => {
  it("gives Stan's 25 / 50 / 100 / 200 / 500 slow windows for 1000 warm-up iterations", () => {
    expect(metricAdaptationWindows(1000)).toEqual([
      { start: 75, end: 99 },
      { start: 100, end: 149 },
      { start: 150, end: 249 },
      { start: 250, end: 449 },
      { start: 450, end: 949 },
    ]);
  });

  it('stretches a window to the terminal buffer when the next doubled one would not fit', () => {
    // 500: 25 / 50 / 100 / 200 fit exactly. 400: after 25 / 50, a 100-window would leave 100 < 2 * 200
    // iterations before the terminal buffer at 350, so it runs to 349 instead.
    expect(metricAdaptationWindows(500).map((w) => w.end - w.start + 1)).toEqual([25, 50, 100, 200]);
    expect(metricAdaptationWindows(400)).toEqual([
      { start: 75, end: 99 },
      { start: 100, end: 149 },
      { start: 150, end: 349 },
    ]);
  });

  it('scales the buffers to 15% / 75% / 10% of a warm-up shorter than 150', () => {
    expect(metricAdaptationWindows(100)).toEqual([{ start: 15, end: 89 }]);
    expect(metricAdaptationWindows(40)).toEqual([{ start: 6, end: 35 }]);
  });

  it('estimates no metric below 20 warm-up iterations', () => {
    expect(metricAdaptationWindows(19)).toEqual([]);
    expect(metricAdaptationWindows(0)).toEqual([]);
  });
});

describe('WelfordVariance', () => {
  it("returns Stan's regularised sample variance (n / (n + 5)) var + 1e-3 * 5 / (n + 5)", () => {
    const estimator = new WelfordVariance(2);
    const rows = [
      [1, 10],
      [2, 10],
      [4, 10],
      [7, 10],
    ];
    for (const row of rows) estimator.add(Float64Array.from(row));
    const out = new Float64Array(2);
    estimator.regularisedVariance(out);
    // Column 0: mean 3.5, sum of squared deviations 6.25 + 2.25 + 0.25 + 12.25 = 21, variance 7.
    expect(out[0]).toBeCloseTo((4 / 9) * 7 + (1e-3 * 5) / 9, 14);
    expect(out[1]).toBeCloseTo((1e-3 * 5) / 9, 16);
    expect(estimator.samples).toBe(4);
  });

  it('forgets earlier windows on restart', () => {
    const estimator = new WelfordVariance(1);
    estimator.add(Float64Array.of(100));
    estimator.add(Float64Array.of(-100));
    estimator.restart();
    estimator.add(Float64Array.of(1));
    estimator.add(Float64Array.of(3));
    const out = new Float64Array(1);
    estimator.regularisedVariance(out);
    expect(out[0]).toBeCloseTo((2 / 7) * 2 + (1e-3 * 5) / 7, 14);
  });

  it('refuses a window with fewer than two draws', () => {
    const estimator = new WelfordVariance(1);
    estimator.add(Float64Array.of(1));
    expect(() => estimator.regularisedVariance(new Float64Array(1))).toThrow(/at least 2 draws, got 1/);
  });
});

/** Rows of a small correlated sample: x, 2x + noise, a constant. */
const correlatedRows = (n: number, offset: number): Float64Array[] =>
  Array.from({ length: n }, (_, i) => {
    const x = Math.sin(1.3 * (i + offset)) * 3;
    return Float64Array.of(x, 2 * x + Math.cos(2.1 * (i + offset)), 5);
  });

/** The plain two-pass covariance sum_i (x_i - mean)(x_i - mean)' / (n - 1). */
function twoPassCovariance(rows: Float64Array[]): number[][] {
  const dim = rows[0].length;
  const mean = Array.from({ length: dim }, (_, j) => rows.reduce((s, r) => s + r[j], 0) / rows.length);
  return Array.from({ length: dim }, (_, i) =>
    Array.from({ length: dim }, (_, k) => rows.reduce((s, r) => s + (r[i] - mean[i]) * (r[k] - mean[k]), 0) / (rows.length - 1)),
  );
}

describe('WelfordCovariance', () => {
  it("returns Stan's regularised covariance (n / (n + 5)) cov + 1e-3 * 5 / (n + 5) I", () => {
    const rows = correlatedRows(40, 0);
    const estimator = new WelfordCovariance(3);
    for (const row of rows) estimator.add(row);
    const out = new Float64Array(9);
    estimator.regularisedCovariance(out);
    const cov = twoPassCovariance(rows);
    for (let i = 0; i < 3; i++) {
      for (let k = 0; k < 3; k++) {
        const expected = (40 / 45) * cov[i][k] + (i === k ? (1e-3 * 5) / 45 : 0);
        expect(out[i * 3 + k]).toBeCloseTo(expected, 12);
      }
    }
  });

  it('merged with another window equals one pass over both windows, as WelfordVariance does', () => {
    const first = correlatedRows(25, 0);
    const second = correlatedRows(60, 100).map((r) => r.map((v) => v + 4));
    const merged = new WelfordCovariance(3);
    const other = new WelfordCovariance(3);
    const whole = new WelfordCovariance(3);
    const mergedVariance = new WelfordVariance(3);
    const otherVariance = new WelfordVariance(3);
    for (const row of first) [merged, whole, mergedVariance].forEach((e) => e.add(row));
    for (const row of second) [other, whole, otherVariance].forEach((e) => e.add(row));
    merged.merge(other);
    mergedVariance.merge(otherVariance);
    expect(merged.samples).toBe(85);
    const a = new Float64Array(9);
    const b = new Float64Array(9);
    merged.regularisedCovariance(a);
    whole.regularisedCovariance(b);
    for (let i = 0; i < 9; i++) expect(a[i]).toBeCloseTo(b[i], 10);
    const variance = new Float64Array(3);
    mergedVariance.regularisedVariance(variance);
    for (let i = 0; i < 3; i++) expect(variance[i]).toBeCloseTo(b[i * 3 + i], 10);
  });
});

describe('DualAveragingStepSize', () => {
  it('converges to the step size whose acceptance equals the target', () => {
    // Acceptance falling smoothly with the step, a(eps) = exp(-eps): the fixed point is eps* = -log(0.85).
    const adaptation = new DualAveragingStepSize(0.85);
    adaptation.restart(1);
    let stepSize = 1;
    for (let t = 0; t < 2000; t++) stepSize = adaptation.update(Math.exp(-stepSize));
    // The averaged iterate still carries early, far-off steps with weight ~ t^-0.75: allow 3%.
    expect(Math.abs(adaptation.finalStepSize() / -Math.log(0.85) - 1)).toBeLessThan(0.03);
  });

  it('starts at mu = log(10 * eps0) and clips acceptance statistics above 1', () => {
    const adaptation = new DualAveragingStepSize(0.8);
    adaptation.restart(0.5);
    // t = 1: H = (0.8 - 0) / 11, x = log 5 - H / 0.05.
    expect(adaptation.update(0)).toBeCloseTo(5 * Math.exp(-(0.8 / 11) / 0.05), 12);
    const clipped = new DualAveragingStepSize(0.8);
    const exact = new DualAveragingStepSize(0.8);
    clipped.restart(0.5);
    exact.restart(0.5);
    expect(clipped.update(1.7)).toBe(exact.update(1));
  });

  it('keeps the restart step as the final one until an update follows the restart', () => {
    const adaptation = new DualAveragingStepSize(0.8);
    adaptation.restart(0.5);
    adaptation.update(0.9);
    adaptation.restart(0.3);
    expect(adaptation.finalStepSize()).toBe(0.3);
    // After one update the average is that update: xbar_1 = x_1 = log(10 * 0.3) - ((0.8 - 0.1) / 11) / 0.05.
    const stepSize = adaptation.update(0.1);
    expect(stepSize).toBeCloseTo(3 * Math.exp(-(0.7 / 11) / 0.05), 12);
    expect(adaptation.finalStepSize()).toBeCloseTo(stepSize, 12);
  });
});
