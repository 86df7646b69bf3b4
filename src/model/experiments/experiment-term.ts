/**
 * The experiments' likelihood term (DESIGN.md section 9, "Experiments"; docs/model.md, "Experiments"): for
 * each lift test e on channel c, the model's implied incremental outcome
 *
 *   I_e = sum_{g in geos_e} beta[g,c] sum_{t = start_e}^{outcomeEnd_e - 1} outcomeScale[g,t] (h(u[g,t,c]) - h(u'[g,t,c]))
 *
 * where u is the adstocked media and u' the adstocked counterfactual media (the window's media scaled by
 * counterfactualSpend / spend), so carry-over is counted until outcomeEnd = the window's end + maxLag; before
 * the window u = u' and nothing is missed. The test's estimate y_e ~ Normal(I_e, se_e):
 * log p = -(I_e - y_e)^2 / (2 se_e^2) (constants dropped). Value and gradient by hand, as the rest of the model.
 *
 * The gradient reaches the media parameters along three paths: through beta (the model's reverse sweep
 * chains `betaAdjoint` to roi, eta, eps and the curve parameters in D_c), through h(u) of the actual media
 * (`addCurveAdjoint`, into the sweep's dL/dh), and through h(u') of the counterfactual, which only this term
 * has: dL/d(decay, shape, slope) from the counterfactual series, written into the gradient here.
 */
import type { AdstockFamilies } from '../adstock/index.ts';
import type { SaturationFamilies } from '../saturation/index.ts';
import type { ModelExperiment } from '../../data/resolve-experiments.ts';

/** What the term reads of the model data (ModelData satisfies it). */
export interface ExperimentTermData {
  G: number;
  T: number;
  C: number;
  /** Scaled media, C x G x T. */
  media: Float64Array;
  /** Outcome units per scaled unit, G x T. */
  outcomeScale: Float64Array;
  experiments: readonly ModelExperiment[];
}

/** The model's forward state the term reads, and where the curve coordinates sit in theta. */
export interface ExperimentTermState {
  /** beta[g,c], G x C. */
  beta: Float64Array;
  /** h of the actual media, C x G x T. */
  saturated: Float64Array;
  decay: Float64Array;
  shape: Float64Array;
  slope: Float64Array;
  /** d(constrained value)/d(coordinate) per channel. */
  dDecay: Float64Array;
  dShapeValue: Float64Array;
  dSlopeValue: Float64Array;
  /** Adstock weights and their derivatives as `prepare` left them, C x (maxLag + 1). */
  weights: Float64Array;
  dWeights: Float64Array;
  /** Offsets of the decay, shape and slope blocks in theta (slope -1 when not learned). */
  adstockOffset: number;
  shapeOffset: number;
  slopeOffset: number;
}

export interface ExperimentCurve {
  adstock: AdstockFamilies;
  saturation: SaturationFamilies;
  hasSlope: boolean;
}

export class ExperimentTerm {
  /** dL/dI_e of the last evaluation. */
  private readonly residualAdjoint: Float64Array;
  /** dL/dbeta[g,c] of the last evaluation, G x C. */
  private readonly betaAdjoints: Float64Array;
  /** Counterfactual media per (experiment, geo), each outcomeEnd long. */
  private readonly counterfactualMedia: Float64Array[][];
  private readonly u: Float64Array;
  private readonly h: Float64Array;
  private readonly dInput: Float64Array;
  private readonly dShape: Float64Array;
  private readonly dSlope: Float64Array;
  private readonly uBar: Float64Array;
  private readonly lags: number;

  constructor(
    private readonly data: ExperimentTermData,
    private readonly curves: readonly ExperimentCurve[],
    maxLag: number,
  ) {
    const { G, T, C, media, experiments } = data;
    this.lags = maxLag + 1;
    this.residualAdjoint = new Float64Array(experiments.length);
    this.betaAdjoints = new Float64Array(G * C);
    this.counterfactualMedia = experiments.map((e) =>
      e.geos.map((g) => {
        const series = media.slice((e.channel * G + g) * T, (e.channel * G + g) * T + e.outcomeEnd);
        for (let t = e.start; t < e.end; t++) series[t] *= e.counterfactualRatio;
        return series;
      }),
    );
    this.u = new Float64Array(T);
    this.h = new Float64Array(T);
    this.dInput = new Float64Array(T);
    this.dShape = new Float64Array(T);
    this.dSlope = new Float64Array(T);
    this.uBar = new Float64Array(T);
  }

  get size(): number {
    return this.data.experiments.length;
  }

  /**
   * Each experiment's implied incremental outcome I_e at the model's forward state, into `out`; the
   * counterfactual series are left in the scratch buffers of the last (experiment, geo).
   */
  impliedOutcomes(state: ExperimentTermState, out: Float64Array): void {
    this.data.experiments.forEach((e, i) => {
      let implied = 0;
      e.geos.forEach((g, j) => (implied += state.beta[g * this.data.C + e.channel] * this.geoDifference(state, i, g, j)));
      out[i] = implied;
    });
  }

  /** The log likelihood of the experiments; adds the counterfactual path's gradient to `grad` and keeps the rest for the reverse sweep. */
  logLikelihood(state: ExperimentTermState, grad: Float64Array): number {
    const { C, outcomeScale, T } = this.data;
    this.betaAdjoints.fill(0);
    let ll = 0;
    const differences: number[] = [];
    this.data.experiments.forEach((e, i) => {
      differences.length = 0;
      let implied = 0;
      e.geos.forEach((g, j) => {
        const difference = this.geoDifference(state, i, g, j);
        differences.push(difference);
        implied += state.beta[g * C + e.channel] * difference;
      });
      const z = (implied - e.estimate) / e.standardError;
      ll -= 0.5 * z * z;
      const adjoint = -z / e.standardError;
      this.residualAdjoint[i] = adjoint;
      const c = e.channel;
      const { adstock, hasSlope } = this.curves[c];
      const w = state.weights.subarray(c * this.lags, (c + 1) * this.lags);
      const dw = state.dWeights.subarray(c * this.lags, (c + 1) * this.lags);
      let decayGrad = 0;
      let shapeGrad = 0;
      let slopeGrad = 0;
      e.geos.forEach((g, j) => {
        this.betaAdjoints[g * C + c] += adjoint * differences[j];
        // The counterfactual path: dI/dh'[t] = -beta outcomeScale[g,t] inside [start, outcomeEnd).
        this.counterfactualSeries(state, i, j);
        const beta = state.beta[g * C + c];
        const n = e.outcomeEnd;
        for (let t = 0; t < n; t++) {
          const bar = t < e.start ? 0 : -adjoint * beta * outcomeScale[g * T + t];
          shapeGrad += bar * this.dShape[t];
          slopeGrad += bar * this.dSlope[t];
          this.uBar[t] = bar * this.dInput[t];
        }
        if (this.lags > 1) decayGrad += adstock.decayAdjoint(this.counterfactualMedia[i][j], 0, this.uBar, 0, n, state.decay[c], w, dw);
      });
      grad[state.adstockOffset + c] += decayGrad * state.dDecay[c];
      grad[state.shapeOffset + c] += shapeGrad * state.dShapeValue[c];
      if (state.slopeOffset >= 0 && hasSlope) grad[state.slopeOffset + c] += slopeGrad * state.dSlopeValue[c];
    });
    return ll;
  }

  /** dL/dbeta[g,c] from the experiments of the last `logLikelihood`. */
  betaAdjoint(g: number, c: number): number {
    return this.betaAdjoints[g * this.data.C + c];
  }

  /** Adds dL/dh[g,t,c] of the actual media, beta outcomeScale dL/dI inside each test's outcome weeks, to `hBar` (length T). */
  addCurveAdjoint(c: number, g: number, beta: number, hBar: Float64Array): void {
    const { T, outcomeScale } = this.data;
    this.data.experiments.forEach((e, i) => {
      if (e.channel !== c || !e.geos.includes(g)) return;
      const scale = this.residualAdjoint[i] * beta;
      for (let t = e.start; t < e.outcomeEnd; t++) hBar[t] += scale * outcomeScale[g * T + t];
    });
  }

  /** sum_t outcomeScale (h - h') over the test's outcome weeks in geo g (the j-th of the test's geos). */
  private geoDifference(state: ExperimentTermState, i: number, g: number, j: number): number {
    const { G, T, outcomeScale } = this.data;
    const e = this.data.experiments[i];
    this.counterfactualSeries(state, i, j);
    const base = (e.channel * G + g) * T;
    let difference = 0;
    for (let t = e.start; t < e.outcomeEnd; t++) difference += outcomeScale[g * T + t] * (state.saturated[base + t] - this.h[t]);
    return difference;
  }

  /** u' and h' (with dh'/du', dh'/dshape, dh'/dslope) of experiment i's j-th geo, into the scratch buffers. */
  private counterfactualSeries(state: ExperimentTermState, i: number, j: number): void {
    const e = this.data.experiments[i];
    const c = e.channel;
    const { adstock, saturation } = this.curves[c];
    const n = e.outcomeEnd;
    const w = state.weights.subarray(c * this.lags, (c + 1) * this.lags);
    adstock.series(this.counterfactualMedia[i][j], 0, n, state.decay[c], w, this.u, 0);
    saturation.series(this.u, 0, n, state.shape[c], state.slope[c], this.h, this.dInput, this.dShape, this.dSlope);
  }
}
