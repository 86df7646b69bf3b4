import type { PoolingForm } from './pooling-form.ts';

/** dev_g is the coordinate: log Normal(x; 0, 1) = -x^2 / 2; deviation s x. */
export const nonCentredPooling: PoolingForm = {
  kind: 'non_centred',
  coordinateName: (base) => `${base}_dev`,
  evaluate(x, _mean, spread, out) {
    out.logDensity = -0.5 * x * x;
    out.dLogDensityDx = -x;
    out.dLogDensityDMean = 0;
    out.dLogDensityDLogSpread = 0;
    out.deviation = spread * x;
    out.dDeviationDx = spread;
    out.dDeviationDMean = 0;
    out.dDeviationDLogSpread = spread * x;
  },
  draw: (_mean, _spread, rng) => rng.normal(),
};
