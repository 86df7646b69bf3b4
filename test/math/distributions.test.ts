/** Chi-square and F tails, normal and Student-t CDFs against table values and closed forms. */
import { describe, expect, it } from 'vitest';
import { chiSquareSurvival, fSurvival, logGamma, normalCdf, regularizedUpperGamma, studentTCdf } from '../../src/math/distributions.ts';

describe('chi-square survival', () => {
  it('matches the 5% and 1% critical values of chi-square tables', () => {
    // Critical values (Abramowitz and Stegun, table 26.8): P(chi^2_k > x) = alpha.
    expect(chiSquareSurvival(3.841458820694124, 1)).toBeCloseTo(0.05, 12);
    expect(chiSquareSurvival(6.634896601021214, 1)).toBeCloseTo(0.01, 12);
    expect(chiSquareSurvival(18.307038053275146, 10)).toBeCloseTo(0.05, 12);
    expect(chiSquareSurvival(23.209251158954356, 10)).toBeCloseTo(0.01, 12);
    expect(chiSquareSurvival(67.50480642, 50)).toBeCloseTo(0.05, 8);
  });

  it('equals exp(-x / 2) with 2 degrees of freedom and the closed form with 4', () => {
    for (const x of [0.1, 1, 5, 20, 80]) {
      expect(chiSquareSurvival(x, 2)).toBeCloseTo(Math.exp(-x / 2), 13);
      expect(chiSquareSurvival(x, 4) / (Math.exp(-x / 2) * (1 + x / 2))).toBeCloseTo(1, 12);
    }
  });

  it('is 1 at and below zero, and tiny but positive far in the tail', () => {
    expect(chiSquareSurvival(0, 10)).toBe(1);
    expect(chiSquareSurvival(-3, 10)).toBe(1);
    const far = chiSquareSurvival(400, 10);
    expect(far).toBeGreaterThan(0);
    expect(far).toBeLessThan(1e-70);
  });

  it('builds on log Gamma and Q(a, x) that agree with known values', () => {
    expect(logGamma(0.5)).toBeCloseTo(0.5 * Math.log(Math.PI), 14);
    expect(logGamma(10)).toBeCloseTo(Math.log(362880), 12);
    expect(regularizedUpperGamma(1, 3)).toBeCloseTo(Math.exp(-3), 14);
  });
});

describe('F survival', () => {
  it('equals the closed form with 2 numerator degrees of freedom, (1 + 2 f / d2)^(-d2 / 2)', () => {
    for (const [f, d2] of [
      [0.5, 10],
      [3, 40],
      [12, 95],
    ]) {
      expect(fSurvival(f, 2, d2) / (1 + (2 * f) / d2) ** (-d2 / 2)).toBeCloseTo(1, 12);
    }
  });

  it('is the two-sided Student-t tail with 1 numerator degree of freedom, and a chi-square tail as d2 grows', () => {
    // F(1, nu) is t(nu)^2: P(F > t^2) = 2 P(T < -t).
    expect(fSurvival(2.5 ** 2, 1, 12)).toBeCloseTo(2 * studentTCdf(-2.5, 12), 13);
    // q F(q, d2) tends to chi^2(q).
    expect(fSurvival(18.307038053275146 / 10, 10, 1e7)).toBeCloseTo(0.05, 5);
  });

  it('is 1 at and below zero', () => {
    expect(fSurvival(0, 3, 50)).toBe(1);
    expect(fSurvival(-1, 3, 50)).toBe(1);
  });
});

describe('normal and Student-t CDFs', () => {
  it('gives the normal quantiles back', () => {
    expect(normalCdf(0)).toBeCloseTo(0.5, 15);
    expect(normalCdf(1.959963984540054)).toBeCloseTo(0.975, 14);
    expect(normalCdf(-1.6448536269514722)).toBeCloseTo(0.05, 14);
    expect(normalCdf(-1)).toBeCloseTo(0.15865525393145707, 14);
  });

  it('is the Cauchy CDF with one degree of freedom and matches t tables with five', () => {
    for (const t of [-3, -0.5, 0, 0.7, 4]) expect(studentTCdf(t, 1)).toBeCloseTo(0.5 + Math.atan(t) / Math.PI, 13);
    expect(studentTCdf(2.015048372669157, 5)).toBeCloseTo(0.95, 10);
    expect(studentTCdf(-2.570581835636314, 5)).toBeCloseTo(0.025, 10);
  });
});
