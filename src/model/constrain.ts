/**
 * Maps each unconstrained coordinate to the constrained quantity its name in the layout denotes
 * (the inverse of the transforms in priors.ts), for posterior summaries people can read.
 */
import type { ModelData } from './model-data.ts';
import type { ParameterLayout } from './parameters.ts';

export type CoordinateTransform = (v: number) => number;

const identity: CoordinateTransform = (v) => v;
const exp: CoordinateTransform = Math.exp;
const bounded = (lo: number, hi: number): CoordinateTransform => (v) => lo + (hi - lo) / (1 + Math.exp(-v));

export function coordinateTransforms(data: ModelData, layout: ParameterLayout): CoordinateTransform[] {
  const transforms: CoordinateTransform[] = new Array(layout.dim).fill(identity);
  const set = (offset: number, count: number, f: (i: number) => CoordinateTransform) => {
    if (offset >= 0) for (let i = 0; i < count; i++) transforms[offset + i] = f(i);
  };
  const { C, K } = data;
  const ec = data.model.priors.ec;
  set(layout.trendSpread, 1, () => exp);
  set(layout.xi, K, () => exp);
  set(layout.mediaEffect, C, () => exp);
  set(layout.adstock, C, () => bounded(0, 1));
  set(layout.shape, C, (c) => (data.channels[c].saturation === 'hill' ? bounded(ec.lower, ec.upper) : exp));
  set(layout.slope, C, () => exp);
  set(layout.eta, C, () => exp);
  set(layout.sigma, layout.nSigma, () => exp);
  return transforms;
}
