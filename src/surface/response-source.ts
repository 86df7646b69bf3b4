/**
 * What the decision layer needs from a fitted model (DESIGN.md section 4): per posterior draw, the
 * incremental outcome of each channel when its historical spend series over the reporting window is
 * scaled by a factor f (Meridian's counterfactual convention: flighting and cost per unit kept).
 * The model layer implements it from stored posterior draws; tests implement it with known curves.
 */
import type { SurfaceDesign } from '../config/schema.ts';
import type { PosteriorRef } from '../io/run-manifest.ts';
import type { MarketIndex } from './markets.ts';

export interface ChannelResponseSource {
  /** The series: channels, or (geo, channel) pairs labelled `geo/channel` when `markets` is present. */
  readonly channels: readonly string[];
  /** Which geo and channel each series is, for a source by market (src/surface/markets.ts); absent: series are channels. */
  readonly markets?: MarketIndex;
  /** Historical spend per channel over the reporting window, in currency. */
  readonly historicalSpend: Float64Array;
  readonly nDraws: number;
  /** Reporting window (ISO dates, inclusive) the factors and totals refer to. */
  readonly window: { start: string; end: string };
  /** Observed outcome total over the window, in outcome units (revenue when reported in revenue). */
  readonly observedTotal: number;
  /** The committed posterior the draws were read from (absent for sources not read from a run); a surface records it. */
  readonly posteriorRef?: PosteriorRef;
  /** The scenario design of the run's config (its `surface` section); absent: the defaults. */
  readonly design?: SurfaceDesign;
  /**
   * Outcome of the window with every channel's spend inside it at zero, per draw: intercept, trend, seasonality,
   * controls, and the carry-over of spend before the window (the same in every scenario).
   */
  baseline(out: Float64Array): void;
  /**
   * g_c(f) per draw: incremental outcome of channel `channel` over the window when its spend series is
   * scaled by `factor` (0 = channel switched off, 1 = history), relative to the channel switched off.
   */
  channelContribution(channel: number, factor: number, out: Float64Array): void;
  /**
   * g_c(f_i) per draw for every factor of `factors` at once, out[i * nDraws + d]: what computeComponents calls when a
   * source has it, since one pass over a channel's series for the whole grid is many times faster than one per factor.
   */
  channelContributions?(channel: number, factors: Float64Array, out: Float64Array): void;
  /** Synergy pairs [c, d] (channel indices) of the model's terms theta_p h_c h_d (model.interactions); absent or empty: none. */
  readonly pairs?: readonly (readonly [number, number])[];
  /**
   * s_p(f_c, f_d) per draw: the incremental outcome over the window of pair p's term when c's spend series is
   * scaled by f_c and d's by f_d, relative to both switched off (the channels' convention). Present with `pairs`.
   */
  pairContribution?(pair: number, factorC: number, factorD: number, out: Float64Array): void;
  /**
   * s_p(f_i, f_j) per draw at every pair of factors of `factors` at once, out[(i * F + j) * nDraws + d]: what
   * computePairGrids calls when a source has it (one pass over the series for the whole grid).
   */
  pairContributionGrid?(pair: number, factors: Float64Array, out: Float64Array): void;
}

/**
 * Loads a fitted run's response source: `window` (inclusive ISO dates) overrides the default reporting
 * window (every period of the data), `maxDraws` caps the posterior draws, evenly thinned.
 */
export type ResponseSourceLoader = (
  runDir: string,
  options: { window?: { start: string; end: string }; maxDraws?: number },
) => Promise<ChannelResponseSource>;
