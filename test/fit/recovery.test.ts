/**
 * Acceptance: on PyMC-Marketing's example data (documented generating process, DESIGN.md section 8)
 * a full 4 x (1000 + 1000) fit recovers the true total contributions of x1 and x2.
 */
import { describe, expect, it } from 'vitest';
import { loadFitInputs } from '../../src/data/load-fit-inputs.ts';
import { fitMmm, type FitResult } from '../../src/fit/fit-mmm.ts';
import { exampleConfig, referenceFile } from '../support/reference-data.ts';

const TRUE_CONTRIBUTION = { x1: 274_848, x2: 65_906 };

describe('recovery of known truth on the PyMC-Marketing example', () => {
  let fit: FitResult;

  it('fits 4 chains x 1000 draws with clean diagnostics', async () => {
    const { panel, config } = loadFitInputs(referenceFile('pymc-marketing/mmm_example.csv'), exampleConfig('pymc-example.json'));
    fit = await fitMmm(panel, { ...config, sampler: { ...config.sampler, chains: 4, warmup: 1000, draws: 1000, seed: 1 } });
    const draws = 4 * 1000;
    expect(fit.diagnostics.maxRhat).toBeLessThanOrEqual(1.01);
    expect(fit.diagnostics.divergences).toBeLessThan(0.005 * draws);
  }, 180_000);

  it.each([
    ['x1', 0.1],
    ['x2', 0.2],
  ] as const)('contribution of %s is within %d of truth, and truth is inside the 90%% interval', (name, tolerance) => {
    const channel = fit.analysis.channels.find((c) => c.name === name);
    const truth = TRUE_CONTRIBUTION[name];
    expect(channel).toBeDefined();
    const { mean, p05, p95 } = channel!.contribution;
    expect(Math.abs(mean - truth) / truth).toBeLessThanOrEqual(tolerance);
    expect(p05).toBeLessThanOrEqual(truth);
    expect(p95).toBeGreaterThanOrEqual(truth);
  });
});
