/**
 * Each channel's adstock and saturation families and the priors of their parameters, resolved once from
 * the registries (the model's sweeps, the transforms and prior sampling then call them without a lookup).
 */
import { adstockFamily, type AdstockFamilies } from './adstock/index.ts';
import type { ModelData } from './model-data.ts';
import { logNormal, type ScalarPrior } from './priors/scalar-prior.ts';
import { saturationFamily, type SaturationFamilies } from './saturation/index.ts';

export interface MediaCurve {
  adstock: AdstockFamilies;
  saturation: SaturationFamilies;
  decayPrior: ScalarPrior;
  shapePrior: ScalarPrior;
  /** Whether the saturation has an exponent the slope coordinate sets (when `model.hillSlope` is 'learned'). */
  hasSlope: boolean;
  /** The exponent's prior; for a curve without one a standard normal on the unused coordinate, keeping the posterior proper. */
  slopePrior: ScalarPrior;
}

const unusedSlope = logNormal(0, 1);

export function mediaCurves(data: ModelData): MediaCurve[] {
  const priors = data.model.priors;
  return data.channels.map((channel) => {
    const adstock = adstockFamily(channel.adstock);
    const saturation = saturationFamily(channel.saturation);
    return {
      adstock,
      saturation,
      decayPrior: adstock.decay.prior,
      shapePrior: saturation.shape.prior(priors),
      hasSlope: saturation.slope !== undefined,
      slopePrior: saturation.slope?.prior(priors) ?? unusedSlope,
    };
  });
}
