/**
 * How per-geo coefficients theta_g are partially pooled around a shared mean m with geo spread s
 * (theta_g ~ Normal(m, s)): which coordinate the sampler moves and what density it carries. The two forms are
 * the same model; they differ in the geometry the sampler meets (Papaspiliopoulos, Roberts and Skold 2007):
 * - centred: the coordinate is theta_g itself, density Normal(theta_g; m, s). A funnel when the data say
 *   little about each geo and s can approach zero.
 * - non-centred: the coordinate is dev_g ~ Normal(0, 1), theta_g = m + s dev_g. A narrow ridge when each
 *   geo's data pin theta_g, since then dev_g and m, s can only move together.
 * choose-pooling.ts picks one per block of coefficients from the data.
 */
import type { Rng } from '../../math/rng.ts';

export type PoolingKind = 'centred' | 'non_centred';

/** One coordinate's prior term and its deviation theta_g - m, each with partial derivatives (log s for the spread). */
export interface PooledTerm {
  logDensity: number;
  dLogDensityDx: number;
  dLogDensityDMean: number;
  dLogDensityDLogSpread: number;
  deviation: number;
  dDeviationDx: number;
  dDeviationDMean: number;
  dDeviationDLogSpread: number;
}

export interface PoolingForm {
  readonly kind: PoolingKind;
  /** The coordinate's name for a coefficient named `base` (gamma -> gamma_dev when non-centred). */
  coordinateName(base: string): string;
  /** Writes the term of coordinate x given the mean and the spread (s, not log s) into out. */
  evaluate(x: number, mean: number, spread: number, out: PooledTerm): void;
  /** A coordinate drawn from its prior. */
  draw(mean: number, spread: number, rng: Rng): number;
}

export function newPooledTerm(): PooledTerm {
  return {
    logDensity: 0,
    dLogDensityDx: 0,
    dLogDensityDMean: 0,
    dLogDensityDLogSpread: 0,
    deviation: 0,
    dDeviationDx: 0,
    dDeviationDMean: 0,
    dDeviationDLogSpread: 0,
  };
}
