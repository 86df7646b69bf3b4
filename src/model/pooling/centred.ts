import type { PoolingForm } from './pooling-form.ts';

/** theta_g is the coordinate: log Normal(x; m, s) = -z^2 / 2 - log s with z = (x - m) / s; deviation x - m. */
export const centredPooling: PoolingForm = {
  kind: 'centred',
  coordinateName: (base) => base,
  evaluate(x, mean, spread, out) {
    const z = (x - mean) / spread;
    out.logDensity = -0.5 * z * z - Math.log(spread);
    out.dLogDensityDx = -z / spread;
    out.dLogDensityDMean = z / spread;
    out.dLogDensityDLogSpread = z * z - 1;
    out.deviation = x - mean;
    out.dDeviationDx = 1;
    out.dDeviationDMean = -1;
    out.dDeviationDLogSpread = 0;
  },
  draw: (mean, spread, rng) => mean + spread * rng.normal(),
};
