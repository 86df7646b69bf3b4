/**
 * The scale of a national model's level, time and control coordinates (src/model/baseline-coordinates.ts): each
 * column's conditional posterior sd under AR(1) residuals, (x'Q(phi)x / (s^2 (1 - phi^2)) + b)^(-1/2), and its
 * derivative in phi's coordinate v (phi = tanh(v / 2)).
 */
import { describe, expect, it } from 'vitest';
import { baselineScales, columnSums, type BaselineCoordinates } from '../../src/model/baseline-coordinates.ts';
import { oneMinusPhiSquared } from '../../src/model/residual-ar1.ts';

/** A constant column and a fast alternating one, n weeks. */
function coordinates(n: number, priorPrecision: number): BaselineCoordinates {
  const design = Float64Array.from({ length: 2 * n }, (_, i) => (i % 2 === 0 ? 1 : Math.floor(i / 2) % 2 === 0 ? 1 : -1));
  return {
    centre: new Float64Array(2),
    ...columnSums(design, n, 2),
    priorPrecision: Float64Array.of(priorPrecision, priorPrecision),
    noiseVariance: 0.25,
  };
}

const scalesAt = (c: BaselineCoordinates, v: number) => {
  const sd = new Float64Array(2);
  const dLogSd = new Float64Array(2);
  baselineScales(c, Math.tanh(v / 2), oneMinusPhiSquared(v), sd, dLogSd);
  return { sd, dLogSd };
};

describe('columnSums', () => {
  it('sums squares, inner squares and lag products per column', () => {
    const design = Float64Array.of(1, 2, 3, 4, 5, 6); // 3 rows x 2 columns
    const sums = columnSums(design, 3, 2);
    expect([...sums.sumSquares]).toEqual([1 + 9 + 25, 4 + 16 + 36]);
    expect([...sums.innerSquares]).toEqual([9, 16]);
    expect([...sums.lagProducts]).toEqual([1 * 3 + 3 * 5, 2 * 4 + 4 * 6]);
  });
});

describe('baselineScales', () => {
  it('at phi = 0 is the independent-weeks posterior sd, (sum x^2 / s^2 + b)^(-1/2)', () => {
    const c = coordinates(100, 4);
    const { sd } = scalesAt(c, 0);
    expect(sd[0]).toBeCloseTo((100 / 0.25 + 4) ** -0.5, 12);
    expect(sd[1]).toBeCloseTo((100 / 0.25 + 4) ** -0.5, 12);
  });

  it('grows for a slow column and shrinks for a fast one as phi rises: information x (1 - phi) / (1 + phi) and x (1 + phi) / (1 - phi)', () => {
    const c = coordinates(10_000, 0);
    const phi = 0.6;
    const { sd } = scalesAt(c, 2 * Math.atanh(phi));
    const { sd: sd0 } = scalesAt(c, 0);
    expect((sd0[0] / sd[0]) ** 2 / ((1 - phi) / (1 + phi))).toBeCloseTo(1, 3);
    expect((sd0[1] / sd[1]) ** 2 / ((1 + phi) / (1 - phi))).toBeCloseTo(1, 3);
  });

  it("stays bounded as phi nears 1: a constant column's information falls to 2 phi / (1 + phi) / s^2, the stationary first week's", () => {
    const c = coordinates(200, 1);
    // x'Qx = n (1 - phi)^2 + 2 phi (1 - phi) for x = 1, so x'Qx / (1 - phi^2) = (n (1 - phi) + 2 phi) / (1 + phi) -> 1.
    const phi = Math.tanh(6);
    const information = (200 * (1 - phi) + 2 * phi) / (1 + phi) / 0.25;
    expect(scalesAt(c, 12).sd[0]).toBeCloseTo((information + 1) ** -0.5, 8);
    expect(information).toBeCloseTo(4, 1);
    expect(scalesAt(c, 12).sd[0]).toBeGreaterThan(10 * scalesAt(c, 0).sd[0]);
  });

  it('gives d log sd / dv to central finite differences', () => {
    const c = coordinates(150, 2);
    for (const v of [-1.5, 0, 0.8, 2.5]) {
      const h = 1e-6;
      const { dLogSd } = scalesAt(c, v);
      const up = scalesAt(c, v + h).sd;
      const down = scalesAt(c, v - h).sd;
      for (let j = 0; j < 2; j++) expect(dLogSd[j]).toBeCloseTo((Math.log(up[j]) - Math.log(down[j])) / (2 * h), 6);
    }
  });
});
