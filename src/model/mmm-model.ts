/**
 * The MMM log posterior (DESIGN.md section 3) as a hand-written Float64Array kernel: value and
 * gradient in one forward and one reverse sweep, no allocation per call.
 *
 * mu[g,t] = tau_g + sum_j timeBasis[t,j] coef_j (trend contrasts, Fourier) + sum_m timeBasis[t,m] s dev[g,m] (geo trends)
 *           + sum_k gamma[g,k] z[g,t,k] + sum_c beta[g,c] h_c(u[g,t,c])
 *           + sum_p theta_p h_c(u[g,t,c]) h_d(u[g,t,d])   (synergy pairs p = (c, d): interactions/interaction-term.ts)
 * y[g,t] = mu[g,t] + e[g,t] over the training window, e Normal(0, sigma) or Student-t, independent weeks, or under
 * model.residuals "ar1" an AR(1) series per geo, e_t = phi e_{t-1} + nu_t (residual-ar1.ts).
 * u = adstock(media), h = saturation(u), beta[g,c] = B_c exp(eta_c eps[g,c]) where B_c is chosen in closed
 * form so that the channel's incremental outcome over its ROI window (the training window unless an ROI
 * prior names one) equals roi_c x spend_c. The sampler moves log roi_c under either media prior.
 *
 * Under a coefficient prior (B_c ~ HalfNormal) the coordinate is still log roi_c: log B_c = log roi_c +
 * log spend_c - log D_c, with D_c = sum_g mass_gc spread_gc depending on the other coordinates only, is a
 * shift of variables with unit Jacobian, so the posterior is unchanged and the prior is evaluated at the B_c
 * it implies. The data pin the channel's outcome at its historical spend (roi) far more tightly than they
 * split it between the coefficient and the curve: with log B_c as coordinate a weak channel's posterior is
 * a curved ridge (B_c ~ 1 / lam_c while the logistic curve is still linear, B_c pinned once it bends), and
 * on the PyMC example's x2 the diagonal metric reached a bulk ESS of ~600 from 4,000 draws there (more
 * in docs/design.md, section 3).
 *
 * Geo models and national models under the Student-t likelihood: the sampler does not move tau_g itself but the
 * level, level_g = tau_g + sum_c beta[g,c] hbar[g,c] with
 * hbar[g,c] the mean of h_c over the training window: a shift of variables with unit Jacobian, so the
 * posterior is unchanged. The data pin the level (the mean outcome) far more tightly than they split it
 * between intercept and media. With tau_g as coordinate that split is a ridge, curved by exp(eta_c eps[g,c])
 * in geo models (1.5-2% of draws diverged on Meridian's 40-geo data, none after the change, at half the
 * gradients per draw) and, in national models, by the saturation: where an always-on channel's Hill ec is
 * small its h is nearly constant, so its ROI and the intercept trade off one for one (the demo's divergent
 * draws sat at low intercept, low ec[search] and high roi[search]). With the level as coordinate, on
 * Meridian's national data: 27 and 11 divergences -> 0 and 0, min bulk ESS 341 and 394 -> 2,245 and 2,182 in
 * 4 x (1000 + 1000), ESS per gradient 17x (docs/design.md, section 3).
 *
 * National models under the normal likelihood sample the whole linear baseline (intercept, time and control
 * coefficients) through its exact conditional posterior given the other parameters (conditional-baseline.ts): the
 * coordinates are z = L' (b - b_hat), the density factorises into the marginal posterior of the rest times a
 * standard normal in z, and the likelihood and its gradient are evaluated at b_hat (envelope theorem) with
 * -(1/2) log det P added. That removes the ridge between always-on media and the baseline terms that follow them
 * (30 of 20,000 draws diverged on the study's 104-week dataset before the media's projection was taken out of the
 * coordinates) and the funnel between the AR(1) correlation phi and the slow coefficients, whose conditional sd
 * scales as sigma / (1 - phi) (synthetic-2's min bulk ESS per draw 0.161 -> 0.631 under the diagonal metric;
 * docs/model.md, "Sampler benchmarks"). Under the Student-t likelihood, whose conditional is not Gaussian, the
 * sampler moves w = coef + A m for the time and control coefficients, with m[t] the media's and synergies'
 * contribution and A the ridge projection onto [1, time basis, controls] over the training window
 * (data.baselineProjection, model-data.ts): coef = w - A m, a shift with unit Jacobian, the priors evaluated at
 * coef. Geo models, whose media contributions differ by geo and whose trends and controls are pooled around the
 * shared values, keep the coefficients as coordinates.
 */
import type { LogDensity } from '../inference/log-density.ts';
import { InteractionTerm } from './interactions/interaction-term.ts';
import { ExperimentTerm, type ExperimentTermState } from './experiments/experiment-term.ts';
import { mediaCurves, type MediaCurve } from './media-curves.ts';
import type { ModelData } from './model-data.ts';
import type { ParameterLayout } from './parameters.ts';
import { newPooledTerm, poolingForm, type PooledTerm, type PoolingForm } from './pooling/index.ts';
import { ConditionalBaseline } from './conditional-baseline.ts';
import { ar1LogLikelihood, newAr1Likelihood, oneMinusPhiSquared, residualCorrelationPrior, type Ar1Likelihood } from './residual-ar1.ts';
import { halfNormalPrior, logNormalPrior, newPriorTerm, normalPrior, type PriorTerm } from './priors/densities.ts';

/** Constrained quantities of one posterior draw, as the analysis layer needs them. */
export interface DrawState {
  /** Effective media coefficient per (g, c), G x C, in scaled KPI units per unit of saturation. */
  beta: Float64Array;
  adstockDecay: Float64Array;
  /** The saturation's shape parameter per channel (Hill ec, logistic lam, ...). */
  shape: Float64Array;
  slope: Float64Array;
  sigma: Float64Array;
  /** Non-media part of mu (scaled units), G x T. */
  baseline: Float64Array;
  /** Adstocked scaled media, C x G x T. */
  adstocked: Float64Array;
  /** Synergy coefficient theta_p per pair of data.interactions (scaled KPI units per unit of h_c h_d). */
  interaction: Float64Array;
  /** The residuals' week-to-week correlation phi under model.residuals "ar1"; 0 for independent residuals. */
  phi: number;
}

/** The linear baseline's coefficients of one draw: what the level, time and control coordinates stand for. */
export interface BaselineCoefficients {
  /** tau_g per geo. */
  intercepts: Float64Array;
  /** Trend contrasts and seasonal terms (in geo models the values shared by the geos). */
  time: Float64Array;
  /** Control coefficients (in geo models their means over the geos). */
  controls: Float64Array;
}

export function newDrawState(data: ModelData, layout: ParameterLayout): DrawState {
  const { G, T, C } = data;
  return {
    beta: new Float64Array(G * C),
    adstockDecay: new Float64Array(C),
    shape: new Float64Array(C),
    slope: new Float64Array(C),
    sigma: new Float64Array(layout.nSigma),
    baseline: new Float64Array(G * T),
    adstocked: new Float64Array(C * G * T),
    interaction: new Float64Array(data.interactions.length),
    phi: 0,
  };
}

export class MmmModel implements LogDensity {
  readonly dim: number;
  /** National models under the normal likelihood integrate their baseline out: few correlations are left (LogDensity.correlated). */
  readonly correlated: boolean;
  /** Each channel's adstock and saturation families with their priors. */
  readonly curves: readonly MediaCurve[];
  private readonly lags: number;
  private readonly term: PriorTerm = newPriorTerm();
  private readonly pooled: PooledTerm = newPooledTerm();
  private readonly trendPooling: PoolingForm;
  private readonly controlPooling: readonly PoolingForm[];
  private readonly interactions: InteractionTerm;
  // Forward state kept for the reverse sweep.
  private readonly mu: Float64Array;
  private readonly baseline: Float64Array;
  private readonly residualAdjoint: Float64Array;
  /** Geo models: dL/dmu as the media parameters see it, through mu and through tau_g = level_g - sum_c beta hbar. */
  private readonly mediaAdjoint: Float64Array;
  /** Geo intercepts tau_g of the last forward sweep. */
  private readonly intercept: Float64Array;
  private readonly interceptPriorGrad: Float64Array;
  private readonly timeAdjoint: Float64Array;
  /**
   * National models: P m of the last forward sweep, the time coefficients' shifts then the controls' (coefficient =
   * coordinate - shift); zero in geo models.
   */
  private readonly baselineShift: Float64Array;
  /** dL/d(coefficient) of the same nTime + K coefficients: the prior's part from the forward sweep, the likelihood's from the reverse. */
  private readonly baselineAdjoint: Float64Array;
  /** Geo intercepts' total adjoints d log p / d tau_g of the last reverse sweep. */
  private readonly interceptAdjoint: Float64Array;
  /** Pooled geo trends: each geo's deviation from the shared trend contrasts in the last forward sweep (G x nTrend). */
  private readonly geoTrendCoef: Float64Array;
  private readonly adstocked: Float64Array;
  private readonly saturated: Float64Array;
  private readonly dInput: Float64Array;
  private readonly dShape: Float64Array;
  private readonly dSlope: Float64Array;
  private readonly inputAdjoint: Float64Array;
  private readonly weights: Float64Array;
  private readonly dWeights: Float64Array;
  private readonly gammaEff: Float64Array;
  private readonly geoSpread: Float64Array;
  private readonly beta: Float64Array;
  private readonly roiMass: Float64Array;
  private readonly sigma: Float64Array;
  /** AR(1) residuals: phi and 1 - phi^2 of the last forward sweep (0 and 1 for independent residuals). */
  private phi = 0;
  private oneMinusPhiSq = 1;
  private readonly ar1: Ar1Likelihood = newAr1Likelihood();
  private readonly channelScalars: {
    effect: Float64Array;
    decay: Float64Array;
    dDecay: Float64Array;
    shape: Float64Array;
    dShapeValue: Float64Array;
    slope: Float64Array;
    dSlopeValue: Float64Array;
    eta: Float64Array;
    dEta: Float64Array;
    roiDenominator: Float64Array;
    /** d log prior / d log B_c of a coefficient prior (0 under an ROI prior), chained through D_c backwards. */
    coefficientPriorGrad: Float64Array;
  };
  private readonly betaAdjoint: Float64Array;
  /**
   * National models under the normal likelihood: the baseline's exact conditional posterior, through which its
   * level, time and control coordinates are sampled (conditional-baseline.ts); null otherwise.
   */
  private readonly conditional: ConditionalBaseline | null;
  /** y - m over the training window, the conditional posterior's z coordinates and the baseline b they give. */
  private readonly conditionalResidual: Float64Array;
  private readonly conditionalZ: Float64Array;
  private readonly conditionalCoefficients: Float64Array;
  /** X b_hat over every week (scratch). */
  private readonly conditionalFitted: Float64Array;
  /** Lift tests' likelihood (src/model/experiments/experiment-term.ts) and the forward state it reads. */
  private readonly experiments: ExperimentTerm;
  private readonly experimentState: ExperimentTermState;

  constructor(
    readonly data: ModelData,
    readonly layout: ParameterLayout,
  ) {
    const { G, T, C, K } = data;
    // The config schema refuses the combination; a config built in code is refused here.
    if (layout.residualCorrelation >= 0 && data.model.likelihood !== 'normal')
      throw new Error('model.residuals "ar1" needs the normal likelihood (model.likelihood is "student_t")');
    this.dim = layout.dim;
    this.curves = mediaCurves(data);
    this.trendPooling = poolingForm(data.pooling.trend);
    this.controlPooling = data.pooling.controls.map(poolingForm);
    this.lags = data.model.maxLag + 1;
    this.interactions = new InteractionTerm(data, layout.interaction);
    this.mu = new Float64Array(G * T);
    this.baseline = new Float64Array(G * T);
    this.residualAdjoint = new Float64Array(G * T);
    this.mediaAdjoint = new Float64Array(G * T);
    this.intercept = new Float64Array(G);
    this.interceptPriorGrad = new Float64Array(G);
    this.timeAdjoint = new Float64Array(T);
    this.baselineShift = new Float64Array(data.nTime + K);
    this.baselineAdjoint = new Float64Array(data.nTime + K);
    this.interceptAdjoint = new Float64Array(G);
    this.geoTrendCoef = new Float64Array(G * data.nTrend);
    this.adstocked = new Float64Array(C * G * T);
    this.saturated = new Float64Array(C * G * T);
    this.dInput = new Float64Array(C * G * T);
    this.dShape = new Float64Array(C * G * T);
    this.dSlope = new Float64Array(C * G * T);
    this.inputAdjoint = new Float64Array(T);
    this.weights = new Float64Array(C * this.lags);
    this.dWeights = new Float64Array(C * this.lags);
    this.gammaEff = new Float64Array(G * K);
    this.geoSpread = new Float64Array(G * C);
    this.beta = new Float64Array(G * C);
    this.roiMass = new Float64Array(G * C);
    this.sigma = new Float64Array(layout.nSigma);
    const perChannel = () => new Float64Array(C);
    this.channelScalars = {
      effect: perChannel(),
      decay: perChannel(),
      dDecay: perChannel(),
      shape: perChannel(),
      dShapeValue: perChannel(),
      slope: perChannel(),
      dSlopeValue: perChannel(),
      eta: perChannel(),
      dEta: perChannel(),
      roiDenominator: perChannel(),
      coefficientPriorGrad: perChannel(),
    };
    this.betaAdjoint = new Float64Array(G);
    this.conditional = G === 1 && data.model.likelihood === 'normal' ? new ConditionalBaseline(data) : null;
    this.correlated = this.conditional === null;
    const p = this.conditional?.p ?? 0;
    this.conditionalResidual = new Float64Array(this.conditional ? data.tFit : 0);
    this.conditionalZ = new Float64Array(p);
    this.conditionalCoefficients = new Float64Array(p);
    this.conditionalFitted = new Float64Array(this.conditional ? T : 0);
    this.experiments = new ExperimentTerm(data, this.curves, data.model.maxLag);
    const { beta, saturated, weights, dWeights, channelScalars: cs } = this;
    this.experimentState = {
      beta,
      saturated,
      weights,
      dWeights,
      decay: cs.decay,
      shape: cs.shape,
      slope: cs.slope,
      dDecay: cs.dDecay,
      dShapeValue: cs.dShapeValue,
      dSlopeValue: cs.dSlopeValue,
      adstockOffset: layout.adstock,
      shapeOffset: layout.shape,
      slopeOffset: layout.slope,
    };
  }

  /** Starting points near the prior centre: a small jitter keeps chains distinct without wild starts. */
  initialPoint(rng: { uniform(): number }): Float64Array {
    const theta = new Float64Array(this.dim);
    for (let i = 0; i < this.dim; i++) theta[i] = (rng.uniform() - 0.5) * 1;
    return theta;
  }

  logDensityGradient(theta: Float64Array, grad: Float64Array): number {
    grad.fill(0);
    const logPrior = this.forward(theta, grad);
    const logLik = this.likelihood(theta, grad) + this.experiments.logLikelihood(this.experimentState, grad);
    this.reverse(theta, grad);
    return logPrior + logLik;
  }

  /** Constrained quantities of theta (one posterior draw), for analysis. */
  evaluate(theta: Float64Array, out: DrawState, scratchGrad: Float64Array): void {
    this.forward(theta, scratchGrad);
    out.beta.set(this.beta);
    out.adstockDecay.set(this.channelScalars.decay);
    out.shape.set(this.channelScalars.shape);
    out.slope.set(this.channelScalars.slope);
    out.sigma.set(this.sigma);
    out.baseline.set(this.baseline);
    out.adstocked.set(this.adstocked);
    out.interaction.set(this.interactions.coefficient);
    out.phi = this.phi;
  }

  /** Each experiment's implied incremental outcome at theta (one draw), in outcome units (src/model/experiments/experiment-term.ts). */
  experimentOutcomes(theta: Float64Array): Float64Array {
    this.forward(theta, new Float64Array(this.dim));
    const out = new Float64Array(this.experiments.size);
    this.experiments.impliedOutcomes(this.experimentState, out);
    return out;
  }

  /**
   * Sets the media coordinate (log roi_c) of every channel c with a finite coefficients[c] so that B_c equals
   * it at theta's other coordinates: log roi_c = log B_c + log D_c - log spend_c (D_c does not depend on the
   * media coordinates). For drawing from a coefficient prior.
   */
  setMediaCoefficients(theta: Float64Array, coefficients: ArrayLike<number>): void {
    const { data, layout } = this;
    // Every channel with an ROI prior (the default): nothing to set, and no forward sweep to pay for it.
    if (!Array.from(coefficients).some(Number.isFinite)) return;
    this.forward(theta, new Float64Array(this.dim));
    for (let c = 0; c < data.C; c++) {
      if (!Number.isFinite(coefficients[c])) continue;
      theta[layout.mediaEffect + c] =
        Math.log(coefficients[c]) + Math.log(this.channelScalars.roiDenominator[c]) - Math.log(data.roiSpend[c]);
    }
  }

  /**
   * Sets theta's time and control coordinates so that the coefficients are `time` and `controls` at theta's other
   * coordinates: z = L' (b - b_hat) in national models under the normal likelihood (conditional-baseline.ts),
   * w = coef + P m in national models under the Student-t likelihood (the inverse of the shift in the forward
   * sweep), w = coef in geo models.
   */
  setBaselineCoefficients(theta: Float64Array, time: ArrayLike<number>, controls: ArrayLike<number>): void {
    this.forward(theta, new Float64Array(this.dim));
    const { nTime, K } = this.data;
    if (this.conditional) {
      const b = this.conditionalCoefficients;
      for (let i = 0; i < nTime + K; i++) b[1 + i] = i < nTime ? time[i] : controls[i - nTime];
      this.setConditionalCoordinates(this.conditional, theta);
      return;
    }
    for (let i = 0; i < nTime + K; i++)
      theta[this.baselineCoordinate(i)] = (i < nTime ? time[i] : controls[i - nTime]) + this.baselineShift[i];
  }

  /**
   * theta with each baseline coordinate replaced by the coefficient it stands for, written into `out`: in national
   * models b = b_hat + L^-T z under the normal likelihood (the level row as intercept plus the media's mean) and
   * coef = w - P m at theta's media under the Student-t; geo models' coordinates are their coefficients, so out =
   * theta. For the parameter summaries, whose trend, season and control rows people read as the model's coefficients.
   */
  withBaselineCoefficients(theta: Float64Array, out: Float64Array): void {
    out.set(theta);
    if (this.conditional) {
      this.forward(theta, new Float64Array(this.dim));
      const b = this.conditionalCoefficients;
      for (let i = 0; i < b.length; i++) out[this.conditionalCoordinate(i)] = b[i];
      // The level row keeps its meaning in every model: the intercept plus the media's mean contribution.
      out[this.layout.level] = b[0] + this.mediaLevel(0);
      return;
    }
    if (this.data.baselineProjection.length === 0) return;
    this.forward(theta, new Float64Array(this.dim));
    const { nTime, K } = this.data;
    for (let i = 0; i < nTime + K; i++) out[this.baselineCoordinate(i)] -= this.baselineShift[i];
  }

  /**
   * The baseline coefficients theta stands for. National models' coordinates depend on the data (the media's
   * projection, or the conditional posterior given y), so a caller that changes the data under a fixed draw reads
   * them first and writes them back with setIntercepts and setBaselineCoefficients.
   */
  baselineOf(theta: Float64Array): BaselineCoefficients {
    const { G, nTime, K } = this.data;
    const readable = new Float64Array(this.dim);
    this.withBaselineCoefficients(theta, readable);
    // The intercepts of this draw (withBaselineCoefficients leaves geo models' coordinates without a sweep).
    this.forward(theta, new Float64Array(this.dim));
    return {
      intercepts: this.intercept.slice(0, G),
      time: readable.slice(this.layout.time, this.layout.time + nTime),
      controls: readable.slice(this.layout.gamma, this.layout.gamma + K),
    };
  }

  /** The theta index of the i-th column of the conditional baseline (conditional-baseline.ts): the level, time coefficients, controls. */
  private conditionalCoordinate(i: number): number {
    return i === 0 ? this.layout.level : this.baselineCoordinate(i - 1);
  }

  /** Writes z = L' (b - b_hat) of conditionalCoefficients into theta (the forward sweep at theta's other coordinates has run). */
  private setConditionalCoordinates(conditional: ConditionalBaseline, theta: Float64Array): void {
    const z = conditional.coordinates(this.conditionalCoefficients, this.conditionalZ);
    for (let i = 0; i < z.length; i++) theta[this.conditionalCoordinate(i)] = z[i];
  }

  /** The theta index of the i-th shifted baseline coefficient: time coefficients, then the controls' (national value or geo mean). */
  private baselineCoordinate(i: number): number {
    const { nTime } = this.data;
    return i < nTime ? this.layout.time + i : this.layout.gamma + i - nTime;
  }

  /**
   * Sets theta's level coordinates so that the intercepts are `intercepts` at theta's other coordinates: level_g =
   * tau_g + sum_c beta[g,c] hbar[g,c] (the inverse of the shift in the forward sweep), or in national models under
   * the normal likelihood z = L' (b - b_hat) with b's intercept replaced.
   */
  setIntercepts(theta: Float64Array, intercepts: ArrayLike<number>): void {
    const { G } = this.data;
    const { level } = this.layout;
    if (this.conditional) {
      this.forward(theta, new Float64Array(this.dim));
      this.conditionalCoefficients[0] = intercepts[0];
      this.setConditionalCoordinates(this.conditional, theta);
      return;
    }
    for (let g = 0; g < G; g++) theta[level + g] = 0;
    this.forward(theta, new Float64Array(this.dim));
    // At level_g = 0 the forward sweep's intercept is -sum_c beta[g,c] hbar[g,c] (0 in national models).
    for (let g = 0; g < G; g++) theta[level + g] = intercepts[g] - this.intercept[g];
  }

  /** Priors (with log-Jacobians, gradients written into grad) and mu. Returns the log prior. */
  private forward(theta: Float64Array, grad: Float64Array): number {
    const { data, layout, term } = this;
    const { G, T, C, K, nTime } = data;
    const priors = data.model.priors;
    let lp = 0;

    // Baseline without the intercepts, which need the media (below): time basis (trend + seasonality) at the
    // time coordinates, which national Student-t models shift by the media's projection once the media are known,
    // controls. National normal models add their whole baseline after the media, sigma and phi (conditionalBaseline).
    // Pooled geo trends: geo g's trend contrasts ~ Normal(coef_m, s), s ~ HalfNormal, centred or non-centred
    // (data.pooling.trend); geoTrendCoef holds each geo's deviation from coef_m.
    const { nTrend } = data;
    const pooledTrend = layout.trendSpread >= 0;
    const pooled = this.pooled;
    if (pooledTrend) {
      halfNormalPrior(theta[layout.trendSpread], priors.trendSpread.scale, term);
      lp += term.logDensity;
      grad[layout.trendSpread] += term.grad;
      const spread = term.value;
      for (let g = 0; g < G; g++) {
        for (let m = 0; m < nTrend; m++) {
          const i = g * nTrend + m;
          this.trendPooling.evaluate(theta[layout.trendGeo + i], theta[layout.time + m], spread, pooled);
          lp += pooled.logDensity;
          grad[layout.trendGeo + i] += pooled.dLogDensityDx;
          grad[layout.time + m] += pooled.dLogDensityDMean;
          grad[layout.trendSpread] += pooled.dLogDensityDLogSpread;
          this.geoTrendCoef[i] = pooled.deviation;
        }
      }
    }
    for (let k = 0; k < K; k++) {
      if (layout.gammaGeo < 0) {
        for (let g = 0; g < G; g++) this.gammaEff[g * K + k] = theta[layout.gamma + k];
        continue;
      }
      // gamma[g,k] ~ Normal(gamma_k, xi_k), centred or non-centred (data.pooling.controls).
      halfNormalPrior(theta[layout.xi + k], priors.xi.scale, term);
      lp += term.logDensity;
      grad[layout.xi + k] += term.grad;
      const xi = term.value;
      for (let g = 0; g < G; g++) {
        const i = layout.gammaGeo + g * K + k;
        this.controlPooling[k].evaluate(theta[i], theta[layout.gamma + k], xi, pooled);
        lp += pooled.logDensity;
        grad[i] += pooled.dLogDensityDx;
        grad[layout.gamma + k] += pooled.dLogDensityDMean;
        grad[layout.xi + k] += pooled.dLogDensityDLogSpread;
        this.gammaEff[g * K + k] = theta[layout.gamma + k] + pooled.deviation;
      }
    }
    const { timeBasis, controls } = data;
    const conditional = this.conditional;
    // The conditional baseline is added once the media, sigma and phi it is conditioned on are known (below).
    if (conditional) {
      this.baseline.fill(0);
      this.mu.fill(0);
    }
    for (let t = 0; t < (conditional ? 0 : T); t++) {
      let time = 0;
      for (let j = 0; j < nTime; j++) time += timeBasis[t * nTime + j] * theta[layout.time + j];
      for (let g = 0; g < G; g++) {
        let value = time;
        if (pooledTrend) for (let m = 0; m < nTrend; m++) value += timeBasis[t * nTime + m] * this.geoTrendCoef[g * nTrend + m];
        const row = (g * T + t) * K;
        for (let k = 0; k < K; k++) value += this.gammaEff[g * K + k] * controls[row + k];
        this.baseline[g * T + t] = value;
        this.mu[g * T + t] = value;
      }
    }

    // Media: adstock -> saturation -> coefficient.
    const s = this.channelScalars;
    const { media, outcomeScale, roiSpend } = data;
    const learnedSlope = layout.slope >= 0;
    for (let c = 0; c < C; c++) {
      const channel = data.channels[c];
      const curve = this.curves[c];
      curve.decayPrior.term(theta[layout.adstock + c], term);
      lp += term.logDensity;
      grad[layout.adstock + c] += term.grad;
      s.decay[c] = term.value;
      s.dDecay[c] = term.dValue;
      curve.shapePrior.term(theta[layout.shape + c], term);
      lp += term.logDensity;
      grad[layout.shape + c] += term.grad;
      s.shape[c] = term.value;
      s.dShapeValue[c] = term.dValue;
      if (learnedSlope) {
        curve.slopePrior.term(theta[layout.slope + c], term);
        lp += term.logDensity;
        grad[layout.slope + c] += term.grad;
      }
      s.slope[c] = learnedSlope && curve.hasSlope ? term.value : 1;
      s.dSlopeValue[c] = learnedSlope && curve.hasSlope ? term.dValue : 0;
      const prior = channel.prior;
      if (prior.type === 'roi') {
        logNormalPrior(theta[layout.mediaEffect + c], prior.mu, prior.sigma, term);
        lp += term.logDensity;
        grad[layout.mediaEffect + c] += term.grad;
      }
      s.effect[c] = Math.exp(theta[layout.mediaEffect + c]);
      if (layout.eta >= 0) {
        halfNormalPrior(theta[layout.eta + c], priors.eta.scale, term);
        lp += term.logDensity;
        grad[layout.eta + c] += term.grad;
        s.eta[c] = term.value;
        s.dEta[c] = term.dValue;
      }

      const w = this.weights.subarray(c * this.lags, (c + 1) * this.lags);
      const dw = this.dWeights.subarray(c * this.lags, (c + 1) * this.lags);
      const { adstock, saturation } = curve;
      adstock.prepare(s.decay[c], w, dw);
      let denominator = 0;
      for (let g = 0; g < G; g++) {
        const base = (c * G + g) * T;
        adstock.series(media, base, T, s.decay[c], w, this.adstocked, base);
        saturation.series(this.adstocked, base, T, s.shape[c], s.slope[c], this.saturated, this.dInput, this.dShape, this.dSlope);
        let mass = 0;
        for (let t = channel.roiStart; t < channel.roiEnd; t++) mass += outcomeScale[g * T + t] * this.saturated[base + t];
        this.roiMass[g * C + c] = mass;
        let spread = 1;
        if (layout.mediaEps >= 0) {
          const eps = theta[layout.mediaEps + g * C + c];
          lp += -0.5 * eps * eps;
          grad[layout.mediaEps + g * C + c] -= eps;
          spread = Math.exp(s.eta[c] * eps);
        }
        this.geoSpread[g * C + c] = spread;
        denominator += mass * spread;
      }
      s.roiDenominator[c] = denominator;
      // beta[g,c] = B_c spread_gc, B_c = roi_c spend_c / sum_g' mass_g'c spread_g'c.
      const scale = (s.effect[c] * roiSpend[c]) / denominator;
      s.coefficientPriorGrad[c] = 0;
      if (prior.type === 'coefficient') {
        halfNormalPrior(Math.log(scale), prior.scale, term);
        lp += term.logDensity;
        s.coefficientPriorGrad[c] = term.grad;
      }
      for (let g = 0; g < G; g++) {
        const beta = scale * this.geoSpread[g * C + c];
        this.beta[g * C + c] = beta;
        const base = (c * G + g) * T;
        for (let t = 0; t < T; t++) this.mu[g * T + t] += beta * this.saturated[base + t];
      }
    }

    lp += this.interactions.prior(theta, grad, term);
    this.interactions.addToMean(this.saturated, this.mu);
    if (!conditional) lp += this.baselineCoefficients(theta);

    // Intercepts: tau_g = level_g - sum_c beta[g,c] hbar[g,c] - the synergies' mean, hbar the training-window mean of h.
    for (let g = 0; g < (conditional ? 0 : G); g++) {
      normalPrior(theta[layout.level + g] - this.mediaLevel(g), 0, priors.baseline.scale, term);
      lp += term.logDensity;
      this.interceptPriorGrad[g] = term.grad;
      const tau = term.value;
      this.intercept[g] = tau;
      for (let t = 0; t < T; t++) {
        this.baseline[g * T + t] += tau;
        this.mu[g * T + t] += tau;
      }
    }

    for (let i = 0; i < layout.nSigma; i++) {
      halfNormalPrior(theta[layout.sigma + i], priors.sigma.scale, term);
      lp += term.logDensity;
      grad[layout.sigma + i] += term.grad;
      this.sigma[i] = term.value;
    }
    if (layout.residualCorrelation >= 0) {
      const v = theta[layout.residualCorrelation];
      residualCorrelationPrior.term(v, term);
      lp += term.logDensity;
      grad[layout.residualCorrelation] += term.grad;
      this.phi = term.value;
      this.oneMinusPhiSq = oneMinusPhiSquared(v);
    }
    if (conditional) lp += this.conditionalBaseline(conditional, theta, grad);
    return lp;
  }

  /** sum_c beta[g,c] hbar[g,c] + the synergies' mean: the media's mean contribution over geo g's training window. */
  private mediaLevel(g: number): number {
    const { C, T, tFit } = this.data;
    let level = this.interactions.levelShift[g];
    for (let c = 0; c < C; c++) {
      const base = (c * this.data.G + g) * T;
      let sum = 0;
      for (let t = 0; t < tFit; t++) sum += this.saturated[base + t];
      level += (this.beta[g * C + c] * sum) / tFit;
    }
    return level;
  }

  /**
   * National models under the normal likelihood (conditional-baseline.ts): conditions the baseline on the media
   * (mu holds m), sigma and phi; mu gains X b_hat, at which the likelihood and its gradient are evaluated (the
   * envelope theorem), and the baseline X b with b = b_hat + L^-T z, the coefficients of this draw. Returns the
   * baseline's part of the log density, log prior(b_hat) - (1/2) log det P - z'z / 2, with its gradients.
   */
  private conditionalBaseline(conditional: ConditionalBaseline, theta: Float64Array, grad: Float64Array): number {
    const { data, layout } = this;
    const { T, tFit, y } = data;
    const residual = this.conditionalResidual;
    for (let t = 0; t < tFit; t++) residual[t] = y[t] - this.mu[t];
    conditional.condition(residual, this.phi, this.sigma[0]);
    const z = this.conditionalZ;
    let lp = conditional.priorLogDensity(conditional.mean) - 0.5 * conditional.logDetPrecision;
    for (let i = 0; i < z.length; i++) {
      const coordinate = this.conditionalCoordinate(i);
      z[i] = theta[coordinate];
      lp -= 0.5 * z[i] * z[i];
      grad[coordinate] -= z[i];
    }
    grad[layout.sigma] -= 0.5 * conditional.dLogDetDLogSigma;
    // dphi/dv = (1 - phi^2) / 2 for phi = tanh(v / 2).
    if (layout.residualCorrelation >= 0) grad[layout.residualCorrelation] -= 0.25 * this.oneMinusPhiSq * conditional.dLogDetDPhi;
    const b = conditional.coefficients(z, this.conditionalCoefficients);
    // The likelihood at b_hat; the draw's own coefficients only in the baseline the analysis reads.
    const atMean = conditional.fitted(conditional.mean, this.conditionalFitted);
    for (let t = 0; t < T; t++) this.mu[t] += atMean[t];
    conditional.fitted(b, this.baseline);
    this.intercept[0] = b[0];
    return lp;
  }

  /**
   * The priors of the time and control coefficients at coefficient = coordinate - P m (national Student-t models;
   * the coordinates themselves in geo models), with mu and the baseline moved from the coordinates' effect to the
   * coefficients'. Runs after the media and synergies are in mu and before the intercepts, so mu - baseline is m.
   */
  private baselineCoefficients(theta: Float64Array): number {
    const { data, term, baselineShift: shift } = this;
    const { T, K, tFit, nTime, timeBasis, controls, baselineProjection: projection } = data;
    const n = nTime + K;
    shift.fill(0);
    if (projection.length > 0) {
      for (let i = 0; i < n; i++) {
        let value = 0;
        for (let t = 0; t < tFit; t++) value += projection[i * tFit + t] * (this.mu[t] - this.baseline[t]);
        shift[i] = value;
      }
      for (let k = 0; k < K; k++) this.gammaEff[k] -= shift[nTime + k];
      for (let t = 0; t < T; t++) {
        let moved = 0;
        for (let j = 0; j < nTime; j++) moved += timeBasis[t * nTime + j] * shift[j];
        for (let k = 0; k < K; k++) moved += controls[t * K + k] * shift[nTime + k];
        this.baseline[t] -= moved;
        this.mu[t] -= moved;
      }
    }
    let lp = 0;
    for (let i = 0; i < n; i++) {
      const scale = i < nTime ? data.timePriorScale[i] : data.model.priors.baseline.scale;
      normalPrior(theta[this.baselineCoordinate(i)] - shift[i], 0, scale, term);
      lp += term.logDensity;
      this.baselineAdjoint[i] = term.grad;
    }
    return lp;
  }

  /**
   * Normal or Student-t log likelihood over the training window, independent weeks or AR(1) residuals per geo
   * (residual-ar1.ts); leaves dL/dmu in residualAdjoint.
   */
  private likelihood(theta: Float64Array, grad: Float64Array): number {
    const { G, T, tFit, y } = this.data;
    const { layout } = this;
    const studentT = this.data.model.likelihood === 'student_t';
    const nu = this.data.model.studentTDof;
    let ll = 0;
    this.residualAdjoint.fill(0);
    for (let g = 0; g < G; g++) {
      const si = layout.nSigma === 1 ? 0 : g;
      const sigma = this.sigma[si];
      if (layout.residualCorrelation >= 0) {
        const { phi, oneMinusPhiSq, ar1 } = this;
        ar1LogLikelihood(y, this.mu, g * T, tFit, phi, oneMinusPhiSq, sigma, this.residualAdjoint, ar1);
        ll += ar1.logLikelihood;
        grad[layout.sigma + si] += ar1.dLogSigma;
        // dphi/dv = (1 - phi^2) / 2 for phi = tanh(v / 2).
        grad[layout.residualCorrelation] += 0.5 * oneMinusPhiSq * ar1.dPhi;
        continue;
      }
      const variance = sigma * sigma;
      let sigmaGrad = 0;
      for (let t = 0; t < tFit; t++) {
        const i = g * T + t;
        const r = y[i] - this.mu[i];
        if (studentT) {
          // log t_nu(r; 0, sigma) = -(nu + 1)/2 log(1 + r^2 / (nu sigma^2)) - log sigma
          const denom = nu * variance + r * r;
          ll += -0.5 * (nu + 1) * Math.log1p((r * r) / (nu * variance));
          this.residualAdjoint[i] = ((nu + 1) * r) / denom;
          sigmaGrad += ((nu + 1) * r * r) / denom - 1;
        } else {
          // log N(r; 0, sigma) = -r^2 / (2 sigma^2) - log sigma
          ll += (-0.5 * r * r) / variance;
          this.residualAdjoint[i] = r / variance;
          sigmaGrad += (r * r) / variance - 1;
        }
      }
      ll -= tFit * Math.log(sigma);
      grad[layout.sigma + si] += sigmaGrad;
    }
    return ll;
  }

  /**
   * The reverse sweep of the level, time and control coordinates when they are the coefficients (geo models) or
   * the coefficients shifted by the media's projection (national models under the Student-t likelihood); writes
   * dL/dmu as the media see it into em.
   */
  private baselineReverse(theta: Float64Array, grad: Float64Array, em: Float64Array): void {
    const { data, layout } = this;
    const { G, T, K, tFit, nTime, timeBasis, controls } = data;
    const e = this.residualAdjoint;
    const timeAdjoint = this.timeAdjoint;
    timeAdjoint.fill(0);
    for (let g = 0; g < G; g++) {
      let tauGrad = this.interceptPriorGrad[g];
      for (let t = 0; t < tFit; t++) {
        const adj = e[g * T + t];
        timeAdjoint[t] += adj;
        tauGrad += adj;
      }
      grad[layout.level + g] += tauGrad;
      this.interceptAdjoint[g] = tauGrad;
      for (let k = 0; k < K; k++) {
        let gk = 0;
        for (let t = 0; t < tFit; t++) gk += e[g * T + t] * controls[(g * T + t) * K + k];
        this.baselineAdjoint[nTime + k] += gk;
        if (layout.gammaGeo < 0) continue;
        // gamma[g,k] = gamma_k + deviation(coordinate, gamma_k, xi_k).
        const i = layout.gammaGeo + g * K + k;
        this.controlPooling[k].evaluate(theta[i], theta[layout.gamma + k], Math.exp(theta[layout.xi + k]), this.pooled);
        grad[i] += gk * this.pooled.dDeviationDx;
        grad[layout.gamma + k] += gk * this.pooled.dDeviationDMean;
        grad[layout.xi + k] += gk * this.pooled.dDeviationDLogSpread;
      }
    }
    // dL/dcoefficient = prior + sum_t column[t] e[t] (the controls' part summed above); coefficient = coordinate -
    // (P m)_i, so it is also dL/dcoordinate, and m sees -P' of it.
    const adjoint = this.baselineAdjoint;
    for (let t = 0; t < tFit; t++) {
      const adj = timeAdjoint[t];
      for (let j = 0; j < nTime; j++) adjoint[j] += timeBasis[t * nTime + j] * adj;
    }
    for (let i = 0; i < nTime + K; i++) grad[this.baselineCoordinate(i)] += adjoint[i];
    // dL/dmu as the media see it: dtau_g/dlevel_g = 1 and dtau_g/dh[g,t,c] = -beta[g,c] / tFit, so e[g,t] - dlogp/dtau_g / tFit,
    // and in national models d(coefficient)/dm[t] = -P[., t].
    const projection = data.baselineProjection;
    for (let g = 0; g < G; g++) {
      for (let t = 0; t < tFit; t++) em[g * T + t] = e[g * T + t] - this.interceptAdjoint[g] / tFit;
    }
    if (projection.length > 0) {
      for (let t = 0; t < tFit; t++) {
        let shifted = 0;
        for (let i = 0; i < nTime + K; i++) shifted += projection[i * tFit + t] * adjoint[i];
        em[t] -= shifted;
      }
    }
  }

  /** Reverse sweep from dL/dmu to every coordinate of theta. */
  private reverse(theta: Float64Array, grad: Float64Array): void {
    const { data, layout } = this;
    const { G, T, C, K, tFit, nTime, timeBasis, controls, media, outcomeScale } = data;
    const e = this.residualAdjoint;

    const em = this.mediaAdjoint;
    if (this.conditional) {
      // The baseline's coordinates are z, whose gradient the forward sweep wrote; the media see dL/dmu at b_hat.
      em.set(e);
    } else {
      this.baselineReverse(theta, grad, em);
    }
    if (layout.trendSpread >= 0) {
      // mu[g,t] gains timeBasis[t,m] deviation(coordinate, coef_m, s) per geo trend contrast.
      const { nTrend } = data;
      const spread = Math.exp(theta[layout.trendSpread]);
      for (let g = 0; g < G; g++) {
        for (let m = 0; m < nTrend; m++) {
          let basisAdj = 0;
          for (let t = 0; t < tFit; t++) basisAdj += timeBasis[t * nTime + m] * e[g * T + t];
          const i = layout.trendGeo + g * nTrend + m;
          this.trendPooling.evaluate(theta[i], theta[layout.time + m], spread, this.pooled);
          grad[i] += basisAdj * this.pooled.dDeviationDx;
          grad[layout.time + m] += basisAdj * this.pooled.dDeviationDMean;
          grad[layout.trendSpread] += basisAdj * this.pooled.dDeviationDLogSpread;
        }
      }
    }

    this.interactions.coefficientAdjoint(em, this.saturated, grad);

    const s = this.channelScalars;
    const uBar = this.inputAdjoint;
    for (let c = 0; c < C; c++) {
      const channel = data.channels[c];
      // dL/dbeta[g,c] = sum_t em[g,t] h[g,t,c]; beta is proportional to roi, so dL/dlog(roi) = sum_g betaAdj beta,
      // plus a coefficient prior's d/dlog B (d log B / d log roi = 1).
      let effectGrad = s.coefficientPriorGrad[c];
      for (let g = 0; g < G; g++) {
        const base = (c * G + g) * T;
        let betaAdj = 0;
        for (let t = 0; t < tFit; t++) betaAdj += em[g * T + t] * this.saturated[base + t];
        betaAdj += this.experiments.betaAdjoint(g, c);
        this.betaAdjoint[g] = betaAdj;
        effectGrad += betaAdj * this.beta[g * C + c];
      }
      // beta = roi spend spread / D with D = sum_g mass spread: d/dD = -(d/dlog B) / D.
      const denominatorAdjoint = -effectGrad / s.roiDenominator[c];
      grad[layout.mediaEffect + c] += effectGrad;

      let decayGrad = 0;
      let shapeGrad = 0;
      let slopeGrad = 0;
      const { adstock, hasSlope } = this.curves[c];
      const learnedSlope = layout.slope >= 0 && hasSlope;
      const w = this.weights.subarray(c * this.lags, (c + 1) * this.lags);
      const dw = this.dWeights.subarray(c * this.lags, (c + 1) * this.lags);
      for (let g = 0; g < G; g++) {
        const base = (c * G + g) * T;
        const beta = this.beta[g * C + c];
        const spread = this.geoSpread[g * C + c];
        // dL/dspread = betaAdj * beta / spread + denominatorAdjoint * mass
        let spreadGrad = this.betaAdjoint[g] * (beta / spread);
        spreadGrad += denominatorAdjoint * this.roiMass[g * C + c];
        if (layout.mediaEps >= 0) {
          const eps = theta[layout.mediaEps + g * C + c];
          grad[layout.mediaEps + g * C + c] += spreadGrad * spread * s.eta[c];
          grad[layout.eta + c] += spreadGrad * spread * eps * s.dEta[c];
        }
        // hBar_t = em_t beta + massAdj outcomeScale_t inside the ROI window: first the hBar buffer, then the chain rule.
        const hBar = uBar;
        const eOffset = g * T;
        for (let t = 0; t < tFit; t++) hBar[t] = em[eOffset + t] * beta;
        for (let t = tFit; t < T; t++) hBar[t] = 0;
        const massAdj = denominatorAdjoint * spread;
        for (let t = channel.roiStart; t < channel.roiEnd; t++) hBar[t] += massAdj * outcomeScale[eOffset + t];
        this.interactions.addCurveAdjoint(c, g, em, this.saturated, hBar);
        this.experiments.addCurveAdjoint(c, g, beta, hBar);
        const dInput = this.dInput;
        const dShape = this.dShape;
        const dSlope = this.dSlope;
        for (let t = 0; t < T; t++) {
          const bar = hBar[t];
          shapeGrad += bar * dShape[base + t];
          if (learnedSlope) slopeGrad += bar * dSlope[base + t];
          uBar[t] = bar * dInput[base + t];
        }
        if (this.lags === 1) continue;
        decayGrad += adstock.decayAdjoint(media, base, uBar, 0, T, s.decay[c], w, dw);
      }
      grad[layout.adstock + c] += decayGrad * s.dDecay[c];
      grad[layout.shape + c] += shapeGrad * s.dShapeValue[c];
      if (layout.slope >= 0) grad[layout.slope + c] += slopeGrad * s.dSlopeValue[c];
    }
  }
}
