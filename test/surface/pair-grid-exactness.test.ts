/**
 * Issue 16, acceptance 3: a short NUTS fit of the PyMC example with one synergy pair (x1, x2), its stored
 * posterior read back through `loadResponseSource`, channel components plus the pair's 2-D grid, then 1,000
 * quasi-random allocations scored by the curves (separable channel curves + bicubic pair grid) against the
 * fit-time model evaluated directly on the same draws (decompose.ts's channelOutcomeTotal and
 * interactionOutcomeTotal on the loaded draw state, not the response source or the component code).
 * The reporting window is the whole data, where scaling the window's spend is scaling the whole series.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadFitInputs } from '../../src/data/load-fit-inputs.ts';
import { fitMmm } from '../../src/fit/fit-mmm.ts';
import { channelOutcomeTotal, interactionOutcomeTotal } from '../../src/model/decompose.ts';
import { createMmmModel } from '../../src/model/model.ts';
import { DrawEvaluator } from '../../src/model/posterior-draws.ts';
import { loadResponseSource, type MmmResponseSource } from '../../src/run/mmm-response-source.ts';
import { readFitRun, writeFitRun } from '../../src/run/run-directory.ts';
import { computeComponents } from '../../src/surface/components.ts';
import { quasiRandomAllocations } from '../../src/surface/exactness.ts';
import { factorGrid, factorGridSchema } from '../../src/surface/factor-grid.ts';
import { ResponseCurves } from '../../src/surface/response-curves.ts';
import { exampleConfig, referenceFile } from '../support/reference-data.ts';

const TOLERANCE = 0.005;
const DRAWS = 200;
let dir: string;

beforeAll(async () => {
  const { panel, config } = loadFitInputs(referenceFile('pymc-marketing/mmm_example.csv'), exampleConfig('pymc-example.json'));
  const withPair = { ...config, model: { ...config.model, interactions: [['x1', 'x2'] as [string, string]] } };
  const fit = await fitMmm(panel, { ...withPair, sampler: { ...config.sampler, chains: 2, warmup: 300, draws: 300, seed: 3 } });
  dir = await mkdtemp(join(tmpdir(), 'mmm-pair-grid-'));
  writeFitRun(dir, panel, fit);
}, 120_000);
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('the synergy pair grid of a fitted run with one pair', () => {
  let source: MmmResponseSource;
  let curves: ResponseCurves;

  beforeAll(async () => {
    source = await loadResponseSource(dir, { maxDraws: DRAWS });
    curves = new ResponseCurves(computeComponents(source, factorGrid(factorGridSchema.parse({}))));
  }, 120_000);

  it('is exact per draw at the grid nodes', () => {
    const grids = curves.pairGrids!;
    expect(grids.pairs).toEqual([[0, 1]]);
    const { factors } = grids;
    const interpolated = new Float64Array(curves.nDraws);
    const direct = new Float64Array(curves.nDraws);
    for (const i of [0, 5, 20, 42]) {
      for (const j of [3, 22, 30]) {
        interpolated.fill(0);
        curves.addPair(0, factors[i] * curves.historicalSpend[0], factors[j] * curves.historicalSpend[1], interpolated);
        source.pairContribution(0, factors[i], factors[j], direct);
        // Float32 storage: 2^-24 relative per node.
        for (let d = 0; d < curves.nDraws; d++)
          expect(Math.abs(interpolated[d] - direct[d])).toBeLessThanOrEqual(1e-7 * Math.abs(direct[d]) + 1e-12);
      }
    }
  });

  it('scores 1,000 random allocations within 0.5% of the fit-time model on every draw', () => {
    const { config, panel, posterior } = readFitRun(dir);
    const model = createMmmModel(panel, config);
    const evaluator = new DrawEvaluator(model, posterior);
    const allocations = quasiRandomAllocations(curves, 1000);
    const n = curves.nDraws;
    const scored = new Float64Array(n);
    const baseline = new Float64Array(n);
    source.baseline(baseline);
    // Direct per draw: sum_c g_c(f_c) + s(f_1, f_2), the whole series scaled (the window is the whole data).
    const direct = allocations.map(() => new Float64Array(n));
    const pairShare = allocations.map(() => new Float64Array(n));
    source.drawIndices.forEach((drawIndex, d) => {
      const state = evaluator.load(drawIndex);
      allocations.forEach((spend, a) => {
        const f = spend.map((s, c) => s / curves.historicalSpend[c]);
        const pair = interactionOutcomeTotal(model.data, state, 0, f[0], f[1]);
        direct[a][d] = channelOutcomeTotal(model.data, state, 0, f[0]) + channelOutcomeTotal(model.data, state, 1, f[1]) + pair;
        pairShare[a][d] = Math.abs(pair) / Math.abs(direct[a][d]);
      });
    });
    let worst = 0;
    let worstTotal = 0;
    let largestPairShare = 0;
    allocations.forEach((spend, a) => {
      curves.outcomeDraws(spend, scored);
      for (let d = 0; d < n; d++) {
        const paid = scored[d] - baseline[d];
        worst = Math.max(worst, Math.abs(paid - direct[a][d]) / Math.abs(direct[a][d]));
        worstTotal = Math.max(worstTotal, Math.abs(paid - direct[a][d]) / Math.abs(direct[a][d] + baseline[d]));
        largestPairShare = Math.max(largestPairShare, pairShare[a][d]);
      }
    });
    const F = curves.pairGrids!.factors.length;
    console.log(
      `pair grid ${F} x ${F} nodes, ${n} draws, 1000 allocations: worst per-draw relative error of the paid-media outcome ` +
        `${(100 * worst).toFixed(4)}% (total outcome ${(100 * worstTotal).toFixed(5)}%); largest |pair term| / paid media ${(100 * largestPairShare).toFixed(1)}%`,
    );
    expect(worst).toBeLessThanOrEqual(TOLERANCE);
    expect(worst).toBeGreaterThan(0);
    // The pair term is a visible part of the outcome on some draws, so the check covers the grid.
    expect(largestPairShare).toBeGreaterThan(0.01);
  }, 120_000);
});
