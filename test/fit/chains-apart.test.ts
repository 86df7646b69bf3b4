/**
 * A fit whose chains ran apart (one sampleFitChains call per chain, in any order, as the retrain's chain
 * activities run them) and were combined by combineFit is the fit fitMmm gives with every chain at once:
 * the same draws and the same diagnostics, summaries and analysis.
 */
import { describe, expect, it } from 'vitest';
import { combineFit, type FitResult, fitMmm, sampleFitChains } from '../../src/fit/fit-mmm.ts';
import { simulateDataset } from '../../src/model/simulate.ts';

/** Everything but the clock. */
const withoutTiming = ({ timing: _timing, model: _model, ...rest }: FitResult) => rest;

describe('chains sampled apart and combined', () => {
  const { panel, config: simulated } = simulateDataset({ geos: 2, weeks: 40, channels: 2, controls: 1, seed: 4, noiseSd: 0.3 });
  const config = { ...simulated, sampler: { ...simulated.sampler, chains: 3, warmup: 60, draws: 30, seed: 9 } };

  it('give the fit of all chains at once, whatever order the chains ran in', async () => {
    const together = await fitMmm(panel, config, { threads: 2 });
    const startedAt = Date.now();
    const apart = await Promise.all([2, 0, 1].map((chain) => sampleFitChains(panel, config, { threads: 1 }, [chain])));
    const byChain = [apart[1][0], apart[2][0], apart[0][0]];
    const combined = combineFit(panel, config, { dim: together.posterior.dim, chains: byChain, startedAt });
    expect(combined.posterior.theta).toEqual(together.posterior.theta);
    expect(withoutTiming(combined)).toEqual(withoutTiming(together));
    expect(combined.timing.wallSeconds).toBeGreaterThan(0);
    // Chains that are not every chain of the config are refused.
    const short = () => combineFit(panel, config, { dim: together.posterior.dim, chains: byChain.slice(0, 2), startedAt });
    expect(short).toThrow("cannot combine the fit's chains: 2 chains, the config asks for 3");
  }, 120_000);
});
