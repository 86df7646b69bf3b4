import { describe, expect, it } from 'vitest';
import { greedyUnits } from '../../src/explore/greedy.ts';
import { maximizeSeparable, maximizeSeparableByDistance } from '../../src/explore/separable-dp.ts';
import { createRng } from '../../src/math/rng.ts';

const rng = createRng(42, 3);
/** Non-concave tables: random walks with random sizes. */
const tables = [9, 7, 12].map((max) => {
  const t = new Float64Array(max + 1);
  for (let u = 1; u <= max; u++) t[u] = t[u - 1] + rng.normal();
  return t;
});
const distances = tables.map((t) => Int32Array.from(t, (_, u) => Math.abs(u - 3)));
const units = 15;

/** Every plan (u_0, u_1, u_2) within the tables' ranges. */
function* plans(): Generator<number[]> {
  for (let a = 0; a < tables[0].length; a++)
    for (let b = 0; b < tables[1].length; b++) for (let c = 0; c < tables[2].length; c++) yield [a, b, c];
}
const value = (p: number[]) => p.reduce((s, u, c) => s + tables[c][u], 0);

describe('separable DP', () => {
  it('finds the brute-force optimum for every budget, with a plan that attains it', () => {
    const dp = maximizeSeparable(tables, units);
    for (let b = 0; b <= units; b++) {
      let best = -Infinity;
      for (const p of plans()) if (p[0] + p[1] + p[2] === b) best = Math.max(best, value(p));
      expect(dp.best[b]).toBeCloseTo(best, 12);
      const plan = [...dp.unitsFor(b)];
      expect(plan.reduce((s, u) => s + u, 0)).toBe(b);
      expect(value(plan)).toBeCloseTo(best, 12);
    }
  });

  it('with distance as a second resource, finds the brute-force optimum for every distance', () => {
    const dp = maximizeSeparableByDistance(tables, distances, units);
    const bestByDistance = new Map<number, number>();
    for (const p of plans()) {
      if (p[0] + p[1] + p[2] !== units) continue;
      const d = p.reduce((s, u, c) => s + distances[c][u], 0);
      bestByDistance.set(d, Math.max(bestByDistance.get(d) ?? -Infinity, value(p)));
    }
    dp.best.forEach((v, d) => {
      if (!bestByDistance.has(d)) {
        expect(v).toBe(-Infinity);
        return;
      }
      expect(v).toBeCloseTo(bestByDistance.get(d)!, 12);
      const plan = [...dp.unitsFor(d)];
      expect(plan.reduce((s, u) => s + u, 0)).toBe(units);
      expect(plan.reduce((s, u, c) => s + distances[c][u], 0)).toBe(d);
    });
    expect(Math.max(...dp.best)).toBeCloseTo(maximizeSeparable(tables, units).best[units], 12);
  });

  it('agrees with greedy on concave tables and beats it on a threshold table', () => {
    const concave = [
      Float64Array.from({ length: 11 }, (_, u) => Math.sqrt(u)),
      Float64Array.from({ length: 11 }, (_, u) => 2 * Math.log1p(u)),
    ];
    const dp = maximizeSeparable(concave, 10);
    const greedy = greedyUnits(concave, 10);
    expect(concave[0][greedy[0]] + concave[1][greedy[1]]).toBeCloseTo(dp.best[10], 12);
    const threshold = [Float64Array.from({ length: 11 }, (_, u) => u), Float64Array.from({ length: 11 }, (_, u) => (u >= 8 ? 30 : 0))];
    expect([...greedyUnits(threshold, 10)]).toEqual([10, 0]);
    expect([...maximizeSeparable(threshold, 10).unitsFor(10)]).toEqual([2, 8]);
  });

  it('with onlyTotal, returns the plan the full DP returns for that total, budgets the first channels cannot reach included', () => {
    for (let b = 0; b <= 28; b++) {
      const full = maximizeSeparable(tables, b);
      const only = maximizeSeparable(tables, b, { onlyTotal: true });
      expect(only.best[b]).toBe(full.best[b]);
      if (full.best[b] > -Infinity) expect([...only.unitsFor(b)]).toEqual([...full.unitsFor(b)]);
    }
  });

  it('reports budgets the channels cannot hold', () => {
    expect(() => maximizeSeparable(tables, 40).unitsFor(40)).toThrow(/40 units cannot be placed/);
    expect(() => greedyUnits(tables, 40)).toThrow(/only 28 of 40 units/);
  });
});
