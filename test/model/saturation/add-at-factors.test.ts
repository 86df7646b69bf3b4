import { describe, expect, it } from 'vitest';
import { SATURATION_KINDS, saturationFamily } from '../../../src/model/saturation/index.ts';

describe('every saturation family: addAtFactors', () => {
  const factors = Float64Array.from([0, 0.001, 0.3, 1, 1.7, 3]);
  for (const kind of SATURATION_KINDS) {
    const family = saturationFamily(kind);
    it(`${kind}: adds weight h(f u + (1 - f) v) at every factor, as value does one at a time`, () => {
      for (const [u, v, shape, slope] of [
        [0.8, 0, 0.6, 1],
        [2.5, 0.4, 1.3, 1.7],
        [0, 0.9, 0.5, 0.8],
        [0, 0, 2, 1],
      ]) {
        const acc = Float64Array.from(factors, (_, i) => i);
        family.addAtFactors(u, v, factors, shape, slope, 2.5, acc);
        factors.forEach((f, i) => expect(acc[i]).toBeCloseTo(i + 2.5 * family.value(f * u + (1 - f) * v, shape, slope), 13));
      }
    });
  }
});
