/**
 * Per-draw channel response components (DESIGN.md section 4): g_c(f) for every posterior draw on a grid
 * of spend factors, plus each draw's baseline, plus per synergy pair a 2-D grid s_p(f_c, f_d) per draw. The
 * outcome of any allocation is baseline + sum_c g_c(f_c) + sum_p s_p(f_c, f_d) per draw, so these arrays are
 * all a query needs.
 *
 * Values are kept as float32: rounding is at most 2^-24 (6e-8) relative per node, five orders of magnitude
 * below the 0.5% exactness target, and it halves the file. Rounding happens here, at computation, so a
 * freshly computed run and a stored-then-loaded run score identically.
 */
import { factorGrid, factorGridSchema } from './factor-grid.ts';
import type { MarketIndex } from './markets.ts';
import type { ChannelResponseSource } from './response-source.ts';

export interface ReportingWindow {
  start: string;
  end: string;
}

export interface ResponseComponents {
  /** The series: channels, or (geo, channel) pairs when `markets` is present. */
  channels: readonly string[];
  /** The geo and channel of each series of components by market (src/surface/markets.ts). */
  markets?: MarketIndex;
  /** Historical spend per channel over the window, in currency (the f = 1 point). */
  historicalSpend: Float64Array;
  nDraws: number;
  window: ReportingWindow;
  observedTotal: number;
  /** Ascending spend factors, starting at 0 and containing 1. */
  factors: Float64Array;
  /** Non-media outcome per draw. */
  baseline: Float64Array;
  /** g per (channel, factor, draw): values[(c * factors.length + i) * nDraws + d]. */
  values: Float32Array;
  /** The synergy pairs' 2-D grids; absent when the model has no pairs (the outcome is then separable). */
  pairGrids?: PairGrids;
}

/**
 * Per-draw 2-D grids of the synergy pairs' terms: s_p(f_c, f_d) on `factors` x `factors`, so an allocation's
 * outcome is baseline + sum_c g_c(f_c) + sum_p s_p(f_c, f_d). Float32 like the channel values.
 */
export interface PairGrids {
  /** Channel indices [c, d] of each pair. */
  pairs: readonly (readonly [number, number])[];
  /** Ascending factors from 0 to the channel grid's largest (PAIR_FACTOR_GRID). */
  factors: Float64Array;
  /** s per (pair, factor of c, factor of d, draw): values[((p * F + i) * F + j) * nDraws + d], F = factors.length. */
  values: Float32Array;
}

/**
 * The pair grid's nodes, coarser than the channel grid's since each pair costs F^2 evaluations: geometric
 * (ratio 1.5) from 1e-3 up to 0.2, then every 0.1 up to the largest channel factor; 43 nodes (1,849 per pair)
 * for the default 3 x history. Bicubic interpolation on them (response-curves.ts) scores within 0.5% of the model
 * (test/surface/pair-grid-exactness.test.ts measures it on a fitted run).
 */
export const PAIR_FACTOR_GRID = { ratio: 1.5, step: 0.1, smallest: 1e-3 } as const;

/** Each pair's grid in one call where the source has pairContributionGrid, else one pairContribution call per (factor of c, factor of d). */
export function computePairGrids(source: ChannelResponseSource, factors: Float64Array): PairGrids | undefined {
  const pairs = source.pairs ?? [];
  if (pairs.length === 0) return undefined;
  if (!source.pairContribution) throw new ComponentSourceError('the response source names synergy pairs but cannot evaluate them');
  const { nDraws } = source;
  const F = factors.length;
  const values = new Float32Array(pairs.length * F * F * nDraws);
  const block = new Float64Array(F * F * nDraws);
  const draw = new Float64Array(nDraws);
  pairs.forEach(([c, d], p) => {
    if (source.pairContributionGrid) source.pairContributionGrid(p, factors, block);
    else
      for (let node = 0; node < F * F; node++) {
        source.pairContribution!(p, factors[Math.floor(node / F)], factors[node % F], draw);
        block.set(draw, node * nDraws);
      }
    const bad = block.findIndex((v) => !Number.isFinite(v));
    if (bad >= 0) {
      const node = Math.floor(bad / nDraws);
      throw new ComponentSourceError(
        `synergy pair '${source.channels[c]}' x '${source.channels[d]}' at factors ${factors[Math.floor(node / F)]}, ${factors[node % F]} is ${block[bad]} for draw ${bad % nDraws}`,
      );
    }
    values.set(block, p * F * F * nDraws);
  });
  return { pairs: pairs.map(([c, d]) => [c, d] as const), factors: Float64Array.from(factors), values };
}

export class ComponentSourceError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ComponentSourceError';
  }
}

/** Every channel's contributions on the factor grid (one batched call per channel where the source has it); progress counts channels. */
export function computeComponents(
  source: ChannelResponseSource,
  factors: Float64Array,
  onProgress?: (done: number, total: number) => void,
): ResponseComponents {
  const { channels, nDraws } = source;
  if (factors[0] !== 0 || !factors.includes(1)) {
    throw new ComponentSourceError('the factor grid must start at 0 and contain 1 (switched off and history)');
  }
  channels.forEach((channel, c) => {
    const spend = source.historicalSpend[c];
    if (!(spend > 0)) {
      throw new ComponentSourceError(
        `channel '${channel}' has historical spend ${spend} over the window; scaling it by a factor needs positive spend`,
      );
    }
  });
  const baseline = new Float64Array(nDraws);
  source.baseline(baseline);
  const badBaseline = baseline.findIndex((v) => !Number.isFinite(v));
  if (badBaseline >= 0) throw new ComponentSourceError(`baseline is ${baseline[badBaseline]} for draw ${badBaseline}`);
  const nFactors = factors.length;
  const values = new Float32Array(channels.length * nFactors * nDraws);
  const block = new Float64Array(nFactors * nDraws);
  const draw = new Float64Array(nDraws);
  for (let c = 0; c < channels.length; c++) {
    if (source.channelContributions) source.channelContributions(c, factors, block);
    else
      for (let i = 0; i < nFactors; i++) {
        source.channelContribution(c, factors[i], draw);
        block.set(draw, i * nDraws);
      }
    const bad = block.findIndex((v) => !Number.isFinite(v));
    if (bad >= 0) {
      throw new ComponentSourceError(
        `channel '${channels[c]}' contribution at factor ${factors[Math.floor(bad / nDraws)]} is ${block[bad]} for draw ${bad % nDraws}`,
      );
    }
    values.set(block, c * nFactors * nDraws);
    onProgress?.(c + 1, channels.length);
  }
  const pairGrids = computePairGrids(source, factorGrid(factorGridSchema.parse({ ...PAIR_FACTOR_GRID, maxFactor: factors[nFactors - 1] })));
  return {
    channels: [...channels],
    historicalSpend: Float64Array.from(source.historicalSpend),
    nDraws,
    window: { ...source.window },
    observedTotal: source.observedTotal,
    factors: Float64Array.from(factors),
    baseline,
    values,
    ...(source.markets ? { markets: source.markets } : {}),
    ...(pairGrids ? { pairGrids } : {}),
  };
}
