import { describe, expect, it } from 'vitest';
import { leastSquares, leastSquaresProjection } from '../../src/math/least-squares.ts';
import { createRng } from '../../src/math/rng.ts';

/** y = 2 + 3 x + noise on n points, as a design [1, x] (plus `extra` columns). */
function simpleRegression(n: number, extra: (x: number, i: number) => number[] = () => []) {
  const rng = createRng(5, 0);
  const x = Float64Array.from({ length: n }, () => rng.normal());
  const y = x.map((v) => 2 + 3 * v + 0.5 * rng.normal());
  const rows = Array.from(x, (v, i) => [1, v, ...extra(v, i)]);
  const p = rows[0].length;
  return { x, y, p, design: Float64Array.from(rows.flat()) };
}

describe('leastSquares', () => {
  it('gives the textbook estimates and standard errors of a simple regression', () => {
    const n = 200;
    const { x, y, p, design } = simpleRegression(n);
    const fit = leastSquares(design, n, p, y);
    // b = Sxy / Sxx, a = ybar - b xbar, se(b) = s / sqrt(Sxx), se(a) = s sqrt(1/n + xbar^2 / Sxx).
    const xbar = x.reduce((a, b) => a + b, 0) / n;
    const ybar = y.reduce((a, b) => a + b, 0) / n;
    let sxx = 0;
    let sxy = 0;
    for (let i = 0; i < n; i++) {
      sxx += (x[i] - xbar) ** 2;
      sxy += (x[i] - xbar) * (y[i] - ybar);
    }
    const b = sxy / sxx;
    const a = ybar - b * xbar;
    let rss = 0;
    for (let i = 0; i < n; i++) rss += (y[i] - a - b * x[i]) ** 2;
    const s = Math.sqrt(rss / (n - 2));
    expect(fit.coefficients[0]).toBeCloseTo(a, 10);
    expect(fit.coefficients[1]).toBeCloseTo(b, 10);
    expect(fit.standardErrors[1]).toBeCloseTo(s / Math.sqrt(sxx), 10);
    expect(fit.standardErrors[0]).toBeCloseTo(s * Math.sqrt(1 / n + xbar ** 2 / sxx), 10);
    expect(Math.abs(b - 3)).toBeLessThan(4 * fit.standardErrors[1]);
  });

  it('marks a column that repeats another as unidentified and fits the rest', () => {
    const n = 100;
    const plain = simpleRegression(n);
    const repeated = simpleRegression(n, (x) => [2 * x]);
    const full = leastSquares(plain.design, n, plain.p, plain.y);
    const fit = leastSquares(repeated.design, n, repeated.p, repeated.y);
    expect(fit.standardErrors[2]).toBe(Infinity);
    expect(fit.coefficients[2]).toBe(0);
    expect(fit.coefficients[1]).toBeCloseTo(full.coefficients[1], 8);
    // One degree of freedom fewer in s^2 = RSS / (n - p).
    expect(fit.standardErrors[1]).toBeCloseTo(full.standardErrors[1] * Math.sqrt((n - 2) / (n - 3)), 8);
  });

  it('refuses a design with no more rows than columns', () => {
    expect(() => leastSquares(new Float64Array(6), 2, 3, new Float64Array(2))).toThrow(/more rows than columns/);
  });

  it("projection P = (X'X)^-1 X' gives the fit's coefficients of any y and P X = I", () => {
    const n = 60;
    const { y, p, design } = simpleRegression(n, (v, i) => [Math.sin(i / 5), v * v]);
    const projection = leastSquaresProjection(design, n, p);
    const fit = leastSquares(design, n, p, y);
    for (let j = 0; j < p; j++) {
      let coefficient = 0;
      for (let r = 0; r < n; r++) coefficient += projection[j * n + r] * y[r];
      expect(coefficient).toBeCloseTo(fit.coefficients[j], 10);
      for (let k = 0; k < p; k++) {
        let entry = 0;
        for (let r = 0; r < n; r++) entry += projection[j * n + r] * design[r * p + k];
        expect(entry).toBeCloseTo(j === k ? 1 : 0, 10);
      }
    }
  });
});
