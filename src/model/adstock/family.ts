/**
 * What an adstock family (carry-over: normalised lag weights over maxLag + 1 periods, applied before
 * saturation) supplies: its config name, its decay parameter with its prior, and its kernels. The model,
 * the parameter layout, the transforms, prior sampling and the config schema read these through the
 * registry (index.ts); nothing else names a family.
 */
import type { ScalarPrior } from '../priors/scalar-prior.ts';

export interface AdstockFamily<Name extends string> {
  /** The name config files use (`model.adstock`, `data.channels[].adstock`). */
  readonly name: Name;
  /** The decay parameter (one per channel, the layout's adstock block): its name in summaries and its prior. */
  readonly decay: { readonly name: string; readonly prior: ScalarPrior };
  /**
   * Normalised weights wn_l, l = 0..weights.length - 1, written into `weights`, and d wn_l / d decay into
   * `dWeights` (analysis: the carry-in of a reporting window).
   */
  weights(decay: number, weights: Float64Array, dWeights: Float64Array): void;
  /**
   * Called once per channel and sweep before `series` and `decayAdjoint`: fills what they read of the two
   * arrays (the weights, or nothing for a kernel that needs none). Their length is maxLag + 1.
   */
  prepare(decay: number, weights: Float64Array, dWeights: Float64Array): void;
  /** u_t = sum_l wn_l x_{t-l} for one series of length T (x before the series start is 0). */
  series(x: Float64Array, xOffset: number, T: number, decay: number, weights: Float64Array, out: Float64Array, outOffset: number): void;
  /** dL/d decay of one series given uBar = dL/du. */
  decayAdjoint(
    x: Float64Array,
    xOffset: number,
    uBar: Float64Array,
    uOffset: number,
    T: number,
    decay: number,
    weights: Float64Array,
    dWeights: Float64Array,
  ): number;
}

/** Declares a family, inferring its name so the registry keeps its type. */
export const defineAdstock = <Name extends string>(family: AdstockFamily<Name>): AdstockFamily<Name> => family;
