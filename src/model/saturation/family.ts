/**
 * What a saturation family (diminishing returns h(u) applied after adstock) supplies: its config name, its
 * prior settings under `model.priors`, its parameters with their priors, and its kernels. The model, the
 * parameter layout, the transforms, prior sampling and the config schema read these through the registry
 * (index.ts); nothing else names a family.
 */
import type { z } from 'zod';
import type { ScalarPrior } from '../priors/scalar-prior.ts';

/** The parsed values of a family's prior settings. */
export type PriorSettings<Settings extends z.ZodRawShape> = z.output<z.ZodObject<Settings>>;

export interface SaturationFamily<Name extends string, Settings extends z.ZodRawShape> {
  /** The name config files use (`model.saturation`, `data.channels[].saturation`). */
  readonly name: Name;
  /** Entries this family adds to `model.priors`, each with its defaults. */
  readonly priorSettings: Settings;
  /** The curve's shape parameter (one per channel, the layout's shape block): its name in summaries and its prior. */
  readonly shape: { readonly name: string; prior(settings: PriorSettings<Settings>): ScalarPrior };
  /**
   * The curve's exponent, learned when `model.hillSlope` is 'learned' (the layout's slope block, named
   * slope[channel]); a family without one leaves it out and the model fixes the exponent at 1.
   */
  readonly slope?: { prior(settings: PriorSettings<Settings>): ScalarPrior };
  /** h(u) (analysis and counterfactuals). */
  value(u: number, shape: number, slope: number): number;
  /**
   * acc[i] += weight h(f_i u + (1 - f_i) v) for every factor f_i of `factors`: one period of a cached media series
   * (adstocked u, carry-in v) at every factor of a surface's grid. The surface's hot path: one call per period
   * instead of one per (period, factor), so the family's arithmetic runs in a tight loop.
   */
  addAtFactors(u: number, v: number, factors: Float64Array, shape: number, slope: number, weight: number, acc: Float64Array): void;
  /**
   * h over u[offset..offset+n) with dh/du, dh/dshape and dh/dslope, written at the same indices of the
   * output arrays: the log-density's hot path, one tight loop per call.
   */
  series(
    u: Float64Array,
    offset: number,
    n: number,
    shape: number,
    slope: number,
    value: Float64Array,
    dInput: Float64Array,
    dShape: Float64Array,
    dSlope: Float64Array,
  ): void;
}

/** Declares a family, inferring its name and settings so the registry keeps their types. */
export const defineSaturation = <Name extends string, Settings extends z.ZodRawShape>(
  family: SaturationFamily<Name, Settings>,
): SaturationFamily<Name, Settings> => family;
