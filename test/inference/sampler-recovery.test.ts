/**
 * "The sampler is right": 4 chains x 1000 draws after 1000 warm-up iterations recover known means,
 * variances (and a covariance) within Monte Carlo error, without divergences.
 *
 * Tolerances: |estimate - truth| < 5 MCSE, MCSE = sd(f) / sqrt(ESS(f)), where sd(f) is the *known*
 * standard deviation of the averaged quantity f (x for a mean, (x - mu)^2 for a variance, whose sd is
 * sqrt(2) sigma^2 under a normal) and ESS(f) is estimated from the draws by the multi-chain estimator
 * below. Five standard errors keep the chance of a false alarm under ~1e-4 across the ~250 checks,
 * while a sampler off by ~10% in one variance (or ~1.5% in all 100) fails. An ESS floor of 400
 * (10% of the draws) guards against a broken sampler hiding behind a tiny ESS estimate and wide bounds.
 */
import { describe, expect, it } from 'vitest';
import type { LogDensity } from '../../src/inference/log-density.ts';
import { type SampleResult, sampleInProcess } from '../../src/inference/sampler.ts';
import { correlatedGaussian, nonCentredFunnel, standardNormal } from './targets.ts';

const OPTIONS = { chains: 4, warmup: 1000, draws: 1000, seed: 20240607 };
const MCSE_BOUND = 5;
const ESS_FLOOR = 400;

const mean = (xs: ArrayLike<number>): number => {
  let sum = 0;
  for (let i = 0; i < xs.length; i++) sum += xs[i];
  return sum / xs.length;
};

/** acov(t) = (1/n) sum_{i < n - t} (x_i - mean)(x_{i+t} - mean). */
function autocovariance(xs: Float64Array, xsMean: number, lag: number): number {
  let sum = 0;
  for (let i = 0; i + lag < xs.length; i++) sum += (xs[i] - xsMean) * (xs[i + lag] - xsMean);
  return sum / xs.length;
}

/**
 * Multi-chain effective sample size of a scalar (Stan's estimator, Gelman et al. BDA3 section 11.5):
 * rho_t = 1 - (W - mean_m acov_m(t)) / var+, var+ = (n - 1)/n W + B/n, summed over Geyer's initial
 * positive, monotone sequence of pairs P_k = rho_2k + rho_2k+1: ESS = m n / (-1 + 2 sum_k P_k).
 */
function effectiveSampleSize(chains: Float64Array[]): number {
  const m = chains.length;
  const n = chains[0].length;
  const chainMeans = chains.map(mean);
  const grandMean = mean(chainMeans);
  const within = (mean(chains.map((chain, k) => autocovariance(chain, chainMeans[k], 0))) * n) / (n - 1);
  const between = (n * chainMeans.reduce((acc, x) => acc + (x - grandMean) ** 2, 0)) / (m - 1);
  const varPlus = (within * (n - 1)) / n + between / n;
  const rho = (lag: number): number =>
    lag === 0 ? 1 : 1 - (within - mean(chains.map((chain, k) => autocovariance(chain, chainMeans[k], lag)))) / varPlus;
  let sum = 0;
  let previousPair = Infinity;
  for (let lag = 0; lag + 1 < n; lag += 2) {
    const pair = Math.min(rho(lag) + rho(lag + 1), previousPair);
    if (pair < 0) break;
    sum += pair;
    previousPair = pair;
  }
  return (m * n) / (-1 + 2 * sum);
}

/** f(draw) per chain, for f a function of one draw's coordinates. */
function series(result: SampleResult, f: (draws: Float64Array, offset: number) => number): Float64Array[] {
  return result.chains.map((chain) => Float64Array.from({ length: chain.logDensity.length }, (_, d) => f(chain.draws, d * result.dim)));
}

interface McEstimate {
  estimate: number;
  /** Monte Carlo standard error sd(f) / sqrt(ESS(f)). */
  mcse: number;
}

/** |mean of f - truth| < 5 sd(f) / sqrt(ESS(f)), with sd(f) known. */
function expectExpectation(chains: Float64Array[], truth: number, sdOfF: number, label: string): McEstimate {
  const ess = effectiveSampleSize(chains);
  expect(ess, `${label}: ESS`).toBeGreaterThan(ESS_FLOOR);
  const estimate = mean(chains.map(mean));
  const mcse = sdOfF / Math.sqrt(ess);
  expect(Math.abs(estimate - truth), `${label}: estimate ${estimate}, ESS ${ess.toFixed(0)}`).toBeLessThan(MCSE_BOUND * mcse);
  return { estimate, mcse };
}

/** Checks E[x_k] = mu and E[(x_k - mu)^2] = sd^2 for a normal marginal; returns the variance estimate. */
function expectNormalMarginal(result: SampleResult, k: number, mu: number, sd: number, label: string): McEstimate {
  expectExpectation(
    series(result, (draws, offset) => draws[offset + k]),
    mu,
    sd,
    `${label} mean`,
  );
  return expectExpectation(
    series(result, (draws, offset) => (draws[offset + k] - mu) ** 2),
    sd * sd,
    Math.SQRT2 * sd * sd,
    `${label} variance`,
  );
}

function divergences(result: SampleResult): number {
  return result.chains.reduce((total, chain) => total + chain.divergent.reduce((a, b) => a + b, 0), 0);
}

function sample(target: LogDensity): SampleResult {
  return sampleInProcess(target, OPTIONS);
}

describe('NUTS recovers known posteriors', () => {
  it('100-d standard normal', () => {
    const result = sample(standardNormal({ dim: 100 }));
    expect(divergences(result)).toBe(0);
    const variances = Array.from({ length: 100 }, (_, k) => expectNormalMarginal(result, k, 0, 1, `theta[${k}]`));
    // The average of the 100 independent variance estimates has MCSE sqrt(sum mcse_k^2) / 100 (~0.004):
    // a bias of 1.5% in every coordinate shows here although each coordinate alone allows ~10%. A single
    // check needs only 4 MCSE for a false-alarm rate of 6e-5.
    const pooledVariance = mean(variances.map((v) => v.estimate));
    const pooledMcse = Math.sqrt(variances.reduce((acc, v) => acc + v.mcse ** 2, 0)) / 100;
    expect(Math.abs(pooledVariance - 1), `pooled variance ${pooledVariance}`).toBeLessThan(4 * pooledMcse);
  });

  it('2-d Gaussian with correlation 0.99 and sds (1, 10)', () => {
    const result = sample(correlatedGaussian({ sd: [1, 10], correlation: 0.99 }));
    expect(divergences(result)).toBe(0);
    expectNormalMarginal(result, 0, 0, 1, 'x0');
    expectNormalMarginal(result, 1, 0, 10, 'x1');
    // E[x0 x1] = rho s1 s2 = 9.9; sd(x0 x1) = s1 s2 sqrt(1 + rho^2) for a zero-mean bivariate normal.
    expectExpectation(
      series(result, (draws, offset) => draws[offset] * draws[offset + 1]),
      9.9,
      10 * Math.sqrt(1 + 0.99 ** 2),
      'x0 x1',
    );
    // The adapted metric approaches the marginal variances (1, 100).
    for (const chain of result.chains) {
      expect(chain.inverseMetric[1] / chain.inverseMetric[0]).toBeGreaterThan(50);
      expect(chain.inverseMetric[1] / chain.inverseMetric[0]).toBeLessThan(200);
    }
  });

  it("Neal's funnel, non-centred: v ~ N(0, 3), 9 z ~ N(0, 1)", () => {
    const result = sample(nonCentredFunnel({ zCount: 9, vScale: 3 }));
    expect(divergences(result)).toBe(0);
    expectNormalMarginal(result, 0, 0, 3, 'v');
    for (let k = 1; k <= 9; k++) expectNormalMarginal(result, k, 0, 1, `z[${k}]`);
  });
});
