/**
 * Which pooling form each block of per-geo coefficients gets (src/model/pooling/): the config's choice, or under
 * 'auto' the rule of choose-pooling.ts applied to each geo's own least-squares fit of the scaled KPI on an
 * intercept, the time basis, the controls and the channels' scaled media (linear, as a stand-in for their curves)
 * over the training window. The media are in that regression because the model has them: left out, what they
 * explain counted as noise, inflated the standard errors and kept the non-centred form where each geo's data pin
 * a control's coefficient (a 12-geo panel whose control effect differs by 0.15 between geos: its standard-error
 * variance fell eightfold with the media in, and non-centred its shared coefficient mixed to R-hat 1.056;
 * docs/model.md, "Geo pooling").
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
  C: number;
  /** Scaled media, channel-major C x G x T (ModelData.media). */
  media: Float64Array;
}

export function chooseGeoPooling(setting: ModelConfig['geoPooling'], inputs: GeoPoolingInputs): GeoPooling {
  const { G, K, C, tFit, nTrend, nTime } = inputs;
  if (setting !== 'auto') return { trend: setting, controls: new Array<PoolingKind>(K).fill(setting) };
  const p = 1 + nTime + K + C;
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

/**
 * Geo g's fit over the training window on the columns [1, time basis, controls, media]. The media come last, so a
 * channel the others or the baseline already explain is the column leastSquares marks dependent, not a control.
 */
function geoLeastSquares({ G, T, K, C, tFit, nTime, y, timeBasis, controls, media }: GeoPoolingInputs, g: number, p: number) {
  const design = new Float64Array(tFit * p);
  for (let t = 0; t < tFit; t++) {
    const row = t * p;
    design[row] = 1;
    for (let j = 0; j < nTime; j++) design[row + 1 + j] = timeBasis[t * nTime + j];
    for (let k = 0; k < K; k++) design[row + 1 + nTime + k] = controls[(g * T + t) * K + k];
    for (let c = 0; c < C; c++) design[row + 1 + nTime + K + c] = media[(c * G + g) * T + t];
  }
  return leastSquares(design, tFit, p, y.subarray(g * T, g * T + tFit));
}
