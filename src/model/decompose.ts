/**
 * Splits one posterior draw into baseline and per-channel media contributions, in outcome units
 * (KPI, or revenue when a revenue-per-KPI column is given), for every geo and period.
 *
 * A synergy term theta_p h_c h_d (model.interactions) is split half and half between its two channels. For a
 * bilinear term this is the Shapley split: the term is zero when either channel is off, so adding c first or d
 * first gives the term to whichever comes second, each with probability one half. Channel contributions
 * therefore still add up with the baseline to the expected outcome, and the term's own outcome is kept too.
 */
import type { DrawState } from './mmm-model.ts';
import type { ModelData } from './model-data.ts';
import { saturationFamily } from './saturation/index.ts';

export interface Decomposition {
  /** Expected KPI in scaled units, G x T (what the likelihood compares with y). */
  muScaled: Float64Array;
  /** Baseline outcome (everything but paid media), G x T, outcome units. */
  baseline: Float64Array;
  /** Incremental outcome of each channel, C x G x T, outcome units, with half of every synergy term it is part of. */
  media: Float64Array;
  /** Each synergy pair's term theta_p h_c h_d, P x G x T, outcome units (already inside `media`, half to each channel). */
  interaction: Float64Array;
  /** The saturated media h_c at the decomposition's spend factors, C x G x T (scratch for the synergy terms). */
  saturated: Float64Array;
}

export function newDecomposition(data: ModelData): Decomposition {
  const { G, T, C } = data;
  return {
    muScaled: new Float64Array(G * T),
    baseline: new Float64Array(G * T),
    media: new Float64Array(C * G * T),
    interaction: new Float64Array(data.interactions.length * G * T),
    saturated: new Float64Array(C * G * T),
  };
}

/**
 * Outcome(g,t) = outcomeScale(g,t) * (mu(g,t) + kpiMean / kpiSd); channel c adds
 * outcomeScale(g,t) * beta(g,c) * h_c(factor * u(g,t,c)) (spend scaled by `factor`, flighting kept), and each
 * synergy pair p = (c, d) adds outcomeScale(g,t) * theta_p * h_c h_d, half to c and half to d.
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
        const h = saturation.value(factor * state.adstocked[base + t], state.shape[c], state.slope[c]);
        out.saturated[base + t] = h;
        out.muScaled[g * T + t] += beta * h;
        out.media[base + t] = outcomeScale[g * T + t] * beta * h;
      }
    }
  }
  data.interactions.forEach(([c, d], p) => {
    const theta = state.interaction[p];
    for (let g = 0; g < G; g++) {
      for (let t = 0; t < T; t++) {
        const i = g * T + t;
        const effect = theta * out.saturated[(c * G + g) * T + t] * out.saturated[(d * G + g) * T + t];
        const outcome = outcomeScale[i] * effect;
        out.muScaled[i] += effect;
        out.interaction[(p * G + g) * T + t] = outcome;
        out.media[(c * G + g) * T + t] += 0.5 * outcome;
        out.media[(d * G + g) * T + t] += 0.5 * outcome;
      }
    }
  });
}

/**
 * g_c(f) for one draw: sum over geos and periods [tStart, tEnd) of
 * outcomeScale(g,t) * beta(g,c) * h_c(f * u(g,t,c)) — the channel's own incremental outcome when its whole
 * spend series is scaled by f (adstock is linear, so scaling spend scales u), without any synergy term.
 */
export function channelOutcomeTotal(data: ModelData, state: DrawState, c: number, factor: number, tStart = 0, tEnd = data.T): number {
  return channelOutcomeTotals(data, state, c, Float64Array.of(factor), new Float64Array(1), tStart, tEnd)[0];
}

/**
 * out[i] = g_c(factors[i]) (channelOutcomeTotal) for every factor in one sweep over the draw's media: the family's
 * multi-factor kernel (addAtFactors, carry-in 0, so its input is f u exactly) runs once per (geo, period) instead of
 * one call per (geo, period, factor). Each factor's sum runs in the same order as a sweep of its own (periods within
 * a geo, then geos weighted by beta), so every total is the single-factor one to the last bit.
 */
export function channelOutcomeTotals(
  data: ModelData,
  state: DrawState,
  c: number,
  factors: Float64Array,
  out: Float64Array,
  tStart = 0,
  tEnd = data.T,
): Float64Array {
  const { G, T, C, outcomeScale, channels } = data;
  const saturation = saturationFamily(channels[c].saturation);
  const shape = state.shape[c];
  const slope = state.slope[c];
  const geoTotals = new Float64Array(factors.length);
  out.fill(0);
  for (let g = 0; g < G; g++) {
    const base = (c * G + g) * T;
    geoTotals.fill(0);
    for (let t = tStart; t < tEnd; t++)
      saturation.addAtFactors(state.adstocked[base + t], 0, factors, shape, slope, outcomeScale[g * T + t], geoTotals);
    const beta = state.beta[g * C + c];
    for (let i = 0; i < factors.length; i++) out[i] += beta * geoTotals[i];
  }
  return out;
}

/**
 * Synergy pair p = (c, d) for one draw: sum over geos and periods [tStart, tEnd) of
 * outcomeScale(g,t) * theta_p * h_c(fc * u(g,t,c)) * h_d(fd * u(g,t,d)), with c's spend scaled by fc and d's by fd.
 */
export function interactionOutcomeTotal(
  data: ModelData,
  state: DrawState,
  p: number,
  fc: number,
  fd: number,
  tStart = 0,
  tEnd = data.T,
): number {
  const { G, T, outcomeScale, channels } = data;
  const [c, d] = data.interactions[p];
  const curveC = saturationFamily(channels[c].saturation);
  const curveD = saturationFamily(channels[d].saturation);
  let total = 0;
  for (let g = 0; g < G; g++) {
    const baseC = (c * G + g) * T;
    const baseD = (d * G + g) * T;
    for (let t = tStart; t < tEnd; t++) {
      const hc = curveC.value(fc * state.adstocked[baseC + t], state.shape[c], state.slope[c]);
      const hd = curveD.value(fd * state.adstocked[baseD + t], state.shape[d], state.slope[d]);
      total += outcomeScale[g * T + t] * hc * hd;
    }
  }
  return state.interaction[p] * total;
}

/**
 * What channel c's spend scaled by `factor` adds, every other channel at its history, against c switched off:
 * its own curve (channelOutcomeTotal) plus the whole of every synergy term it is part of (the term is zero
 * with c off). This is the response curve and, by its slope, the marginal return: what spending more on c buys.
 * At factor 1 it exceeds c's contribution (the Shapley split gives c half of each term) by half its terms.
 */
export function channelResponseTotal(data: ModelData, state: DrawState, c: number, factor: number): number {
  return withSynergyResponse(data, state, c, factor, channelOutcomeTotal(data, state, c, factor));
}

/** channelResponseTotal from c's own part `own` (channelOutcomeTotal at `factor`): own plus the whole of every synergy term c is in. */
export function withSynergyResponse(data: ModelData, state: DrawState, c: number, factor: number, own: number): number {
  let total = own;
  data.interactions.forEach(([a, b], p) => {
    if (a === c) total += interactionOutcomeTotal(data, state, p, factor, 1);
    else if (b === c) total += interactionOutcomeTotal(data, state, p, 1, factor);
  });
  return total;
}
