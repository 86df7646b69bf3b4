import { describe, expect, it } from 'vitest';
import { type ChainResult, ChainFailedError, type SamplerProgress, sampleInProcess, sampleParallel } from '../../src/inference/sampler.ts';
import { correlatedGaussian, spikedGaussian, TARGETS_MODULE } from './targets.ts';

const deterministicPart = ({ warmupSeconds: _w, samplingSeconds: _s, ...rest }: ChainResult) => rest;

describe('sampleParallel', () => {
  it('gives exactly the in-process draws, queueing chains when there are fewer threads', async () => {
    const args = { sd: [1, 10], correlation: 0.9 };
    const options = { chains: 3, threads: 2, warmup: 150, draws: 100, seed: 11 };
    const events: SamplerProgress[] = [];
    const parallel = await sampleParallel(
      { module: TARGETS_MODULE, exportName: 'correlatedGaussian', args },
      { ...options, onProgress: (p) => events.push(p) },
    );
    const inProcess = sampleInProcess(correlatedGaussian(args), options);
    expect(parallel.dim).toBe(2);
    expect(parallel.chains.map(deterministicPart)).toEqual(inProcess.chains.map(deterministicPart));
    for (const chain of [0, 1, 2]) {
      const last = events.filter((e) => e.chain === chain).at(-1);
      expect(last).toMatchObject({ iteration: 250, totalIterations: 250, phase: 'sampling' });
    }
  });

  it('runs only the chains asked for, in that order, with the draws they have among all chains', async () => {
    const args = { sd: [1, 10], correlation: 0.9 };
    const options = { chains: 3, threads: 2, warmup: 100, draws: 50, seed: 13 };
    const spec = { module: TARGETS_MODULE, exportName: 'correlatedGaussian', args };
    const some = await sampleParallel(spec, options, [2, 0]);
    const all = sampleInProcess(correlatedGaussian(args), options);
    expect(some.chains.map(deterministicPart)).toEqual([all.chains[2], all.chains[0]].map(deterministicPart));
    await expect(sampleParallel(spec, options, [3])).rejects.toThrow("'chainIndices': 3 is not a chain of 0..2");
    await expect(sampleParallel(spec, options, [1, 1])).rejects.toThrow('a chain is listed twice');
  });

  it.each(['low-rank', 'dense'] as const)('gives the in-process draws and %s metric on worker threads', async (metricAdaptation) => {
    const args = { dim: 12, spikes: 2, spikeVariance: 30, seed: 3 };
    const options = { chains: 2, threads: 2, warmup: 200, draws: 50, seed: 12, metricAdaptation };
    const parallel = await sampleParallel({ module: TARGETS_MODULE, exportName: 'spikedGaussian', args }, options);
    const inProcess = sampleInProcess(spikedGaussian(args), options);
    expect(parallel.chains.map(deterministicPart)).toEqual(inProcess.chains.map(deterministicPart));
    expect(parallel.chains.map((chain) => chain.metric.kind)).toEqual([metricAdaptation, metricAdaptation]);
    expect(parallel.chains[0].metric.eigenvalues.length).toBeGreaterThan(0);
  });

  it('rejects with the chain index when a worker cannot initialise its chain', async () => {
    const run = sampleParallel(
      { module: TARGETS_MODULE, exportName: 'nanDensity', args: { dim: 2 } },
      { chains: 1, warmup: 10, draws: 10, seed: 1 },
    );
    await expect(run).rejects.toThrow(ChainFailedError);
    await expect(run).rejects.toThrow(/^chain 0 failed: chain 0: cannot initialise: .*log density is NaN/);
  });

  it('rejects when the target module cannot be loaded', async () => {
    const run = sampleParallel(
      { module: TARGETS_MODULE, exportName: 'noSuchTarget', args: null },
      { chains: 2, warmup: 10, draws: 10, seed: 1 },
    );
    await expect(run).rejects.toThrow(/^chain [01] failed: target 'noSuchTarget' from module '.*targets\.ts': no exported function/);
  });
});
