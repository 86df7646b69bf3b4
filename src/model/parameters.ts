/**
 * Where each parameter lives in the unconstrained vector theta the sampler moves in, and the
 * human-readable names used in summaries. Offsets of -1 mark blocks the model does not have.
 */
import { adstockFamily } from './adstock/index.ts';
import { interactionName } from './interactions/interaction-term.ts';
import { poolingForm } from './pooling/index.ts';
import type { ModelData } from './model-data.ts';
import { saturationFamily } from './saturation/index.ts';

export interface ParameterLayout {
  dim: number;
  /**
   * The levels (G; one for a national model): intercept tau_g plus the geo's mean media contribution over the
   * training window, sum_c beta[g,c] mean_t h[g,t,c] (see mmm-model.ts).
   */
  level: number;
  /** Coefficients of the time basis (trend contrasts then Fourier terms), nTime. */
  time: number;
  /** Geo models with pooled trends: the geo spread of the trend contrasts, log scale (1). */
  trendSpread: number;
  /** Geo models with pooled trends: per-geo trend contrasts (G x nTrend), centred or non-centred (data.pooling.trend). */
  trendGeo: number;
  /** Control coefficients (K): the national value, or the geo mean. */
  gamma: number;
  /** Geo spread of control coefficients, log scale (K), geo only. */
  xi: number;
  /** Per-geo control coefficients (G x K), centred or non-centred (data.pooling.controls), geo only. */
  gammaGeo: number;
  /** log ROI per channel (C), under either media prior: a coefficient prior is evaluated at the B_c it implies (mmm-model.ts). */
  mediaEffect: number;
  /** Adstock decay (C), named by the channel's adstock family, on its prior's unconstrained scale. */
  adstock: number;
  /** The saturation's shape parameter (C), named by the channel's saturation family (Hill ec, logistic lam, ...). */
  shape: number;
  /** The saturation's exponent (C; Hill's slope), log scale, only when learned. */
  slope: number;
  /** Geo spread of media effects, log scale (C), geo only. */
  eta: number;
  /** Non-centred media deviations (G x C), geo only. */
  mediaEps: number;
  /** Synergy coefficients theta_p, one per pair of model.interactions (log scale under sign 'non_negative'); -1 without pairs. */
  interaction: number;
  /** log sigma (1, or G when per geo). */
  sigma: number;
  nSigma: number;
  /** model.residuals "ar1": the residuals' week-to-week correlation phi = tanh(v / 2), one for every geo (1); -1 otherwise. */
  residualCorrelation: number;
  /** One name per theta coordinate, naming the constrained quantity (e.g. 'roi[x1]', 'adstock[x1]'). */
  names: string[];
}

export function parameterLayout(data: ModelData, geoNames: readonly string[], controlNames: readonly string[]): ParameterLayout {
  const { G, C, K, model } = data;
  const geo = G > 1;
  const names: string[] = [];
  let dim = 0;
  const block = (count: number, name: (i: number) => string): number => {
    const offset = dim;
    for (let i = 0; i < count; i++) names.push(name(i));
    dim += count;
    return offset;
  };
  const channelName = (c: number) => data.channels[c].name;
  const level = block(G, (g) => (geo ? `level[${geoNames[g]}]` : 'level'));
  // Columns per harmonic as model-data.ts laid them out (sin, cos, then their drift columns when drifting).
  const seasonBlock = data.nSeason / Math.max(1, model.seasonality.harmonics);
  const seasonName = (i: number): string =>
    `season[${['sin', 'cos', 'sin_drift', 'cos_drift'][i % seasonBlock]}${Math.floor(i / seasonBlock) + 1}]`;
  const time = block(data.nTime, (j) => (j < data.nTrend ? `trend[${j + 1}]` : seasonName(j - data.nTrend)));
  const pooledTrend = geo && data.nTrend > 0 && model.geoTrend === 'pooled';
  const trendSpread = pooledTrend ? block(1, () => 'trend_spread') : -1;
  const trendGeo = pooledTrend
    ? block(G * data.nTrend, (i) => {
        const name = poolingForm(data.pooling.trend).coordinateName('trend');
        return `${name}[${geoNames[Math.floor(i / data.nTrend)]},${(i % data.nTrend) + 1}]`;
      })
    : -1;
  const gamma = block(K, (k) => `gamma[${controlNames[k]}]`);
  const xi = geo && K > 0 ? block(K, (k) => `xi[${controlNames[k]}]`) : -1;
  const gammaGeo =
    geo && K > 0
      ? block(G * K, (i) => {
          const name = poolingForm(data.pooling.controls[i % K]).coordinateName('gamma');
          return `${name}[${geoNames[Math.floor(i / K)]},${controlNames[i % K]}]`;
        })
      : -1;
  const mediaEffect = block(C, (c) => `roi[${channelName(c)}]`);
  const adstock = block(C, (c) => `${adstockFamily(data.channels[c].adstock).decay.name}[${channelName(c)}]`);
  const shape = block(C, (c) => `${saturationFamily(data.channels[c].saturation).shape.name}[${channelName(c)}]`);
  const slope = model.hillSlope === 'learned' ? block(C, (c) => `slope[${channelName(c)}]`) : -1;
  const eta = geo ? block(C, (c) => `eta[${channelName(c)}]`) : -1;
  const mediaEps = geo ? block(G * C, (i) => `beta_dev[${geoNames[Math.floor(i / C)]},${channelName(i % C)}]`) : -1;
  const interaction =
    data.interactions.length > 0 ? block(data.interactions.length, (p) => interactionName(data, data.interactions[p])) : -1;
  const nSigma = geo && model.sigmaPerGeo ? G : 1;
  const sigma = block(nSigma, (i) => (nSigma === 1 ? 'sigma' : `sigma[${geoNames[i]}]`));
  const residualCorrelation = model.residuals === 'ar1' ? block(1, () => 'phi') : -1;
  return {
    dim,
    level,
    time,
    trendSpread,
    trendGeo,
    gamma,
    xi,
    gammaGeo,
    mediaEffect,
    adstock,
    shape,
    slope,
    eta,
    mediaEps,
    interaction,
    sigma,
    nSigma,
    residualCorrelation,
    names,
  };
}
