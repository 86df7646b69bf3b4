/**
 * Which pooling form each block of per-geo coefficients gets (src/model/pooling/): the config's choice, or under
 * 'auto' the rule of choose-pooling.ts applied to each geo's own least-squares fit of the scaled KPI on an
 * intercept, the time basis and the controls over the training window. Media are left out of that regression:
 * what they explain inflates the standard errors, which leans towards the non-centred form, the one that cannot
 * diverge.
 */
import type { ModelConfig } from '../config/schema.ts';
import { leastSquares } from '../math/least-squares.ts';
import { choosePooling, type PerGeoEstimates } from './pooling/choose-pooling.ts';
import type { PoolingKind } from './pooling/index.ts';

export interface GeoPooling {
  /** The per-geo trend contrasts (pooled geo trends). */
  trend: PoolingKind;
  /** Per control. */
  controls: PoolingKind[];
}

export interface GeoPoolingInputs {
  G: number;
  T: number;
  K: number;
  tFit: number;
  nTrend: number;
  nTime: number;
  y: Float64Array;
  timeBasis: Float64Array;
  controls: Float64Array;
}

export function chooseGeoPooling(setting: ModelConfig['geoPooling'], inputs: GeoPoolingInputs): GeoPooling {
  const { G, K, tFit, nTrend, nTime } = inputs;
  if (setting !== 'auto') return { trend: setting, controls: new Array<PoolingKind>(K).fill(setting) };
  const p = 1 + nTime + K;
  if (G < 2 || tFit <= p) return { trend: 'non_centred', controls: new Array<PoolingKind>(K).fill('non_centred') };
  const fits = Array.from({ length: G }, (_, g) => geoLeastSquares(inputs, g, p));
  const block = (from: number, count: number): PerGeoEstimates => {
    const estimates = new Float64Array(G * count);
    const standardErrors = new Float64Array(G * count);
    fits.forEach((fit, g) => {
      estimates.set(fit.coefficients.subarray(from, from + count), g * count);
      standardErrors.set(fit.standardErrors.subarray(from, from + count), g * count);
    });
    return { estimates, standardErrors, geos: G, coefficients: count };
  };
  return {
    trend: nTrend > 0 ? choosePooling(block(1, nTrend)).kind : 'non_centred',
    controls: Array.from({ length: K }, (_, k) => choosePooling(block(1 + nTime + k, 1)).kind),
  };
}

/** Geo g's fit over the training window on the columns [1, time basis, controls]. */
function geoLeastSquares({ T, K, tFit, nTime, y, timeBasis, controls }: GeoPoolingInputs, g: number, p: number) {
  const design = new Float64Array(tFit * p);
  for (let t = 0; t < tFit; t++) {
    const row = t * p;
    design[row] = 1;
    for (let j = 0; j < nTime; j++) design[row + 1 + j] = timeBasis[t * nTime + j];
    for (let k = 0; k < K; k++) design[row + 1 + nTime + k] = controls[(g * T + t) * K + k];
  }
  return leastSquares(design, tFit, p, y.subarray(g * T, g * T + tFit));
}
