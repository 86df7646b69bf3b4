/**
 * Per-parameter convergence diagnostics and posterior summaries: rank-normalised split R-hat, bulk
 * and tail effective sample size (Vehtari, Gelman, Simpson, Carpenter & Buerkner 2021,
 * "Rank-normalization, folding, and localization: an improved R-hat for assessing convergence of
 * MCMC", Bayesian Analysis 16(2)), computed as ArviZ and Stan do so that values agree with theirs.
 *
 * Conventions shared by every function here:
 * - Split chains: each chain of n draws becomes its first and its last floor(n/2) draws (the middle
 *   draw of an odd-length chain is dropped), so M chains give 2M split chains of h = floor(n/2).
 * - Quantiles are Hyndman & Fan type 7 (linear interpolation; NumPy's default) over all draws.
 * - A NaN or infinite draw makes every statistic NaN: the sampler that produced it is broken.
 * - R-hat of draws that are identical everywhere is NaN (0/0); bulk and tail ESS of constant series
 *   are the number of draws, as in ArviZ.
 */
import { sortWithPermutation, type PermutationSortBuffers } from './argsort.ts';
import { MeanAutocovariance } from './autocovariance.ts';
import { DiagnosticsInputError, allFinite, drawsShape, type DrawsShape } from './draws.ts';
import { normalQuantile } from './normal-quantile.ts';
import { quantileOfSorted } from './quantile.ts';

export interface ParameterSummary {
  mean: number;
  /** Sample standard deviation over all draws (denominator N - 1). */
  sd: number;
  p05: number;
  p50: number;
  p95: number;
  rhat: number;
  essBulk: number;
  essTail: number;
}

export interface NamedParameterSummary extends ParameterSummary {
  name: string;
}

/** Blom's offset c in the normal scores z = Phi^{-1}((r - c) / (S - 2c + 1)) of ranks r (Vehtari et al. 2021, eq. 14). */
const blomOffset = 3 / 8;
/** A series whose range is below float64 resolution has no autocorrelation to estimate (ArviZ's test). */
const constantRange = 1e-15;
const tailProbabilities = [0.05, 0.95] as const;

/**
 * Scratch buffers, FFT tables and normal scores for draws of one chains x draws shape, so that a fit
 * with hundreds of parameters allocates them once. Every statistic is computed on `split` (the split
 * chains, one after another) or on `scores` (their normal scores or tail indicators).
 */
class ConvergenceWorkspace {
  private readonly shape: DrawsShape;
  private readonly half: number;
  private readonly splitChainCount: number;
  private readonly split: Float64Array;
  private readonly scores: Float64Array;
  private readonly scoreChains: Float64Array[];
  /** `split` sorted, with the permutation that sorts it. */
  private readonly splitSort: PermutationSortBuffers;
  /** The folded draws |split - median| sorted, with the permutation of `split` that sorts them. */
  private readonly sortedFolded: Float64Array;
  private readonly foldedOrder: Uint32Array;
  /** The middle draw of each odd-length chain, which the split chains leave out. */
  private readonly middle: Float64Array;
  private readonly sortedAll: Float64Array;
  /** Normal score of the integer rank r at index r - 1; tied (half-integer) ranks are computed as needed. */
  private readonly normalScores: Float64Array;
  private readonly chainMeans: Float64Array;
  private readonly autocovariance: MeanAutocovariance;
  /** Autocorrelation estimates by lag, as Geyer's sequences revise them. */
  private readonly rho: Float64Array;

  constructor(shape: DrawsShape) {
    this.shape = shape;
    this.half = Math.floor(shape.draws / 2);
    this.splitChainCount = 2 * shape.chains;
    const size = this.splitChainCount * this.half;
    this.split = new Float64Array(size);
    this.scores = new Float64Array(size);
    this.scoreChains = [];
    for (let k = 0; k < this.splitChainCount; k++) {
      this.scoreChains.push(this.scores.subarray(k * this.half, (k + 1) * this.half));
    }
    this.splitSort = {
      sorted: new Float64Array(size),
      order: new Uint32Array(size),
      scratchValues: new Float64Array(size),
      scratchOrder: new Uint32Array(size),
    };
    this.sortedFolded = new Float64Array(size);
    this.foldedOrder = new Uint32Array(size);
    this.middle = new Float64Array(shape.draws % 2 === 0 ? 0 : shape.chains);
    this.sortedAll = new Float64Array(shape.chains * shape.draws);
    this.normalScores = new Float64Array(size);
    for (let r = 1; r <= size; r++) this.normalScores[r - 1] = normalScore(r, size);
    this.chainMeans = new Float64Array(this.splitChainCount);
    this.autocovariance = new MeanAutocovariance(this.splitChainCount, this.half);
    this.rho = new Float64Array(this.half);
  }

  splitRhat(chains: readonly Float64Array[], label: string): number {
    if (!this.load(chains, label)) return Number.NaN;
    return this.rankRhat();
  }

  essBulk(chains: readonly Float64Array[], label: string): number {
    if (!this.load(chains, label)) return Number.NaN;
    this.scoreRanks(this.splitSort.sorted, this.splitSort.order);
    return this.essOfScores();
  }

  essTail(chains: readonly Float64Array[], label: string): number {
    if (!this.load(chains, label)) return Number.NaN;
    this.sortAll(chains);
    return this.tailEss();
  }

  summarize(chains: readonly Float64Array[], label: string): ParameterSummary {
    if (!this.load(chains, label)) {
      const nan = Number.NaN;
      return { mean: nan, sd: nan, p05: nan, p50: nan, p95: nan, rhat: nan, essBulk: nan, essTail: nan };
    }
    const sorted = this.sortAll(chains);
    let sum = 0;
    for (let i = 0; i < sorted.length; i++) sum += sorted[i];
    const mean = sum / sorted.length;
    let squares = 0;
    for (let i = 0; i < sorted.length; i++) squares += (sorted[i] - mean) ** 2;
    this.scoreRanks(this.splitSort.sorted, this.splitSort.order);
    const essBulk = this.essOfScores();
    return {
      mean,
      sd: Math.sqrt(squares / (sorted.length - 1)),
      p05: quantileOfSorted(sorted, 0.05),
      p50: quantileOfSorted(sorted, 0.5),
      p95: quantileOfSorted(sorted, 0.95),
      rhat: this.rankRhat(),
      essBulk,
      essTail: this.tailEss(),
    };
  }

  /** Checks the shape, then copies the split chains into `split` and sorts them; false when a draw is not finite. */
  private load(chains: readonly Float64Array[], label: string): boolean {
    const shape = drawsShape(chains, label);
    if (shape.chains !== this.shape.chains || shape.draws !== this.shape.draws) {
      throw new DiagnosticsInputError(
        `${label}: ${shape.chains} chains x ${shape.draws} draws, but the other parameters have ` +
          `${this.shape.chains} chains x ${this.shape.draws} draws`,
      );
    }
    if (!allFinite(chains)) return false;
    const { half } = this;
    const secondHalfStart = this.shape.draws - half;
    chains.forEach((chain, c) => {
      this.split.set(chain.subarray(0, half), c * half);
      this.split.set(chain.subarray(secondHalfStart), (this.shape.chains + c) * half);
    });
    sortWithPermutation(this.split, this.splitSort);
    return true;
  }

  /** All draws sorted into `sortedAll`: the sorted split draws merged with the sorted middle draws. */
  private sortAll(chains: readonly Float64Array[]): Float64Array {
    const { middle, sortedAll } = this;
    const split = this.splitSort.sorted;
    chains.forEach((chain, c) => {
      if (c < middle.length) middle[c] = chain[this.half];
    });
    middle.sort();
    let i = 0;
    let j = 0;
    for (let k = 0; k < sortedAll.length; k++) {
      sortedAll[k] = j >= middle.length || (i < split.length && split[i] <= middle[j]) ? split[i++] : middle[j++];
    }
    return sortedAll;
  }

  /**
   * max(R-hat of the normal scores, R-hat of the normal scores of |x - median|) (Vehtari et al. 2021,
   * section 4.2). Overwrites `scores`.
   */
  private rankRhat(): number {
    const { sorted, order } = this.splitSort;
    const size = sorted.length;
    if (sorted[0] === sorted[size - 1]) return Number.NaN;
    this.scoreRanks(sorted, order);
    const bulk = this.rhatOfScores();
    // The folded draws in ascending order merge two sorted runs: outwards from the median on each side.
    const median = quantileOfSorted(sorted, 0.5);
    let below = lowerBound(sorted, median) - 1;
    let above = below + 1;
    for (let k = 0; k < size; k++) {
      const fromBelow = below >= 0 ? Math.abs(sorted[below] - median) : Number.POSITIVE_INFINITY;
      const fromAbove = above < size ? Math.abs(sorted[above] - median) : Number.POSITIVE_INFINITY;
      const position = fromBelow < fromAbove ? below-- : above++;
      this.sortedFolded[k] = Math.min(fromBelow, fromAbove);
      this.foldedOrder[k] = order[position];
    }
    this.scoreRanks(this.sortedFolded, this.foldedOrder);
    const tail = this.rhatOfScores();
    // Chains stuck at two values equidistant from the median fold to a constant: the tail R-hat is
    // 0/0 while the bulk R-hat is already infinite, so an undefined tail must not mask the bulk.
    return tail > bulk ? tail : bulk;
  }

  /** min over p in {0.05, 0.95} of ESS(I(x <= q_p)), q_p over all draws (Vehtari et al. 2021, section 4.3); needs `sortAll`. */
  private tailEss(): number {
    let ess = Number.POSITIVE_INFINITY;
    for (const p of tailProbabilities) {
      const q = quantileOfSorted(this.sortedAll, p);
      for (let i = 0; i < this.split.length; i++) this.scores[i] = this.split[i] <= q ? 1 : 0;
      ess = Math.min(ess, this.essOfScores());
    }
    return ess;
  }

  /**
   * Writes into `scores` the normal scores of the pooled ranks, given values in ascending order and
   * the index each came from; tied values share their average rank.
   */
  private scoreRanks(sorted: Float64Array, from: Uint32Array): void {
    const size = sorted.length;
    let first = 0;
    while (first < size) {
      let last = first;
      while (last + 1 < size && sorted[last + 1] === sorted[first]) last += 1;
      // Ranks first+1 .. last+1 average to (first + last + 2) / 2.
      const twiceRank = first + last + 2;
      const score = twiceRank % 2 === 0 ? this.normalScores[twiceRank / 2 - 1] : normalScore(twiceRank / 2, size);
      for (let i = first; i <= last; i++) this.scores[from[i]] = score;
      first = last + 1;
    }
  }

  /**
   * Split R-hat = sqrt((B/W + h - 1) / h) with B = h Var(chain means) and W the mean within-chain
   * variance (Vehtari et al. 2021, eqs. 3-4).
   */
  private rhatOfScores(): number {
    const { half, chainMeans } = this;
    let within = 0;
    this.scoreChains.forEach((chain, k) => {
      const mean = meanOf(chain);
      chainMeans[k] = mean;
      let squares = 0;
      for (let t = 0; t < half; t++) squares += (chain[t] - mean) ** 2;
      within += squares / (half - 1);
    });
    within /= this.splitChainCount;
    const between = half * sampleVariance(chainMeans);
    return Math.sqrt((between / within + half - 1) / half);
  }

  /**
   * ESS = S / tau with tau = -1 + 2 sum_t rho_t, rho_t = 1 - (W - mean_k gamma_{k,t}) / var+ over
   * Geyer's (1992) initial monotone sequence of paired autocorrelations (Vehtari et al. 2021, eqs. 10-11;
   * Stan reference manual, "Effective sample size"), with ArviZ's treatment of the truncation lag.
   */
  private essOfScores(): number {
    const { scores, half } = this;
    const size = scores.length;
    let lowest = Number.POSITIVE_INFINITY;
    let highest = Number.NEGATIVE_INFINITY;
    for (let i = 0; i < size; i++) {
      lowest = Math.min(lowest, scores[i]);
      highest = Math.max(highest, scores[i]);
    }
    if (highest - lowest < constantRange) return size;
    const gamma = this.autocovariance;
    gamma.load(scores);
    const meanVariance = (gamma.at(0) * half) / (half - 1);
    const varPlus = (meanVariance * (half - 1)) / half + sampleVariance(gamma.chainMeans);
    const autocorrelation = (lag: number): number => 1 - (meanVariance - gamma.at(lag)) / varPlus;

    const { rho } = this;
    rho.fill(0);
    rho[0] = 1;
    let even = 1;
    let odd = autocorrelation(1);
    rho[1] = odd;
    // Initial positive sequence: keep pairs (rho_{t+1}, rho_{t+2}) while the previous pair sums above zero.
    let t = 1;
    while (t < half - 3 && even + odd > 0) {
      even = autocorrelation(t + 1);
      odd = autocorrelation(t + 2);
      if (even + odd >= 0) {
        rho[t + 1] = even;
        rho[t + 2] = odd;
      }
      t += 2;
    }
    const lastLag = t - 2;
    if (even > 0) rho[lastLag + 1] = even;
    // Initial monotone sequence: no pair sum may exceed the one before it.
    for (let u = 1; u <= lastLag - 2; u += 2) {
      if (rho[u + 1] + rho[u + 2] > rho[u - 1] + rho[u]) {
        rho[u + 1] = (rho[u - 1] + rho[u]) / 2;
        rho[u + 2] = rho[u + 1];
      }
    }
    let tau = -1 + rho[lastLag + 1];
    for (let u = 0; u <= lastLag; u++) tau += 2 * rho[u];
    // Antithetic chains could make tau arbitrarily small; Stan and ArviZ cap ESS at S log10(S).
    return size / Math.max(tau, 1 / Math.log10(size));
  }
}

/** Normal score Phi^{-1}((r - 3/8) / (S + 1/4)) of rank r among S values (Blom 1958). */
function normalScore(rank: number, size: number): number {
  return normalQuantile((rank - blomOffset) / (size - 2 * blomOffset + 1));
}

/** Number of entries of ascending `sorted` below x. */
function lowerBound(sorted: Float64Array, x: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid] < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function meanOf(x: Float64Array): number {
  let sum = 0;
  for (let i = 0; i < x.length; i++) sum += x[i];
  return sum / x.length;
}

/** Var(x) with denominator n - 1. */
function sampleVariance(x: Float64Array): number {
  const mean = meanOf(x);
  let squares = 0;
  for (let i = 0; i < x.length; i++) squares += (x[i] - mean) ** 2;
  return squares / (x.length - 1);
}

/** Rank-normalised split R-hat: the larger of the bulk and the folded (tail) R-hat. `chains`: one array of draws per chain. */
export function splitRhat(chains: Float64Array[]): number {
  return new ConvergenceWorkspace(drawsShape(chains, 'splitRhat')).splitRhat(chains, 'splitRhat');
}

/** Bulk ESS: ESS of the normal scores of the pooled ranks of the split chains (total over chains). */
export function essBulk(chains: Float64Array[]): number {
  return new ConvergenceWorkspace(drawsShape(chains, 'essBulk')).essBulk(chains, 'essBulk');
}

/** Tail ESS: the smaller ESS of the indicators I(x <= q05) and I(x <= q95) over the split chains. */
export function essTail(chains: Float64Array[]): number {
  return new ConvergenceWorkspace(drawsShape(chains, 'essTail')).essTail(chains, 'essTail');
}

/** Mean, sd, type-7 quantiles and convergence diagnostics of one parameter. */
export function summarizeParameter(chains: Float64Array[]): ParameterSummary {
  return new ConvergenceWorkspace(drawsShape(chains, 'summarizeParameter')).summarize(chains, 'summarizeParameter');
}

/** `summarizeParameter` for every parameter of one fit (all with the same chains x draws), sharing one workspace. */
export function summarizeParameters(parameters: readonly { name: string; chains: Float64Array[] }[]): NamedParameterSummary[] {
  if (parameters.length === 0) return [];
  const workspace = new ConvergenceWorkspace(drawsShape(parameters[0].chains, parameters[0].name));
  return parameters.map(({ name, chains }) => ({ name, ...workspace.summarize(chains, name) }));
}
