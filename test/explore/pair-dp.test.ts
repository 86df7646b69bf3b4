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
import { maximizeWithPairs, pairObjective } from '../../src/explore/pair-dp.ts';
import { meanTables, optimize } from '../../src/explore/optimizer.ts';
import { maximizeSeparable } from '../../src/explore/separable-dp.ts';
import { budgetGrid, spendOfUnits } from '../../src/explore/spend-grid.ts';
import { calibrate, calibrationBandSchema, type CalibratedCurves } from '../../src/surface/calibration.ts';
import { computeComponents } from '../../src/surface/components.ts';
import { factorGrid, factorGridSchema } from '../../src/surface/factor-grid.ts';
import { ResponseCurves } from '../../src/surface/response-curves.ts';
import type { ChannelResponseSource } from '../../src/surface/response-source.ts';

const DRAWS = 40;
const hill = (f: number): number => f / (f + 1);

/** Known per-draw curves and one known positive synergy between channels 0 and 1. */
function synergySource(): ChannelResponseSource {
  const rng = createRng(7, 0);
  const beta = [1.0, 0.9, 1.5, 0.6].map((b) => Float64Array.from({ length: DRAWS }, () => b * (0.9 + 0.2 * rng.uniform())));
  const gamma = Float64Array.from({ length: DRAWS }, () => 2.5 * (0.9 + 0.2 * rng.uniform()));
  const historicalSpend = Float64Array.from([100, 80, 120, 60]);
  return {
    channels: ['tv', 'search', 'social', 'radio'],
    historicalSpend,
    nDraws: DRAWS,
    window: { start: '2024-01-01', end: '2024-12-30' },
    observedTotal: 12.6,
    baseline: (out) => out.fill(10),
    channelContribution: (c, f, out) => out.forEach((_, d) => (out[d] = beta[c][d] * hill(f))),
    pairs: [[0, 1]],
    pairContribution: (_p, fc, fd, out) => out.forEach((_, d) => (out[d] = gamma[d] * hill(fc) * hill(fd))),
  };
}

function meanOutcome(run: CalibratedCurves, spend: Float64Array): number {
  const draws = new Float64Array(run.curves.nDraws);
  run.curves.outcomeDraws(spend, draws);
  return (run.calibration.factor * draws.reduce((a, b) => a + b, 0)) / draws.length;
}

describe('the optimiser with a synergy pair', () => {
  const curves = new ResponseCurves(computeComponents(synergySource(), factorGrid(factorGridSchema.parse({}))));
  const run: CalibratedCurves = { curves, calibration: calibrate(curves, calibrationBandSchema.parse({})) };
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

  it('refines overlapping pairs by moves, never below the DP plan it starts from', () => {
    // Pairs (0, 1) and (1, 2) share channel 1: the second is left to the refinement.
    const rng = createRng(5, 0);
    const units = 30;
    const tables = [0, 1, 2, 3].map(() => Float64Array.from({ length: units + 1 }, (_, u) => Math.sqrt(u) * (1 + rng.uniform())));
    const pairTable = () =>
      Float64Array.from({ length: (units + 1) * (units + 1) }, (_, i) => 0.05 * Math.floor(i / (units + 1)) * (i % (units + 1)) ** 0.5);
    const pairs = [
      { channels: [0, 1] as const, values: pairTable() },
      { channels: [1, 2] as const, values: pairTable() },
    ];
    const found = maximizeWithPairs(tables, pairs, units);
    expect(found.exact).toBe(false);
    expect(found.units.reduce((a, b) => a + b, 0)).toBe(units);
    const start = maximizeWithPairs(tables, [pairs[0]], units).units;
    expect(pairObjective(tables, pairs, found.units)).toBeGreaterThanOrEqual(pairObjective(tables, pairs, start));
    // Brute force over every plan of 4 channels summing to 30 units: report the gap, which has no bound.
    let brute = -Infinity;
    for (let a = 0; a <= units; a++)
      for (let b = 0; a + b <= units; b++)
        for (let c = 0; a + b + c <= units; c++)
          brute = Math.max(brute, pairObjective(tables, pairs, Int32Array.from([a, b, c, units - a - b - c])));
    const value = pairObjective(tables, pairs, found.units);
    console.log(
      `overlapping pairs: refined plan ${value.toFixed(6)}, brute-force optimum ${brute.toFixed(6)}, gap ${(brute - value).toExponential(2)}`,
    );
    expect(value).toBeLessThanOrEqual(brute + 1e-12);
  });
});
