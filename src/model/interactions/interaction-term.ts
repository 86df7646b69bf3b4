/**
 * Channel synergies in the log density (DESIGN.md section 3, "Synergies"): for each configured pair p = (c, d),
 *   mu[g,t] += theta_p h_c[g,t] h_d[g,t]
 * on the saturated, adstocked media h of the geo (national models: the one geo), theta_p national and shared by
 * every geo. theta_p is in scaled KPI units (KPI standard deviations) per unit of h_c h_d, each h in [0, 1).
 * Prior (model.priors.interaction): theta_p ~ Normal(0, s) with the coordinate theta_p itself, or, with sign
 * 'non_negative', theta_p = exp(v) ~ HalfNormal(s) with the log-Jacobian v (priors/densities.ts).
 *
 * The term is media, so the level coordinate carries its training-window mean like every channel's
 * (mmm-model.ts: tau_g = level_g - mean media contribution, here plus levelShift[g]); the media adjoint the
 * model hands back (em) already holds that shift's chain rule, so the reverse sweep below needs only em.
 *
 * Kept apart from the kernel: the model calls prior, addToMean, coefficientAdjoint and addCurveAdjoint at one
 * place each, and nothing here knows the other terms.
 */
import type { ModelData } from '../model-data.ts';
import { halfNormalPrior, normalPrior, type PriorTerm } from '../priors/densities.ts';

/** The summary name of pair p's coefficient: `interaction[tv,search]`. */
export function interactionName(data: Pick<ModelData, 'channels'>, pair: readonly [number, number]): string {
  return `interaction[${data.channels[pair[0]].name},${data.channels[pair[1]].name}]`;
}

export class InteractionTerm {
  readonly count: number;
  /** theta_p of the last forward sweep. */
  readonly coefficient: Float64Array;
  /** d theta_p / d coordinate_p. */
  private readonly dCoefficient: Float64Array;
  /** Per geo: the term's mean over the training window, sum_p theta_p mean_{t < tFit} h_c h_d (part of the level). */
  readonly levelShift: Float64Array;
  private readonly pairs: readonly [number, number][];

  constructor(
    private readonly data: ModelData,
    /** The layout offset of the coordinates (-1 without pairs). */
    private readonly offset: number,
  ) {
    this.pairs = data.interactions;
    this.count = data.interactions.length;
    this.coefficient = new Float64Array(this.count);
    this.dCoefficient = new Float64Array(this.count);
    this.levelShift = new Float64Array(data.G);
  }

  /** Log prior (with the log-Jacobian under a sign constraint) of every pair's coordinate; its gradient into grad. */
  prior(theta: Float64Array, grad: Float64Array, term: PriorTerm): number {
    const { scale, sign } = this.data.model.priors.interaction;
    let lp = 0;
    for (let p = 0; p < this.count; p++) {
      const i = this.offset + p;
      if (sign === 'non_negative') halfNormalPrior(theta[i], scale, term);
      else normalPrior(theta[i], 0, scale, term);
      lp += term.logDensity;
      grad[i] += term.grad;
      this.coefficient[p] = term.value;
      this.dCoefficient[p] = term.dValue;
    }
    return lp;
  }

  /** mu[g,t] += sum_p theta_p h_c h_d over every period; levelShift[g] = the term's training-window mean. `saturated` is C x G x T. */
  addToMean(saturated: Float64Array, mu: Float64Array): void {
    const { G, T, tFit } = this.data;
    this.levelShift.fill(0);
    for (let p = 0; p < this.count; p++) {
      const [c, d] = this.pairs[p];
      const theta = this.coefficient[p];
      for (let g = 0; g < G; g++) {
        const hc = (c * G + g) * T;
        const hd = (d * G + g) * T;
        let sum = 0;
        for (let t = 0; t < T; t++) {
          const value = theta * saturated[hc + t] * saturated[hd + t];
          mu[g * T + t] += value;
          if (t < tFit) sum += value;
        }
        this.levelShift[g] += sum / tFit;
      }
    }
  }

  /** d log p / d coordinate_p += dtheta/dv sum_g sum_{t < tFit} em[g,t] h_c h_d, em the media adjoint (G x T). */
  coefficientAdjoint(em: Float64Array, saturated: Float64Array, grad: Float64Array): void {
    const { G, T, tFit } = this.data;
    for (let p = 0; p < this.count; p++) {
      const [c, d] = this.pairs[p];
      let adjoint = 0;
      for (let g = 0; g < G; g++) {
        const hc = (c * G + g) * T;
        const hd = (d * G + g) * T;
        for (let t = 0; t < tFit; t++) adjoint += em[g * T + t] * saturated[hc + t] * saturated[hd + t];
      }
      grad[this.offset + p] += adjoint * this.dCoefficient[p];
    }
  }

  /** hBar[t] += sum over the pairs holding channel c of theta_p h_partner[g,t] em[g,t] (t < tFit): dL/dh_c of geo g. */
  addCurveAdjoint(c: number, g: number, em: Float64Array, saturated: Float64Array, hBar: Float64Array): void {
    const { G, T, tFit } = this.data;
    for (let p = 0; p < this.count; p++) {
      const [a, b] = this.pairs[p];
      if (a !== c && b !== c) continue;
      const partner = ((a === c ? b : a) * G + g) * T;
      const theta = this.coefficient[p];
      for (let t = 0; t < tFit; t++) hBar[t] += theta * saturated[partner + t] * em[g * T + t];
    }
  }
}
