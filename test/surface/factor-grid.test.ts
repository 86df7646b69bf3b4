import { describe, expect, it } from 'vitest';
import { hill } from '../../src/model/saturation/hill.ts';
import { logistic } from '../../src/model/saturation/logistic.ts';
import { factorGrid, factorGridSchema } from '../../src/surface/factor-grid.ts';
import { hermiteWeights, monotoneSlopes, newHermiteWeights } from '../../src/surface/monotone-cubic.ts';

const defaults = factorGrid(factorGridSchema.parse({}));

/** Max relative error of monotone cubic interpolation on `grid` over factors in [from, 3], for one curve. */
function maxRelativeError(grid: Float64Array, curve: (f: number) => number, from: number): number {
  const values = grid.map(curve);
  const slopes = monotoneSlopes(grid, values, 1);
  const w = newHermiteWeights();
  let worst = 0;
  for (let i = 0; i <= 4000; i++) {
    const f = from * (3 / from) ** (i / 4000); // log-spaced probes
    hermiteWeights(grid, f, false, w);
    const p = w.a0 * values[w.interval] + w.b0 * slopes[w.interval] + w.a1 * values[w.interval + 1] + w.b1 * slopes[w.interval + 1];
    worst = Math.max(worst, Math.abs(p - curve(f)) / curve(f));
  }
  return worst;
}

describe('factorGrid', () => {
  it('ascends from 0 to 3 with 1 and 3 as exact nodes, 112 nodes by default', () => {
    expect(defaults.length).toBe(112);
    expect(defaults[0]).toBe(0);
    expect(defaults[defaults.length - 1]).toBe(3);
    expect(defaults.includes(1)).toBe(true);
    for (let i = 1; i < defaults.length; i++) expect(defaults[i]).toBeGreaterThan(defaults[i - 1]);
    // geometric part: ratio 1.2 below 0.25; uniform part: step 0.05 above
    expect(defaults[10] / defaults[9]).toBeCloseTo(1.2, 9);
    expect(defaults[100] - defaults[99]).toBeCloseTo(0.05, 9);
  });

  it('keeps monotone cubic interpolation within 0.5% of Hill and logistic curves for factors >= 1e-4', () => {
    let worst = 0;
    for (const slope of [0.5, 1, 2, 3, 4]) {
      for (const ec of [0.1, 0.3, 1, 3, 10])
        worst = Math.max(
          worst,
          maxRelativeError(defaults, (f) => hill.value(f, ec, slope), 1e-4),
        );
    }
    for (const lam of [0.1, 1, 5, 20])
      worst = Math.max(
        worst,
        maxRelativeError(defaults, (f) => logistic.value(f, lam, 1), 1e-4),
      );
    expect(worst).toBeLessThan(0.005);
    expect(worst).toBeGreaterThan(0.001); // the bound is used, not vacuous: a coarser grid would break it
  });

  it('is too coarse at twice the ratio and step, which is why the defaults are what they are', () => {
    const coarse = factorGrid(factorGridSchema.parse({ ratio: 1.4, step: 0.1 }));
    expect(maxRelativeError(coarse, (f) => hill.value(f, 3, 4), 1e-4)).toBeGreaterThan(0.005);
  });

  it('rejects a grid whose geometric part would be empty', () => {
    expect(factorGridSchema.safeParse({ smallest: 1 }).success).toBe(false);
  });
});
