/**
 * Issue 16, acceptance 4: a constructed synergy case, known curves g_c(f) = beta_c f / (f + 1) per draw and a
 * known positive pair term s(f_0, f_1) = gamma f_0 / (f_0 + 1) x f_1 / (f_1 + 1), through the components and
 * the optimiser. On the optimiser's own spend grid and the posterior-mean objective the plan is never worse
 * than 10,000 random feasible grid allocations or than coordinate-wise greedy on the full objective, and
 * strictly better than the separable optimum that ignores the synergy.
 */
import { describe, expect, it } from 'vitest';
import { createRng } from '../../src/math/rng.ts';
import { feasibleBounds } from '../../src/explore/constraints.ts';
import { maximizeWithPairs, maximizeWithPairsUpTo, pairObjective, type PairTable } from '../../src/explore/pair-dp.ts';
import { meanTables, optimize } from '../../src/explore/optimizer.ts';
import { maximizeSeparable } from '../../src/explore/separable-dp.ts';
import { budgetGrid, spendOfUnits } from '../../src/explore/spend-grid.ts';
import { meanOutcome, synergyRun, synergySource } from '../support/synergy-source.ts';

describe('the optimiser with a synergy pair', () => {
  const run = synergyRun(synergySource());
  const { curves } = run;
  const budget = curves.totalHistoricalSpend;
  const gridUnits = 200;
  const result = optimize(run, { budget, gridUnits });
  const grid = budgetGrid(feasibleBounds(curves, {}, budget), budget, gridUnits);
  const best = meanOutcome(run, result.plan.spend);

  it('is exact with one pair and beats random grid allocations, greedy and the separable optimum', () => {
    expect(result.exact).toBe(true);
    const rng = createRng(11, 0);
    let bestRandom = -Infinity;
    const C = curves.channels.length;
    for (let i = 0; i < 10_000; i++) {
      // Units dealt one at a time to random channels with room: a random feasible grid allocation.
      const units = new Int32Array(C);
      for (let placed = 0; placed < grid.units;) {
        const c = Math.floor(rng.uniform() * C);
        if (units[c] < grid.maxUnits[c]) {
          units[c]++;
          placed++;
        }
      }
      bestRandom = Math.max(bestRandom, meanOutcome(run, spendOfUnits(grid, units)));
    }
    // Coordinate-wise greedy on the full objective: each unit to the channel whose step gains most.
    const greedy = new Int32Array(C);
    for (let placed = 0; placed < grid.units; placed++) {
      let bestGain = { value: -Infinity, c: -1 };
      for (let c = 0; c < C; c++) {
        if (greedy[c] >= grid.maxUnits[c]) continue;
        greedy[c]++;
        const value = meanOutcome(run, spendOfUnits(grid, greedy));
        greedy[c]--;
        if (value > bestGain.value) bestGain = { value, c };
      }
      greedy[bestGain.c]++;
    }
    const greedyValue = meanOutcome(run, spendOfUnits(grid, greedy));
    const separable = maximizeSeparable(meanTables(run, grid), grid.units, { onlyTotal: true }).unitsFor(grid.units);
    const separableValue = meanOutcome(run, spendOfUnits(grid, separable));
    console.log(
      `synergy case, budget ${budget}, ${gridUnits} units: optimiser ${best.toFixed(6)} (spend ${Array.from(result.plan.spend, (s) => s.toFixed(1)).join(', ')}); ` +
        `best of 10,000 random ${bestRandom.toFixed(6)}; greedy ${greedyValue.toFixed(6)}; separable optimum ignoring synergy ${separableValue.toFixed(6)} ` +
        `(spend ${Array.from(spendOfUnits(grid, separable), (s) => s.toFixed(1)).join(', ')})`,
    );
    const slack = 1e-9 * Math.abs(best);
    expect(best).toBeGreaterThanOrEqual(bestRandom - slack);
    expect(best).toBeGreaterThanOrEqual(greedyValue - slack);
    expect(best).toBeGreaterThan(separableValue + 1e-6 * Math.abs(best));
  }, 120_000);
});

/** Random tables and pair tables on a small grid: S-shaped or concave channels, pairs of either sign. */
function randomProblem(seed: number, channels: number, maxUnits: number[], pairChannels: readonly (readonly [number, number])[]) {
  const rng = createRng(seed, 0);
  const tables = maxUnits.slice(0, channels).map((U) => {
    const sShaped = rng.uniform() < 0.5;
    const scale = 1 + rng.uniform();
    return Float64Array.from({ length: U + 1 }, (_, u) => scale * (sShaped ? (u * u) / (u * u + 40) : Math.sqrt(u)));
  });
  const pairs = pairChannels.map(([c, d]) => {
    const width = tables[d].length;
    const sign = rng.uniform() < 0.7 ? 1 : -1;
    const size = 0.02 + 0.1 * rng.uniform();
    return {
      channels: [c, d] as const,
      values: Float64Array.from(
        { length: tables[c].length * width },
        (_, i) => sign * size * Math.sqrt(Math.floor(i / width) * (i % width)),
      ),
    };
  });
  return { tables, pairs };
}

/** Every plan placing exactly `units` within the tables' ranges, by recursion over channels. */
function bruteForce(tables: readonly Float64Array[], pairs: readonly PairTable[], units: number): number {
  const plan = new Int32Array(tables.length);
  let best = -Infinity;
  const visit = (c: number, rest: number): void => {
    if (c === tables.length - 1) {
      if (rest >= tables[c].length) return;
      plan[c] = rest;
      best = Math.max(best, pairObjective(tables, pairs, plan));
      return;
    }
    for (let u = 0; u <= Math.min(rest, tables[c].length - 1); u++) {
      plan[c] = u;
      visit(c + 1, rest - u);
    }
  };
  visit(0, units);
  return best;
}

const planTotal = (units: Int32Array): number => units.reduce((a, b) => a + b, 0);

describe('the DP over a forest of synergy pairs', () => {
  it('is exact on a chain a-b, b-c: equal to brute force on small grids, never below 10,000 random allocations', () => {
    for (let seed = 1; seed <= 20; seed++) {
      const units = 12 + (seed % 7);
      const { tables, pairs } = randomProblem(
        seed,
        4,
        [units, units - 3, units, 6],
        [
          [0, 1],
          [1, 2],
        ],
      );
      const found = maximizeWithPairs(tables, pairs, units);
      expect(found.exact).toBe(true);
      expect(found.gap).toBe(0);
      expect(planTotal(found.units)).toBe(units);
      found.units.forEach((u, c) => expect(u).toBeLessThan(tables[c].length));
      const value = pairObjective(tables, pairs, found.units);
      const brute = bruteForce(tables, pairs, units);
      expect(Math.abs(value - brute)).toBeLessThanOrEqual(1e-12 * Math.abs(brute));
      if (seed === 1) console.log(`chain, ${units} units: DP ${value.toFixed(12)}, brute force ${brute.toFixed(12)}`);
    }
    // A finer grid than brute force reaches: 10,000 random feasible plans never beat the DP.
    const units = 120;
    const { tables, pairs } = randomProblem(
      99,
      4,
      [120, 90, 120, 60],
      [
        [0, 1],
        [2, 1],
      ],
    );
    const found = maximizeWithPairs(tables, pairs, units);
    const value = pairObjective(tables, pairs, found.units);
    const rng = createRng(3, 0);
    let bestRandom = -Infinity;
    for (let i = 0; i < 10_000; i++) {
      const plan = new Int32Array(tables.length);
      for (let placed = 0; placed < units;) {
        const c = Math.floor(rng.uniform() * tables.length);
        if (plan[c] + 1 < tables[c].length) {
          plan[c]++;
          placed++;
        }
      }
      bestRandom = Math.max(bestRandom, pairObjective(tables, pairs, plan));
    }
    console.log(`chain, ${units} units: DP ${value.toFixed(6)}, best of 10,000 random feasible plans ${bestRandom.toFixed(6)}`);
    expect(found.exact).toBe(true);
    expect(value).toBeGreaterThanOrEqual(bestRandom - 1e-12 * Math.abs(value));
  });

  it('is exact on a star and on two trees with a lone channel', () => {
    const cases: { channels: number; pairs: [number, number][] }[] = [
      {
        channels: 4,
        pairs: [
          [0, 1],
          [0, 2],
          [3, 0],
        ],
      },
      {
        channels: 5,
        pairs: [
          [0, 1],
          [2, 3],
          [3, 1],
        ],
      },
      {
        channels: 5,
        pairs: [
          [0, 1],
          [3, 4],
        ],
      },
    ];
    cases.forEach(({ channels, pairs: pairChannels }, i) => {
      const units = 11;
      const { tables, pairs } = randomProblem(40 + i, channels, [11, 8, 11, 9, 11], pairChannels);
      const found = maximizeWithPairs(tables, pairs, units);
      expect(found.exact).toBe(true);
      expect(planTotal(found.units)).toBe(units);
      const brute = bruteForce(tables, pairs, units);
      expect(Math.abs(pairObjective(tables, pairs, found.units) - brute)).toBeLessThanOrEqual(1e-12 * Math.abs(brute));
    });
  });

  it('on a cycle refines by moves and reports a gap that bounds the distance to the brute-force optimum', () => {
    for (let seed = 1; seed <= 10; seed++) {
      const units = 14;
      const { tables, pairs } = randomProblem(
        200 + seed,
        4,
        [14, 14, 14, 14],
        [
          [0, 1],
          [1, 2],
          [2, 0],
        ],
      );
      const found = maximizeWithPairs(tables, pairs, units);
      expect(planTotal(found.units)).toBe(units);
      const value = pairObjective(tables, pairs, found.units);
      const brute = bruteForce(tables, pairs, units);
      const slack = 1e-12 * Math.abs(brute);
      expect(value).toBeLessThanOrEqual(brute + slack);
      expect(brute - value).toBeLessThanOrEqual(found.gap + slack);
      expect(found.exact).toBe(found.gap === 0);
      console.log(
        `cycle seed ${seed}: plan ${value.toFixed(6)}, brute force ${brute.toFixed(6)}, shortfall ${(brute - value).toExponential(2)}, reported gap ${found.gap.toExponential(2)}`,
      );
    }
  });
});

describe('the optima for every total (the optimiser by market per market)', () => {
  it('equal brute force at every total over a forest, and bound it from above over a cycle', () => {
    const cases = [
      {
        pairs: [
          [0, 1],
          [1, 2],
        ] as [number, number][],
        exact: true,
      },
      {
        pairs: [
          [0, 1],
          [1, 2],
          [2, 0],
        ] as [number, number][],
        exact: false,
      },
    ];
    cases.forEach(({ pairs: pairChannels, exact }, i) => {
      const units = 16;
      const { tables, pairs } = randomProblem(300 + i, 4, [9, 7, 9, 5], pairChannels);
      const found = maximizeWithPairsUpTo(tables, pairs, units);
      expect(found.exact).toBe(exact);
      let widest = 0;
      for (let b = 0; b <= units; b++) {
        const brute = bruteForce(tables, pairs, b);
        const plan = found.unitsFor(b);
        expect(planTotal(plan)).toBe(b);
        const value = pairObjective(tables, pairs, plan);
        const slack = 1e-12 * Math.max(1, Math.abs(brute));
        if (exact) {
          expect(Math.abs(found.best[b] - brute)).toBeLessThanOrEqual(slack);
          expect(Math.abs(value - brute)).toBeLessThanOrEqual(slack);
        } else {
          expect(found.best[b]).toBeGreaterThanOrEqual(brute - slack);
          expect(value).toBeLessThanOrEqual(brute + slack);
          widest = Math.max(widest, found.best[b] - brute);
        }
      }
      console.log(
        `every total 0..${units}, ${exact ? 'forest: equal to brute force' : `cycle: bound above brute force by at most ${widest.toExponential(2)}`}`,
      );
    });
  });
});
