/**
 * Maps each unconstrained coordinate to the constrained quantity its name in the layout denotes
 * (the transforms of priors/densities.ts; a media curve parameter by its ScalarPrior), for posterior summaries people can read.
 */
import { mediaCurves } from './media-curves.ts';
import type { ModelData } from './model-data.ts';
import type { ParameterLayout } from './parameters.ts';
import { residualCorrelationPrior } from './residual-ar1.ts';

export type CoordinateTransform = (v: number) => number;

const identity: CoordinateTransform = (v) => v;
const exp: CoordinateTransform = Math.exp;

export function coordinateTransforms(data: ModelData, layout: ParameterLayout): CoordinateTransform[] {
  const transforms: CoordinateTransform[] = new Array(layout.dim).fill(identity);
  const set = (offset: number, count: number, f: (i: number) => CoordinateTransform) => {
    if (offset >= 0) for (let i = 0; i < count; i++) transforms[offset + i] = f(i);
  };
  const { C, K } = data;
  const curves = mediaCurves(data);
  set(layout.trendSpread, 1, () => exp);
  set(layout.xi, K, () => exp);
  set(layout.mediaEffect, C, () => exp);
  set(layout.adstock, C, (c) => curves[c].decayPrior.constrain);
  set(layout.shape, C, (c) => curves[c].shapePrior.constrain);
  set(layout.slope, C, (c) => curves[c].slopePrior.constrain);
  set(layout.eta, C, () => exp);
  set(layout.interaction, data.interactions.length, () => (data.model.priors.interaction.sign === 'non_negative' ? exp : identity));
  set(layout.sigma, layout.nSigma, () => exp);
  set(layout.residualCorrelation, 1, () => residualCorrelationPrior.constrain);
  return transforms;
}
