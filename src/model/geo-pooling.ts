/**
 * Which pooling form each block of per-geo coefficients gets (src/model/pooling/): the config's choice, or under
 * 'auto' the rule of choose-pooling.ts applied to each geo's own least-squares fit of the scaled KPI over the
 * training window.
 * - Trend contrasts and controls: the fit on an intercept, the time basis and the controls. Media are left out of
 *   it: what they explain inflates the standard errors, which leans towards the non-centred form, the one that
 *   cannot diverge.
 * - Media, per channel: the fit with every channel's scaled media added as columns, the rule with a margin for its
 *   sampling noise (mediaPooling below). The rule is computed on the coefficient b_g of the channel's column, not on its log. The
 *   model pools the log deviations d[g,c] = log(beta[g,c] / B_c), but to first order d[g,c] = (b_g - b) / b with
 *   the same b for every geo, a common linear map that leaves the rule's ratio tau^2 / S unchanged, and a noisy
 *   geo's estimate can be negative, where the log is undefined.
 *   The rule on per-geo estimates is also the rule on their Helmert contrasts, the coordinates the model pools
 *   (mmm-model.ts): Q is orthonormal and orthogonal to the ones, so the contrasts Q'b carry the same between-geo sum
 *   of squares, sum_g (b_g - mean b)^2, and independent per-geo errors of variance s^2 give each contrast an error
 *   of variance s^2 (S, the mean of s_g^2, when they differ).
 */
import type { ModelConfig } from '../config/schema.ts';
import { leastSquares, type LeastSquaresFit } from '../math/least-squares.ts';
import { choosePooling, type PerGeoEstimates } from './pooling/choose-pooling.ts';
import type { PoolingKind } from './pooling/index.ts';

export interface GeoPooling {
  /** The per-geo trend contrasts (pooled geo trends). */
  trend: PoolingKind;
  /** Per control. */
  controls: PoolingKind[];
  /** Per channel: the Helmert contrasts of the channel's log geo deviations (mmm-model.ts). */
  media: PoolingKind[];
}

export interface GeoPoolingInputs {
  G: number;
  T: number;
  K: number;
  C: number;
  tFit: number;
  nTrend: number;
  nTime: number;
  y: Float64Array;
  timeBasis: Float64Array;
  controls: Float64Array;
  /** Scaled media, channel-major C x G x T. */
  media: Float64Array;
}

export function chooseGeoPooling(setting: ModelConfig['geoPooling'], inputs: GeoPoolingInputs): GeoPooling {
  const { G, K, C, tFit, nTrend, nTime } = inputs;
  const all = (kind: PoolingKind): GeoPooling => ({
    trend: kind,
    controls: new Array<PoolingKind>(K).fill(kind),
    media: new Array<PoolingKind>(C).fill(kind),
  });
  if (setting !== 'auto') return all(setting);
  const baseline = 1 + nTime + K;
  if (G < 2 || tFit <= baseline) return all('non_centred');
  const withoutMedia = Array.from({ length: G }, (_, g) => geoLeastSquares(inputs, g, false));
  const withMedia = tFit > baseline + C ? Array.from({ length: G }, (_, g) => geoLeastSquares(inputs, g, true)) : null;
  return {
    trend: nTrend > 0 ? choosePooling(block(withoutMedia, 1, nTrend)).kind : 'non_centred',
    controls: Array.from({ length: K }, (_, k) => choosePooling(block(withoutMedia, 1 + nTime + k, 1)).kind),
    media: Array.from({ length: C }, (_, c) => (withMedia ? mediaPooling(block(withMedia, baseline + c, 1)) : 'non_centred')),
  };
}

/**
 * The rule on one channel's per-geo coefficients b_g, centring only where tau^2 exceeds S by more than the moment
 * estimate's sampling noise. At the rule's boundary tau^2 = S the between-geo variance var_g(b) has mean 2S and
 * standard deviation 2S sqrt(2 / (G - 1)) (the sample variance of G normal values), so the channel is centred when
 * var_g(b) > 2S + 2 x 2S sqrt(2 / (G - 1)), i.e. tau^2 > S (1 + 4 sqrt(2 / (G - 1))). A wrong centred form is a
 * funnel (divergences), a wrong non-centred one a ridge (slow mixing), so marginal channels go non-centred; and the
 * linear fit on raw media (no adstock, no saturation) adds its misfit to the scatter of the b_g. On a simulated
 * 100-geo panel (docs/model.md, "Geo pooling") the plain rule centred a channel with tau^2 = 1.07 S whose eta then
 * had R-hat 1.23, the fit's worst; the margin left it non-centred and every media coordinate below R-hat 1.03. The trend
 * and control blocks keep the plain rule, whose choices docs/model.md measured.
 */
function mediaPooling(coefficients: PerGeoEstimates): PoolingKind {
  const { spreadVariance, standardErrorVariance } = choosePooling(coefficients);
  const margin = 4 * Math.sqrt(2 / (coefficients.geos - 1));
  return Number.isFinite(standardErrorVariance) && spreadVariance > standardErrorVariance * (1 + margin) ? 'centred' : 'non_centred';
}

/** Coefficients from..from+count-1 of every geo's fit. */
function block(fits: LeastSquaresFit[], from: number, count: number): PerGeoEstimates {
  const G = fits.length;
  const estimates = new Float64Array(G * count);
  const standardErrors = new Float64Array(G * count);
  fits.forEach((fit, g) => {
    estimates.set(fit.coefficients.subarray(from, from + count), g * count);
    standardErrors.set(fit.standardErrors.subarray(from, from + count), g * count);
  });
  return { estimates, standardErrors, geos: G, coefficients: count };
}

/** Geo g's fit over the training window on the columns [1, time basis, controls], then every channel's media when asked. */
function geoLeastSquares(inputs: GeoPoolingInputs, g: number, withMedia: boolean): LeastSquaresFit {
  const { G, T, K, C, tFit, nTime, y, timeBasis, controls, media } = inputs;
  const p = 1 + nTime + K + (withMedia ? C : 0);
  const design = new Float64Array(tFit * p);
  for (let t = 0; t < tFit; t++) {
    const row = t * p;
    design[row] = 1;
    for (let j = 0; j < nTime; j++) design[row + 1 + j] = timeBasis[t * nTime + j];
    for (let k = 0; k < K; k++) design[row + 1 + nTime + k] = controls[(g * T + t) * K + k];
    if (withMedia) for (let c = 0; c < C; c++) design[row + 1 + nTime + K + c] = media[(c * G + g) * T + t];
  }
  return leastSquares(design, tFit, p, y.subarray(g * T, g * T + tFit));
}
