import { describe, expect, it } from 'vitest';
import type { LogDensity } from '../../src/inference/log-density.ts';
import {
  type ChainResult,
  InitializationError,
  SamplerOptionsError,
  type SamplerProgress,
  sampleChain,
  sampleInProcess,
} from '../../src/inference/sampler.ts';
import { correlatedGaussian, nanDensity, standardNormal } from './targets.ts';

const SMALL = { chains: 2, warmup: 150, draws: 100, seed: 7 };

/** Everything in a chain result except wall-clock timings. */
const deterministicPart = ({ warmupSeconds: _w, samplingSeconds: _s, ...rest }: ChainResult) => rest;

describe('sampleChain', () => {
  it('gives bit-identical results for the same seed and chain index', () => {
    const target = correlatedGaussian({ sd: [1, 10], correlation: 0.9 });
    const first = sampleChain(target, 1, SMALL);
    const second = sampleChain(target, 1, SMALL);
    expect(deterministicPart(second)).toEqual(deterministicPart(first));
  });

  it('gives different draws for another seed or another chain index', () => {
    const target = standardNormal({ dim: 3 });
    const base = sampleChain(target, 0, SMALL).draws;
    expect(sampleChain(target, 1, SMALL).draws).not.toEqual(base);
    expect(sampleChain(target, 0, { ...SMALL, seed: 8 }).draws).not.toEqual(base);
  });

  it('returns draws x dim row-major arrays and per-draw statistics', () => {
    const result = sampleChain(standardNormal({ dim: 3 }), 0, { ...SMALL, maxTreeDepth: 4 });
    expect(result.draws).toHaveLength(300);
    for (const perDraw of [result.logDensity, result.divergent, result.treeDepth, result.energy, result.acceptStat, result.nLeapfrog])
      expect(perDraw).toHaveLength(100);
    expect(Math.max(...result.treeDepth)).toBeLessThanOrEqual(4);
    // log p of the standard normal at each stored draw: -|theta|^2 / 2.
    for (const d of [0, 50, 99]) {
      const row = result.draws.subarray(3 * d, 3 * d + 3);
      expect(result.logDensity[d]).toBeCloseTo(-0.5 * row.reduce((acc, x) => acc + x * x, 0), 12);
    }
    expect(result.inverseMetric).toHaveLength(3);
    expect(result.stepSize).toBeGreaterThan(0);
    // Every warm-up transition takes at least one leapfrog step, at most 2^4 - 1.
    expect(result.warmupLeapfrog).toBeGreaterThan(0);
    expect(result.warmupLeapfrog).toBeLessThanOrEqual(150 * 15);
  });

  it('keeps the heuristic step size and the unit metric without warm-up', () => {
    const result = sampleChain(standardNormal({ dim: 2 }), 0, { ...SMALL, warmup: 0 });
    expect(Array.from(result.inverseMetric)).toEqual([1, 1]);
    expect(result.warmupLeapfrog).toBe(0);
    expect(result.stepSize).toBeGreaterThan(0.1);
    expect(result.stepSize).toBeLessThan(10);
  });

  it('reports progress at every 1% and at the end of warm-up, in order', () => {
    const events: SamplerProgress[] = [];
    sampleChain(standardNormal({ dim: 2 }), 3, { ...SMALL, warmup: 50, draws: 150, onProgress: (p) => events.push(p) });
    expect(events).toHaveLength(100);
    expect(events.map((e) => e.iteration)).toEqual(Array.from({ length: 100 }, (_, i) => 2 * (i + 1)));
    expect(events[24]).toMatchObject({ chain: 3, iteration: 50, totalIterations: 200, phase: 'warmup' });
    expect(events[25].phase).toBe('sampling');
    expect(events[99].iteration).toBe(200);
  });

  it('retries random initial points until log p and its gradient are finite', () => {
    // Finite only for theta[0] > 0: half of Stan's uniform(-2, 2) inits fail.
    const halfLine: LogDensity = {
      dim: 2,
      logDensityGradient(theta, grad) {
        grad[0] = 1 / theta[0] - 1;
        grad[1] = -theta[1];
        return theta[0] > 0 ? Math.log(theta[0]) - theta[0] - 0.5 * theta[1] ** 2 : Number.NaN;
      },
    };
    const result = sampleChain(halfLine, 0, { ...SMALL, warmup: 0, draws: 20 });
    for (let d = 0; d < 20; d++) expect(result.draws[2 * d]).toBeGreaterThan(0);
  });

  it("starts from the target's own initial point when it has one", () => {
    // Support theta > 10 only: the default uniform(-2, 2) inits would all fail.
    const shifted: LogDensity = {
      dim: 1,
      logDensityGradient(theta, grad) {
        grad[0] = -1;
        return theta[0] > 10 ? -(theta[0] - 10) : -Infinity;
      },
      initialPoint: (rng) => Float64Array.of(11 + rng.uniform()),
    };
    const result = sampleChain(shifted, 0, { ...SMALL, warmup: 100, draws: 50 });
    expect(Math.min(...result.draws)).toBeGreaterThan(10);
  });

  it('throws a clear error when the target is NaN at every initial point', () => {
    const call = () => sampleChain(nanDensity({ dim: 4 }), 2, SMALL);
    expect(call).toThrow(InitializationError);
    expect(call).toThrow(
      'chain 2: cannot initialise: no finite log density and gradient in 100 attempts ' + '(last attempt: log density is NaN)',
    );
  });

  it('rejects an initial point of the wrong length', () => {
    const target: LogDensity = { ...standardNormal({ dim: 3 }), initialPoint: () => new Float64Array(2) };
    expect(() => sampleChain(target, 0, SMALL)).toThrow(/initialPoint returned 2 values for a target of dim 3/);
  });

  it('rejects invalid options, naming the option', () => {
    const target = standardNormal({ dim: 1 });
    expect(() => sampleChain(target, 0, { ...SMALL, chains: 0 })).toThrow(SamplerOptionsError);
    expect(() => sampleChain(target, 0, { ...SMALL, targetAccept: 1 })).toThrow(/'targetAccept'/);
    expect(() => sampleChain(target, 0, { ...SMALL, draws: 2.5 })).toThrow(/'draws'/);
    expect(() => sampleChain(target, -1, SMALL)).toThrow(/'chainIndex': must be a non-negative integer, got -1/);
  });
});

describe('sampleInProcess', () => {
  it('runs chain i exactly as sampleChain with index i', () => {
    const target = standardNormal({ dim: 2 });
    const result = sampleInProcess(target, SMALL);
    expect(result.dim).toBe(2);
    expect(result.chains).toHaveLength(2);
    expect(deterministicPart(result.chains[1])).toEqual(deterministicPart(sampleChain(target, 1, SMALL)));
    expect(result.wallSeconds).toBeGreaterThan(0);
  });
});
