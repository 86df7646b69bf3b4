import { describe, expect, it } from 'vitest';
import { hermiteWeights, monotoneSlopes, newHermiteWeights } from '../../src/surface/monotone-cubic.ts';

const x = Float64Array.of(0, 0.1, 0.3, 0.7, 1.5, 3);

function interpolate(values: Float64Array, slopes: Float64Array, f: number, derivative = false): number {
  const w = hermiteWeights(x, f, derivative, newHermiteWeights());
  return w.a0 * values[w.interval] + w.b0 * slopes[w.interval] + w.a1 * values[w.interval + 1] + w.b1 * slopes[w.interval + 1];
}

describe('monotone cubic interpolation', () => {
  it('reproduces a linear function and its slope exactly', () => {
    const values = x.map((v) => 2 + 5 * v);
    const slopes = monotoneSlopes(x, values, 1);
    for (const s of slopes) expect(s).toBeCloseTo(5, 12);
    for (const f of [0, 0.05, 0.42, 1.5, 2.999, 3]) {
      expect(interpolate(values, slopes, f)).toBeCloseTo(2 + 5 * f, 12);
      expect(interpolate(values, slopes, f, true)).toBeCloseTo(5, 10);
    }
  });

  it('returns node values exactly at nodes', () => {
    const values = x.map((v) => Math.sqrt(v));
    const slopes = monotoneSlopes(x, values, 1);
    x.forEach((f, i) => expect(interpolate(values, slopes, f)).toBe(values[i]));
  });

  it('does not overshoot a step: increasing data interpolate to an increasing curve within the data range', () => {
    const values = Float64Array.of(0, 0, 0, 1, 1, 1);
    const slopes = monotoneSlopes(x, values, 1);
    let previous = -Infinity;
    for (let i = 0; i <= 300; i++) {
      const p = interpolate(values, slopes, (3 * i) / 300);
      expect(p).toBeGreaterThanOrEqual(previous - 1e-15);
      expect(p).toBeGreaterThanOrEqual(0);
      expect(p).toBeLessThanOrEqual(1);
      previous = p;
    }
  });

  it('computes each series of a node-major block independently', () => {
    const series = 2;
    const block = new Float64Array(x.length * series);
    x.forEach((f, i) => {
      block[i * series] = f * f;
      block[i * series + 1] = 3 * f;
    });
    const slopes = monotoneSlopes(x, block, series);
    const alone = monotoneSlopes(
      x,
      x.map((f) => f * f),
      1,
    );
    x.forEach((_, i) => {
      expect(slopes[i * series]).toBe(alone[i]);
      expect(slopes[i * series + 1]).toBeCloseTo(3, 12);
    });
  });

  it('derivative weights match a central difference of the interpolant', () => {
    const values = x.map((v) => v / (v + 0.4));
    const slopes = monotoneSlopes(x, values, 1);
    for (const f of [0.05, 0.2, 0.5, 1, 2.2]) {
      const h = 1e-6;
      const numeric = (interpolate(values, slopes, f + h) - interpolate(values, slopes, f - h)) / (2 * h);
      expect(interpolate(values, slopes, f, true)).toBeCloseTo(numeric, 6);
    }
  });
});
