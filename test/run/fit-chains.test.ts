/** A chain's result kept in the run between the chain activity and the combine (src/run/fit-chains.ts). */
import { mkdtempSync, rmSync, truncateSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { samplerSchema } from '../../src/config/sampler-config.ts';
import { sampleInProcess } from '../../src/inference/sampler.ts';
import {
  FIT_CHAINS_DIR,
  readFitChains,
  removeFitChains,
  reusableFitChain,
  sampledChains,
  writeFitChain,
} from '../../src/run/fit-chains.ts';
import { correlatedGaussian } from '../inference/targets.ts';

const dirs: string[] = [];
const runDir = (): string => {
  const dir = mkdtempSync(join(tmpdir(), 'mmm-fit-chains-'));
  dirs.push(dir);
  return dir;
};
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

const sampler = samplerSchema.parse({ chains: 2, warmup: 50, draws: 20, seed: 3 });
const samples = sampleInProcess(correlatedGaussian({ sd: [1, 3], correlation: 0.5 }), sampler);
const store = (dir: string, chainIndex: number, startedAt = 1000 + chainIndex) =>
  writeFitChain(dir, { chainIndex, sampler, startedAt, finishedAt: startedAt + 5, result: samples.chains[chainIndex] });

describe('fit chains in the run directory', () => {
  it('read back as written, in chain order, with the first start', () => {
    const dir = runDir();
    store(dir, 1);
    store(dir, 0);
    const combined = sampledChains(readFitChains(dir, sampler));
    expect(combined.chains).toEqual(samples.chains);
    expect(combined.dim).toBe(2);
    expect(combined.startedAt).toBe(1000);
    removeFitChains(dir);
    expect(existsSync(join(dir, FIT_CHAINS_DIR))).toBe(false);
  });

  it('are sampled again when absent, cut short, not a chain, or from other settings', () => {
    const dir = runDir();
    expect(reusableFitChain(dir, 0, sampler)).toBeNull();
    store(dir, 0);
    expect(reusableFitChain(dir, 0, sampler)?.result).toEqual(samples.chains[0]);
    expect(reusableFitChain(dir, 0, { ...sampler, seed: 4 })).toBeNull();
    const file = join(dir, FIT_CHAINS_DIR, 'chain-0.v8');
    truncateSync(file, 100);
    expect(reusableFitChain(dir, 0, sampler)).toBeNull();
    writeFileSync(file, 'not a chain');
    expect(reusableFitChain(dir, 0, sampler)).toBeNull();
  });

  it('refuse to combine with a chain missing, naming it', () => {
    const dir = runDir();
    store(dir, 0);
    expect(() => readFitChains(dir, sampler)).toThrow(/chain 1 of the fit cannot be combined: .*chain-1\.v8 is absent/);
  });
});
