/**
 * Splits one posterior draw into baseline and per-channel media contributions, in outcome units
 * (KPI, or revenue when a revenue-per-KPI column is given), for every geo and period.
 */
import type { DrawState } from './mmm-model.ts';
import type { ModelData } from './model-data.ts';
import { saturationFamily } from './saturation/index.ts';

export interface Decomposition {
  /** Expected KPI in scaled units, G x T (what the likelihood compares with y). */
  muScaled: Float64Array;
  /** Baseline outcome (everything but paid media), G x T, outcome units. */
  baseline: Float64Array;
  /** Incremental outcome of each channel, C x G x T, outcome units. */
  media: Float64Array;
}

export function newDecomposition(data: ModelData): Decomposition {
  const { G, T, C } = data;
  return { muScaled: new Float64Array(G * T), baseline: new Float64Array(G * T), media: new Float64Array(C * G * T) };
}

/**
 * Outcome(g,t) = outcomeScale(g,t) * (mu(g,t) + kpiMean / kpiSd); channel c adds
 * outcomeScale(g,t) * beta(g,c) * h_c(factor * u(g,t,c)) (spend scaled by `factor`, flighting kept).
 */
export function decomposeDraw(data: ModelData, state: DrawState, out: Decomposition, factors?: Float64Array): void {
  const { G, T, C, outcomeScale, channels } = data;
  const level = data.scaling.kpiMean / data.scaling.kpiSd;
  for (let i = 0; i < G * T; i++) {
    out.muScaled[i] = state.baseline[i];
    out.baseline[i] = outcomeScale[i] * (state.baseline[i] + level);
  }
  for (let c = 0; c < C; c++) {
    const factor = factors ? factors[c] : 1;
    const saturation = saturationFamily(channels[c].saturation);
    for (let g = 0; g < G; g++) {
      const beta = state.beta[g * C + c];
      const base = (c * G + g) * T;
      for (let t = 0; t < T; t++) {
        const effect = beta * saturation.value(factor * state.adstocked[base + t], state.shape[c], state.slope[c]);
        out.muScaled[g * T + t] += effect;
        out.media[base + t] = outcomeScale[g * T + t] * effect;
      }
    }
  }
}

/**
 * g_c(f) for one draw: sum over geos and periods [tStart, tEnd) of
 * outcomeScale(g,t) * beta(g,c) * h_c(f * u(g,t,c)) — the channel's incremental outcome when its whole
 * spend series is scaled by f (adstock is linear, so scaling spend scales u).
 */
export function channelOutcomeTotal(data: ModelData, state: DrawState, c: number, factor: number, tStart = 0, tEnd = data.T): number {
  const { G, T, C, outcomeScale, channels } = data;
  const saturation = saturationFamily(channels[c].saturation);
  let total = 0;
  for (let g = 0; g < G; g++) {
    const base = (c * G + g) * T;
    let geoTotal = 0;
    for (let t = tStart; t < tEnd; t++) {
      geoTotal += outcomeScale[g * T + t] * saturation.value(factor * state.adstocked[base + t], state.shape[c], state.slope[c]);
    }
    total += state.beta[g * C + c] * geoTotal;
  }
  return total;
}
