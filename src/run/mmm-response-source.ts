/**
 * The decision layer's view of a fitted run (ChannelResponseSource, DESIGN.md section 4) backed by the
 * stored posterior draws. A scenario scales a channel's spend inside the reporting window W = [tStart, tEnd)
 * by f (Meridian's counterfactual: flighting and cost per unit kept); spend before the window is history
 * and its adstock still carries into the window, unscaled.
 *
 * Adstock is linear: with u the adstocked media of the history and v the adstock of the pre-window media
 * alone (the carry-in), the scenario's adstocked media is u'(f) = v + f (u - v) = f u + (1 - f) v, and
 *   g_c(f) = sum_g beta_gc sum_{t in W} outcomeScale(g,t) [h_c(u'_gt(f)) - h_c(v_gt)],
 * the outcome in the window relative to the channel switched off inside it. The carry-in outcome
 * sum h_c(v) is the same in every scenario and belongs to the baseline. Carry-over past the window's end
 * falls outside the window and is not counted, as in the fit's analysis.
 *
 * Each draw is evaluated through the model once, at construction; u, v, beta, the saturation parameters and
 * the adstock lag weights are cached, so a query costs one saturation evaluation per (draw, geo, window period).
 * The same cache serves spend paths other than a scaled history (timing: src/run/window-spend-response.ts).
 * The cache holds 8 x draws x channels x geos x window periods bytes (250 MB for 1,000 draws of a 40-geo,
 * 5-channel, 156-week fit). Synergy pairs p = (c, d) (model.interactions) are answered from the same cache:
 *   s_p(f_c, f_d) = theta_p sum_g sum_{t in W} outcomeScale(g,t) [h_c(u'_c(f_c)) h_d(u'_d(f_d)) - h_c(v_c) h_d(v_d)],
 * relative to both channels off inside the window; the term's carry-in part theta_p h_c(v_c) h_d(v_d) is baseline.
 * The same cache answers per (geo, channel) pair (geoChannelContribution; the
 * markets' source, market-response-source.ts): the sums over g above split by geo, a synergy pair's term too
 * (geoPairContribution: s_gp, the term in geo g alone, relative to both channels off there).
 */
import { z } from 'zod';
import type { SurfaceDesign } from '../config/schema.ts';
import type { Panel } from '../data/panel.ts';
import { adstockFamily } from '../model/adstock/index.ts';
import { decomposeDraw, newDecomposition } from '../model/decompose.ts';
import type { MmmModel } from '../model/mmm-model.ts';
import { createMmmModel } from '../model/model.ts';
import type { ModelData } from '../model/model-data.ts';
import { saturationFamily, type SaturationFamilies } from '../model/saturation/index.ts';
import { readFitRun } from './run-directory.ts';
import type { ReportingWindow } from '../surface/components.ts';
import type { ChannelResponseSource } from '../surface/response-source.ts';
import { channelSpendTotals, observedOutcomeTotal, pairSpendTotals } from '../analysis/observed-totals.ts';
import { DrawEvaluator, thinnedDrawIndices, type PosteriorDraws } from '../model/posterior-draws.ts';
import type { PosteriorRef } from '../io/run-manifest.ts';

/** Enough draws that Monte Carlo error in p05/p95 is small next to posterior spread, few enough to cache. */
export const DEFAULT_MAX_DRAWS = 1000;

export const responseSourceOptionsSchema = z
  .object({
    /** Inclusive ISO dates; periods whose start date lies in it form the window. Default: every period of the data. */
    window: z.object({ start: z.iso.date(), end: z.iso.date() }).strict().optional(),
    /** At most this many posterior draws, evenly thinned across the concatenated chains. */
    maxDraws: z.number().int().positive().default(DEFAULT_MAX_DRAWS),
  })
  .strict();

export type ResponseSourceOptions = z.input<typeof responseSourceOptionsSchema>;

export class ResponseSourceError extends Error {
  override readonly name = 'ResponseSourceError';
}

/** Periods [tStart, tEnd) of the reporting window, and the window as the first and last period dates. */
export interface ReportingPeriods {
  tStart: number;
  tEnd: number;
  window: ReportingWindow;
}

/** The periods whose start date lies within `window`, which must itself lie within the data's dates. */
export function reportingPeriods(dates: readonly string[], window?: ReportingWindow): ReportingPeriods {
  const first = dates[0];
  const last = dates[dates.length - 1];
  if (!window) return { tStart: 0, tEnd: dates.length, window: { start: first, end: last } };
  // ISO yyyy-mm-dd dates order as strings.
  if (window.start > window.end) throw new ResponseSourceError(`reporting window ${window.start}..${window.end} starts after it ends`);
  if (window.start < first || window.end > last) {
    throw new ResponseSourceError(`reporting window ${window.start}..${window.end} reaches outside the data's periods ${first}..${last}`);
  }
  const tStart = dates.findIndex((d) => d >= window.start);
  let tEnd = dates.length;
  while (dates[tEnd - 1] > window.end) tEnd--;
  if (tStart >= tEnd) {
    throw new ResponseSourceError(
      `reporting window ${window.start}..${window.end} holds no period start date: consecutive periods start ${dates[tStart - 1]} and ${dates[tStart]}`,
    );
  }
  return { tStart, tEnd, window: { start: dates[tStart], end: dates[tEnd - 1] } };
}

/** One channel's cached per-draw quantities; series are (draw, geo)-major. */
interface ChannelDraws {
  saturation: SaturationFamilies;
  /** beta_gc per (draw, geo). */
  beta: Float64Array;
  shape: Float64Array;
  slope: Float64Array;
  /** u: adstocked media of the history over the window, draws x G x window periods. */
  adstocked: Float64Array;
  /** v: adstock of the pre-window media over the first `carryPeriods` window periods, draws x G x carryPeriods. */
  carryIn: Float64Array;
  /** sum_g beta sum_{t in W} outcomeScale h(v): the channel's outcome in the window when switched off inside it. */
  offOutcome: Float64Array;
  /** The same per geo, beta_g sum_{t in W} outcomeScale h(v_g), draws x G. */
  offByGeo: Float64Array;
  /** Normalised adstock lag weights wn_l per draw, draws x (maxLag + 1). */
  lagWeights: Float64Array;
}

/**
 * A channel's cached draws as src/run/window-spend-response.ts evaluates them for any weekly spend path over
 * the window (and the maxLag periods after it when carry-over is counted). Series are (draw, geo)-major; beta, shape and slope
 * are the cache itself, not copies.
 */
export interface ChannelPathDraws {
  saturation: SaturationFamilies;
  G: number;
  nDraws: number;
  maxLag: number;
  windowLength: number;
  /** windowLength, plus maxLag when carry-over past the window is counted. */
  periods: number;
  beta: Float64Array;
  shape: Float64Array;
  slope: Float64Array;
  /** wn_l per draw, draws x (maxLag + 1). */
  lagWeights: Float64Array;
  /** v: adstock of the pre-window media alone over the periods, draws x G x periods. */
  carryIn: Float64Array;
  /**
   * outcomeScale(g, t) over the periods, G x periods; a period after the data's end (a horizon) takes the
   * window's last period's.
   */
  outcomeScale: Float64Array;
  /** Scaled media per unit of spend in geo g: the window's scaled media over its spend (cost per unit and geo split of the window). */
  mediaPerSpend: Float64Array;
}

/**
 * v_j = sum_{l = j+1..L} wn_l x_{tStart + j - l}, j = 0..n-1: the adstock at window period tStart + j of the
 * media before tStart alone (x before the series start taken as 0).
 */
function adstockCarryIn(
  x: Float64Array,
  xOffset: number,
  tStart: number,
  weights: Float64Array,
  out: Float64Array,
  outOffset: number,
  n: number,
): void {
  const maxLag = weights.length - 1;
  for (let j = 0; j < n; j++) {
    let acc = 0;
    for (let l = j + 1; l <= maxLag && tStart + j - l >= 0; l++) acc += weights[l] * x[xOffset + tStart + j - l];
    out[outOffset + j] = acc;
  }
}

export class MmmResponseSource implements ChannelResponseSource {
  readonly channels: readonly string[];
  readonly historicalSpend: Float64Array;
  readonly nDraws: number;
  readonly window: ReportingWindow;
  readonly observedTotal: number;
  readonly geos: readonly string[];
  /** Historical spend per (geo, channel) over the window, G x C. */
  readonly pairSpend: Float64Array;
  /** Indices of the posterior draws used (chains concatenated, as PosteriorDraws stores them). */
  readonly drawIndices: readonly number[];
  readonly periods: ReportingPeriods;
  /** Start dates of the window's periods. */
  readonly weeks: readonly string[];
  private readonly data: ModelData;
  /** Window periods reached by pre-window carry-over: min(maxLag, window length), 0 when the window starts the data. */
  private readonly carryPeriods: number;
  private readonly baselineDraws: Float64Array;
  private readonly cache: ChannelDraws[];
  readonly pairs: readonly (readonly [number, number])[];
  /** theta_p per (draw, pair), draws x pairs. */
  private readonly pairCoefficient: Float64Array;
  /** s_p with both channels off inside the window (the term's carry-in), draws x pairs. */
  private readonly pairOff: Float64Array;
  /** The same per geo, draws x pairs x G. */
  private readonly pairOffByGeo: Float64Array;

  constructor(
    model: MmmModel,
    panel: Panel,
    posterior: PosteriorDraws,
    options: ResponseSourceOptions = {},
    readonly posteriorRef?: PosteriorRef,
    readonly design?: SurfaceDesign,
  ) {
    const { window, maxDraws } = responseSourceOptionsSchema.parse(options);
    const { data } = model;
    const { G, T, C } = data;
    this.data = data;
    this.periods = reportingPeriods(panel.dates, window);
    const { tStart, tEnd } = this.periods;
    const windowLength = tEnd - tStart;
    this.channels = [...panel.channels];
    this.window = this.periods.window;
    this.weeks = panel.dates.slice(tStart, tEnd);
    this.historicalSpend = channelSpendTotals(panel, tStart, tEnd);
    this.geos = [...panel.geos];
    this.pairSpend = pairSpendTotals(panel, tStart, tEnd);
    this.observedTotal = observedOutcomeTotal(panel, tStart, tEnd);
    this.drawIndices = thinnedDrawIndices(posterior, maxDraws);
    const n = this.drawIndices.length;
    this.nDraws = n;
    this.carryPeriods = tStart === 0 ? 0 : Math.min(data.model.maxLag, windowLength);
    const carryPeriods = this.carryPeriods;

    this.cache = data.channels.map((spec) => ({
      saturation: saturationFamily(spec.saturation),
      beta: new Float64Array(n * G),
      shape: new Float64Array(n),
      slope: new Float64Array(n),
      adstocked: new Float64Array(n * G * windowLength),
      carryIn: new Float64Array(n * G * carryPeriods),
      offOutcome: new Float64Array(n),
      offByGeo: new Float64Array(n * G),
      lagWeights: new Float64Array(n * (data.model.maxLag + 1)),
    }));
    this.baselineDraws = new Float64Array(n);
    this.pairs = data.interactions.map(([c, d]) => [c, d] as const);
    const P = this.pairs.length;
    this.pairCoefficient = new Float64Array(n * P);
    this.pairOff = new Float64Array(n * P);
    this.pairOffByGeo = new Float64Array(n * P * G);
    const evaluator = new DrawEvaluator(model, posterior);
    const parts = newDecomposition(data);
    const weights = new Float64Array(data.model.maxLag + 1);
    const weightsDerivative = new Float64Array(data.model.maxLag + 1);
    this.drawIndices.forEach((drawIndex, d) => {
      const state = evaluator.load(drawIndex);
      decomposeDraw(data, state, parts);
      this.pairCoefficient.set(state.interaction, d * P);
      let baseline = 0;
      for (let g = 0; g < G; g++) for (let t = tStart; t < tEnd; t++) baseline += parts.baseline[g * T + t];
      this.baselineDraws[d] = baseline;
      for (let c = 0; c < C; c++) {
        const channel = this.cache[c];
        channel.shape[d] = state.shape[c];
        channel.slope[d] = state.slope[c];
        adstockFamily(data.channels[c].adstock).weights(state.adstockDecay[c], weights, weightsDerivative);
        channel.lagWeights.set(weights, d * weights.length);
        for (let g = 0; g < G; g++) {
          channel.beta[d * G + g] = state.beta[g * C + c];
          const series = (c * G + g) * T;
          channel.adstocked.set(state.adstocked.subarray(series + tStart, series + tEnd), (d * G + g) * windowLength);
          if (carryPeriods > 0)
            adstockCarryIn(data.media, series, tStart, weights, channel.carryIn, (d * G + g) * carryPeriods, carryPeriods);
        }
      }
    });
    if (carryPeriods > 0) {
      const switchedOff = new Float64Array(1);
      const offOne = new Float64Array(1);
      const scratch = new Float64Array(1);
      for (let c = 0; c < C; c++) {
        const { offByGeo, offOutcome } = this.cache[c];
        for (let d = 0; d < n; d++) {
          // Summed geo by geo in windowOutcomes' order, so the total is the same number.
          let off = 0;
          for (let g = 0; g < G; g++) {
            this.windowOutcomes(c, d, switchedOff, g, g + 1, offOne, scratch);
            offByGeo[d * G + g] = offOne[0];
            off += offByGeo[d * G + g];
          }
          offOutcome[d] = off;
          this.baselineDraws[d] += off;
        }
      }
      for (let d = 0; d < n; d++) {
        for (let p = 0; p < P; p++) {
          this.pairOff[d * P + p] = this.pairWindowOutcome(p, d, 0, 0, 0, G);
          this.baselineDraws[d] += this.pairOff[d * P + p];
          for (let g = 0; g < G; g++) this.pairOffByGeo[(d * P + p) * G + g] = this.pairWindowOutcome(p, d, 0, 0, g, g + 1);
        }
      }
    }
  }

  pairContribution(pair: number, factorC: number, factorD: number, out: Float64Array): void {
    this.checkPairFactors(pair, factorC, factorD);
    const P = this.pairs.length;
    const G = this.geos.length;
    for (let draw = 0; draw < this.nDraws; draw++) {
      out[draw] = this.pairWindowOutcome(pair, draw, factorC, factorD, 0, G) - this.pairOff[draw * P + pair];
    }
  }

  /**
   * s_gp(f_c, f_d) per draw: pair p's term in geo `geo` alone when c's spend series there is scaled by f_c and
   * d's by f_d, relative to both off there (the geos add up: sum_g s_gp(f_c, f_d) = s_p(f_c, f_d)).
   */
  geoPairContribution(pair: number, geo: number, factorC: number, factorD: number, out: Float64Array): void {
    this.checkPairFactors(pair, factorC, factorD);
    const G = this.geos.length;
    if (!(geo >= 0 && geo < G && Number.isInteger(geo))) throw new ResponseSourceError(`geo index ${geo} is not one of the ${G} geos`);
    const P = this.pairs.length;
    for (let draw = 0; draw < this.nDraws; draw++) {
      out[draw] = this.pairWindowOutcome(pair, draw, factorC, factorD, geo, geo + 1) - this.pairOffByGeo[(draw * P + pair) * G + geo];
    }
  }

  /** s_p(f_i, f_j) per draw at every pair of factors of `factors`: out[(i * F + j) * nDraws + d] (pairGridOver). */
  pairContributionGrid(pair: number, factors: Float64Array, out: Float64Array): void {
    for (const f of factors) this.checkPairFactors(pair, f, f);
    const P = this.pairs.length;
    this.pairGridOver(pair, factors, 0, this.geos.length, (draw) => this.pairOff[draw * P + pair], out);
  }

  /** s_gp(f_i, f_j) per draw at every pair of factors of `factors`: out[(i * F + j) * nDraws + d] (pairGridOver). */
  geoPairContributionGrid(pair: number, geo: number, factors: Float64Array, out: Float64Array): void {
    for (const f of factors) this.checkPairFactors(pair, f, f);
    const G = this.geos.length;
    if (!(geo >= 0 && geo < G && Number.isInteger(geo))) throw new ResponseSourceError(`geo index ${geo} is not one of the ${G} geos`);
    const P = this.pairs.length;
    this.pairGridOver(pair, factors, geo, geo + 1, (draw) => this.pairOffByGeo[(draw * P + pair) * G + geo], out);
  }

  /**
   * pairWindowOutcome over geos [gFrom, gTo) at every (f_i, f_j) of `factors` at once, less `off`: per draw and
   * period the saturated media of both channels at every factor (2F evaluations), then their F^2 products, summed
   * in pairWindowOutcome's order, so each node is the same number as one call there (F^2 / 2F times fewer
   * saturation evaluations).
   */
  private pairGridOver(
    p: number,
    factors: Float64Array,
    gFrom: number,
    gTo: number,
    off: (draw: number) => number,
    out: Float64Array,
  ): void {
    const { T, outcomeScale } = this.data;
    const { tStart, tEnd } = this.periods;
    const windowLength = tEnd - tStart;
    const [c, e] = this.pairs[p];
    const F = factors.length;
    const n = this.nDraws;
    const total = new Float64Array(F * F);
    const hc = new Float64Array(F);
    const hd = new Float64Array(F);
    for (let d = 0; d < n; d++) {
      total.fill(0);
      for (let g = gFrom; g < gTo; g++) {
        const scale = g * T + tStart;
        for (let j = 0; j < windowLength; j++) {
          for (let i = 0; i < F; i++) {
            hc[i] = outcomeScale[scale + j] * this.saturatedAt(c, d, g, j, factors[i]);
            hd[i] = this.saturatedAt(e, d, g, j, factors[i]);
          }
          for (let i = 0; i < F; i++) {
            const row = i * F;
            for (let k = 0; k < F; k++) total[row + k] += hc[i] * hd[k];
          }
        }
      }
      const theta = this.pairCoefficient[d * this.pairs.length + p];
      const offD = off(d);
      for (let node = 0; node < F * F; node++) out[node * n + d] = theta * total[node] - offD;
    }
  }

  private checkPairFactors(pair: number, factorC: number, factorD: number): void {
    if (!(pair >= 0 && pair < this.pairs.length && Number.isInteger(pair))) {
      throw new ResponseSourceError(`pair index ${pair} is not one of the ${this.pairs.length} synergy pairs`);
    }
    const [c, d] = this.pairs[pair];
    this.checkFactor(c, factorC);
    this.checkFactor(d, factorD);
  }

  /**
   * theta_p sum_{g in [gFrom, gTo)} sum_{t in W} outcomeScale(g,t) h_c(f_c u_c + (1 - f_c) v_c) h_d(f_d u_d + (1 - f_d) v_d)
   * for draw d.
   */
  private pairWindowOutcome(p: number, d: number, factorC: number, factorD: number, gFrom: number, gTo: number): number {
    const { T, outcomeScale } = this.data;
    const { tStart, tEnd } = this.periods;
    const windowLength = tEnd - tStart;
    const [c, e] = this.pairs[p];
    let total = 0;
    for (let g = gFrom; g < gTo; g++) {
      const scale = g * T + tStart;
      for (let j = 0; j < windowLength; j++) {
        total += outcomeScale[scale + j] * this.saturatedAt(c, d, g, j, factorC) * this.saturatedAt(e, d, g, j, factorD);
      }
    }
    return this.pairCoefficient[d * this.pairs.length + p] * total;
  }

  /** h_c(f u_gj + (1 - f) v_gj) of draw d at window period j (v = 0 past the carry-in periods). */
  private saturatedAt(c: number, d: number, g: number, j: number, factor: number): number {
    const G = this.geos.length;
    const windowLength = this.periods.tEnd - this.periods.tStart;
    const { saturation, adstocked, carryIn, shape, slope } = this.cache[c];
    const u = factor * adstocked[(d * G + g) * windowLength + j];
    const carry = j < this.carryPeriods ? (1 - factor) * carryIn[(d * G + g) * this.carryPeriods + j] : 0;
    return saturation.value(u + carry, shape[d], slope[d]);
  }

  /** Per draw: the window's outcome with every channel switched off inside it (non-media terms plus carry-in). */
  baseline(out: Float64Array): void {
    out.set(this.baselineDraws);
  }

  channelContribution(channel: number, factor: number, out: Float64Array): void {
    this.channelContributions(channel, Float64Array.of(factor), out);
  }

  /** g_c(f_i) per draw for every factor of `factors` at once: out[i * nDraws + d]. */
  channelContributions(channel: number, factors: Float64Array, out: Float64Array): void {
    for (const factor of factors) this.checkFactor(channel, factor);
    const { offOutcome } = this.cache[channel];
    this.contributionsOver(channel, factors, 0, this.geos.length, (d) => offOutcome[d], out);
  }

  /**
   * g_gc(f) per draw: the outcome in geo `geo` of channel `channel` when its spend series in that geo alone is
   * scaled by `factor`, relative to the channel switched off there (the same counterfactual, per geo; the geos
   * add up: sum_g g_gc(f) = g_c(f) when every geo is scaled by f).
   */
  geoChannelContribution(channel: number, geo: number, factor: number, out: Float64Array): void {
    this.geoChannelContributions(channel, geo, Float64Array.of(factor), out);
  }

  /** g_gc(f_i) per draw for every factor of `factors` at once: out[i * nDraws + d]. */
  geoChannelContributions(channel: number, geo: number, factors: Float64Array, out: Float64Array): void {
    const G = this.geos.length;
    for (const factor of factors) this.checkFactor(channel, factor);
    if (!(geo >= 0 && geo < G && Number.isInteger(geo))) throw new ResponseSourceError(`geo index ${geo} is not one of the ${G} geos`);
    const { offByGeo } = this.cache[channel];
    this.contributionsOver(channel, factors, geo, geo + 1, (d) => offByGeo[d * G + geo], out);
  }

  /** Per draw and factor, the window outcome of geos [gFrom, gTo) less the channel's outcome switched off there. */
  private contributionsOver(
    channel: number,
    factors: Float64Array,
    gFrom: number,
    gTo: number,
    off: (draw: number) => number,
    out: Float64Array,
  ): void {
    const F = factors.length;
    const row = new Float64Array(F);
    const scratch = new Float64Array(F);
    for (let d = 0; d < this.nDraws; d++) {
      this.windowOutcomes(channel, d, factors, gFrom, gTo, row, scratch);
      for (let i = 0; i < F; i++) out[i * this.nDraws + d] = row[i] - off(d);
    }
  }

  private checkFactor(channel: number, factor: number): void {
    this.checkChannel(channel);
    if (!(factor >= 0 && Number.isFinite(factor))) {
      throw new ResponseSourceError(`spend factor ${factor} for channel '${this.channels[channel]}' is not a finite number >= 0`);
    }
  }

  /**
   * The cached draws of `channel` for spend paths over the window; with `countCarryover`, also over the maxLag
   * periods after it (no spend there), which the window's spend still reaches.
   */
  channelPathDraws(channel: number, countCarryover: boolean): ChannelPathDraws {
    this.checkChannel(channel);
    const { G, T, media, outcomeScale, model } = this.data;
    const { tStart, tEnd } = this.periods;
    const windowLength = tEnd - tStart;
    const periods = windowLength + (countCarryover ? model.maxLag : 0);
    const windowSpend = this.historicalSpend[channel];
    if (!(windowSpend > 0)) {
      throw new ResponseSourceError(
        `channel '${this.channels[channel]}' has no spend in the window ${this.window.start}..${this.window.end}, so its media per unit of spend there is unknown`,
      );
    }
    const { saturation, beta, shape, slope, lagWeights } = this.cache[channel];
    const lags = model.maxLag + 1;
    const mediaPerSpend = new Float64Array(G);
    const scale = new Float64Array(G * periods);
    const carryIn = new Float64Array(this.nDraws * G * periods);
    for (let g = 0; g < G; g++) {
      const series = (channel * G + g) * T;
      for (let t = tStart; t < tEnd; t++) mediaPerSpend[g] += media[series + t];
      mediaPerSpend[g] /= windowSpend;
      for (let j = 0; j < periods; j++) scale[g * periods + j] = outcomeScale[g * T + (tStart + j < T ? tStart + j : tEnd - 1)];
      if (tStart === 0) continue;
      for (let d = 0; d < this.nDraws; d++) {
        adstockCarryIn(media, series, tStart, lagWeights.subarray(d * lags, (d + 1) * lags), carryIn, (d * G + g) * periods, periods);
      }
    }
    return {
      saturation,
      G,
      nDraws: this.nDraws,
      maxLag: model.maxLag,
      windowLength,
      periods,
      beta,
      shape,
      slope,
      lagWeights,
      carryIn,
      outcomeScale: scale,
      mediaPerSpend,
    };
  }

  private checkChannel(channel: number): void {
    if (!(channel >= 0 && channel < this.channels.length && Number.isInteger(channel))) {
      throw new ResponseSourceError(`channel index ${channel} is not one of the ${this.channels.length} channels`);
    }
  }

  /**
   * sum_{g in [gFrom, gTo)} beta_gc sum_{t in W} outcomeScale(g,t) h_c(f u_gt + (1 - f) v_gt) for draw d, summed
   * in the order channelOutcomeTotal sums, so a whole-data window over every geo reproduces the fit's analysis
   * to the last bit.
   */
  /**
   * The window's outcome of channel c in geos [gFrom, gTo) for draw d at every factor of `factors`, one pass over the
   * cached series for all of them: out[i] = sum_g beta_gc sum_{t in W} outcomeScale(g,t) h_c(f_i u_gct + (1 - f_i) v_gct).
   * `geoTotals` is scratch of the same length.
   */
  private windowOutcomes(
    c: number,
    d: number,
    factors: Float64Array,
    gFrom: number,
    gTo: number,
    out: Float64Array,
    geoTotals: Float64Array,
  ): void {
    const { G, T, outcomeScale } = this.data;
    const { tStart, tEnd } = this.periods;
    const windowLength = tEnd - tStart;
    const carryPeriods = this.carryPeriods;
    const { saturation, beta, adstocked, carryIn } = this.cache[c];
    const shape = this.cache[c].shape[d];
    const slope = this.cache[c].slope[d];
    out.fill(0);
    for (let g = gFrom; g < gTo; g++) {
      const series = (d * G + g) * windowLength;
      const carry = (d * G + g) * carryPeriods;
      const scale = g * T + tStart;
      geoTotals.fill(0);
      for (let j = 0; j < windowLength; j++) {
        const v = j < carryPeriods ? carryIn[carry + j] : 0;
        saturation.addAtFactors(adstocked[series + j], v, factors, shape, slope, outcomeScale[scale + j], geoTotals);
      }
      for (let i = 0; i < factors.length; i++) out[i] += beta[d * G + g] * geoTotals[i];
    }
  }
}

/** The response source of a run directory written by `mmm fit --out DIR` (ResponseSourceLoader of `mmm surface`), with its config's scenario design. */
export async function loadResponseSource(runDir: string, options: ResponseSourceOptions = {}): Promise<MmmResponseSource> {
  const { config, panel, posterior, ref } = readFitRun(runDir);
  return new MmmResponseSource(createMmmModel(panel, config), panel, posterior, options, ref, config.surface);
}
