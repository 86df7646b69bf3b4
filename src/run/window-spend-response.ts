/**
 * A channel's outcome for an arbitrary weekly spend path x over the reporting window, per posterior draw,
 * with its gradient: the WeeklySpendResponse timing optimises (src/explore/timing.ts), read from the
 * response source's cache (MmmResponseSource.channelPathDraws).
 *
 * In geo g the path becomes scaled media a_g x_t (a_g: the window's scaled media per unit of spend, so the
 * window's cost per unit and geo split are kept, as the response source's counterfactual keeps them), and
 * with wn the draw's normalised lag weights and v the carry-in of the pre-window media,
 *   z_gj = v_gj + a_g A_j,  A_j = sum_{l=0..min(j, L)} wn_l x_{j-l}   (x_j = 0 after the window),
 *   F_d(x) = sum_g beta_g sum_j outcomeScale(g, j) [h(z_gj) - h(v_gj)],
 * the outcome relative to the channel switched off inside the window, as g_c(f) is (x = f x the window's
 * spend reproduces g_c(f) when the window's geo split is the same every week, as in a national model).
 * The sum runs over the window's periods j; with `countCarryover` also over the L = maxLag periods after it,
 * with no spend there, so the carry-over of the window's spend past its end is counted.
 * Gradient: dF_d/dx_k = sum_{l=0..L} wn_l S_{k+l} with S_j = sum_g beta_g a_g outcomeScale(g, j) h'(z_gj).
 */
import type { WeeklySpendResponse } from '../explore/timing.ts';
import type { ChannelPathDraws, MmmResponseSource } from './mmm-response-source.ts';

export class WindowSpendResponse implements WeeklySpendResponse {
  readonly nDraws: number;
  readonly nWeeks: number;
  /** Periods summed: the window's, plus maxLag after it when carry-over is counted. */
  readonly periods: number;
  private readonly draws: ChannelPathDraws;
  /** sum_g beta_g sum_j outcomeScale h(v_gj) per draw: the outcome with no spend in the window. */
  private readonly offOutcome: Float64Array;
  private readonly adstocked: Float64Array;
  private readonly input: Float64Array;
  private readonly value: Float64Array;
  private readonly dInput: Float64Array;
  private readonly dShape: Float64Array;
  private readonly dSlope: Float64Array;
  private readonly marginal: Float64Array;

  constructor(source: MmmResponseSource, channel: number, options: { countCarryover: boolean }) {
    this.draws = source.channelPathDraws(channel, options.countCarryover);
    const { nDraws, windowLength, periods, G } = this.draws;
    this.nDraws = nDraws;
    this.nWeeks = windowLength;
    this.periods = periods;
    this.adstocked = new Float64Array(periods);
    this.input = new Float64Array(periods);
    this.value = new Float64Array(periods);
    this.dInput = new Float64Array(periods);
    this.dShape = new Float64Array(periods);
    this.dSlope = new Float64Array(periods);
    this.marginal = new Float64Array(periods);
    this.offOutcome = new Float64Array(nDraws);
    const { saturation, beta, shape, slope, carryIn, outcomeScale } = this.draws;
    for (let d = 0; d < nDraws; d++) {
      let total = 0;
      for (let g = 0; g < G; g++) {
        let geoTotal = 0;
        for (let j = 0; j < periods; j++) {
          geoTotal += outcomeScale[g * periods + j] * saturation.value(carryIn[(d * G + g) * periods + j], shape[d], slope[d]);
        }
        total += beta[d * G + g] * geoTotal;
      }
      this.offOutcome[d] = total;
    }
  }

  evaluate(spend: Float64Array, perDraw?: Float64Array, gradient?: Float64Array): number {
    this.checkSpend(spend);
    const { nDraws, periods } = this;
    gradient?.fill(0);
    let sum = 0;
    for (let d = 0; d < nDraws; d++) {
      const outcome = this.drawOutcome(d, spend, gradient !== undefined, undefined);
      if (perDraw) perDraw[d] = outcome;
      sum += outcome;
      if (gradient) {
        const { lagWeights, maxLag } = this.draws;
        const weights = d * (maxLag + 1);
        for (let k = 0; k < this.nWeeks; k++) {
          let acc = 0;
          const last = Math.min(maxLag, periods - 1 - k);
          for (let l = 0; l <= last; l++) acc += lagWeights[weights + l] * this.marginal[k + l];
          gradient[k] += acc;
        }
      }
    }
    if (gradient) for (let k = 0; k < this.nWeeks; k++) gradient[k] /= nDraws;
    return sum / nDraws;
  }

  /** The outcome of each period (window, then the periods after it when counted) per draw, draws x periods. */
  periodOutcomes(spend: Float64Array, out: Float64Array): void {
    this.checkSpend(spend);
    for (let d = 0; d < this.nDraws; d++) this.drawOutcome(d, spend, false, out.subarray(d * this.periods, (d + 1) * this.periods));
  }

  /**
   * F_d(spend); with `withMarginal`, S_j into this.marginal; with `byPeriod`, each period's share of F_d.
   */
  private drawOutcome(d: number, spend: Float64Array, withMarginal: boolean, byPeriod: Float64Array | undefined): number {
    const { G, maxLag, periods, saturation, beta, shape, slope, lagWeights, carryIn, outcomeScale, mediaPerSpend } = this.draws;
    const { adstocked, input, value, dInput, dShape, dSlope, marginal } = this;
    const n = this.nWeeks;
    const weights = d * (maxLag + 1);
    for (let j = 0; j < periods; j++) {
      let acc = 0;
      for (let l = Math.max(0, j - n + 1); l <= Math.min(j, maxLag); l++) acc += lagWeights[weights + l] * spend[j - l];
      adstocked[j] = acc;
    }
    if (withMarginal) marginal.fill(0);
    byPeriod?.fill(0);
    let total = 0;
    for (let g = 0; g < G; g++) {
      const carry = (d * G + g) * periods;
      const a = mediaPerSpend[g];
      for (let j = 0; j < periods; j++) input[j] = carryIn[carry + j] + a * adstocked[j];
      saturation.series(input, 0, periods, shape[d], slope[d], value, dInput, dShape, dSlope);
      const b = beta[d * G + g];
      let geoTotal = 0;
      for (let j = 0; j < periods; j++) {
        const scale = outcomeScale[g * periods + j];
        geoTotal += scale * value[j];
        if (withMarginal) marginal[j] += b * a * scale * dInput[j];
        if (byPeriod) byPeriod[j] += b * scale * (value[j] - saturation.value(carryIn[carry + j], shape[d], slope[d]));
      }
      total += b * geoTotal;
    }
    return total - this.offOutcome[d];
  }

  private checkSpend(spend: Float64Array): void {
    if (spend.length !== this.nWeeks) throw new RangeError(`a spend path over this window has ${this.nWeeks} weeks, not ${spend.length}`);
  }
}
