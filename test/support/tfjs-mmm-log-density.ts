/**
 * An independent implementation of the MMM log posterior in tfjs ops, used only as the autodiff
 * reference (tf.grad) that the hand-written Float64Array gradient is checked against. It is written
 * from the model equations in DESIGN.md section 3, not from the kernel, so a shared mistake is unlikely.
 */
import type * as Tf from '@tensorflow/tfjs';
import type { AdstockKind, ModelConfig, SaturationKind } from '../../src/config/schema.ts';
import type { ModelData } from '../../src/model/model-data.ts';
import type { ParameterLayout } from '../../src/model/parameters.ts';
import type { PoolingKind } from '../../src/model/pooling/index.ts';
import type { Tensorflow } from './tensorflow.ts';

type Scalar = Tf.Scalar;
type Tensor = Tf.Tensor;

const slice1 = (theta: Tensor, offset: number, size: number): Tf.Tensor1D => theta.slice([offset], [size]) as Tf.Tensor1D;
const sumAll = (x: Tensor): Scalar => x.sum() as Scalar;

/** log N(x; mu, sd) up to a constant. */
export const normalLogPdf = (x: Tensor, mu: number, sd: number): Scalar => sumAll(x.sub(mu).div(sd).square().mul(-0.5));

/** x = exp(v) ~ HalfNormal(scale), with log|dx/dv| = v. */
const halfNormalOnLog = (v: Tensor, scale: number): Scalar => sumAll(v.exp().div(scale).square().mul(-0.5).add(v));

/** x = lo + (hi - lo) sigmoid(v) ~ TruncNormal(mu, sd) (or uniform), with log|dx/dv| = log p + log(1 - p). */
export function boundedOnLogit(
  tf: Tensorflow,
  v: Tensor,
  lo: number,
  hi: number,
  mu: number,
  sd: number,
): { value: Tensor; logDensity: Scalar } {
  const p = tf.sigmoid(v);
  const value = p.mul(hi - lo).add(lo);
  // log p + log(1 - p) = -softplus(-v) - softplus(v)
  const jacobian = tf.softplus(v.neg()).add(tf.softplus(v)).neg();
  const density = Number.isFinite(sd) ? value.sub(mu).div(sd).square().mul(-0.5) : tf.zerosLike(value);
  return { value, logDensity: sumAll(density.add(jacobian)) };
}

/** Raw lag weights w_l at lags l = 0..L-1 (normalised by the caller), from the decay a. */
export type ReferenceAdstock = (tf: Tensorflow, decay: Tensor, lagIndex: Tensor, L: number) => Tensor;

/** The adstock weights of the reference, written from their formulas (DESIGN.md section 3). */
export const referenceAdstocks: Partial<Record<AdstockKind, ReferenceAdstock>> = {
  geometric: (tf, decay, lagIndex) => tf.pow(decay, lagIndex),
  binomial: (tf, decay, lagIndex, L) => tf.pow(tf.scalar(1).sub(lagIndex.div(L)), tf.scalar(1).div(decay).sub(1)),
};

/** One channel's saturation as the reference sees it: the adstocked media and the theta coordinates of its parameters. */
export interface ReferenceSaturationInput {
  /** Adstocked media, G x T. */
  u: Tensor;
  /** Where the adstock window holds media (u > 0); data, so it carries no gradient. */
  positive: Tensor;
  /** The shape coordinate, [1]. */
  shapeRaw: Tf.Tensor1D;
  /** The slope coordinate, [1], when the layout has a slope block. */
  slopeRaw: Tf.Tensor1D | null;
  priors: ModelConfig['priors'];
}

/** h(u), G x T, and the log prior terms (with Jacobians) of the channel's shape and slope coordinates. */
export type ReferenceSaturation = (tf: Tensorflow, input: ReferenceSaturationInput) => { h: Tensor; terms: Scalar[] };

/** The saturation curves of the reference, written from their formulas (DESIGN.md section 3). */
export const referenceSaturations: Partial<Record<SaturationKind, ReferenceSaturation>> = {
  hill(tf, { u, positive, shapeRaw, slopeRaw, priors }) {
    const ec = boundedOnLogit(tf, shapeRaw, priors.ec.lower, priors.ec.upper, priors.ec.mean, priors.ec.sd);
    const terms = [ec.logDensity];
    let slope: Tensor = tf.scalar(1);
    if (slopeRaw) {
      terms.push(normalLogPdf(slopeRaw, priors.slope.mu, priors.slope.sigma));
      slope = slopeRaw.exp();
    }
    const safeU = tf.where(positive, u, tf.onesLike(u));
    const q = tf.exp(slope.mul(safeU.log().sub(ec.value.log())));
    return { h: tf.where(positive, q.div(q.add(1)), tf.zerosLike(u)), terms };
  },
  logistic(tf, { u, shapeRaw, slopeRaw, priors }) {
    const lam = shapeRaw.exp();
    const terms = [sumAll(shapeRaw.mul(priors.lam.shape).sub(lam.mul(priors.lam.rate)))];
    if (slopeRaw) terms.push(normalLogPdf(slopeRaw, 0, 1));
    return { h: tf.tanh(u.mul(lam).div(2)), terms };
  },
};

/** (M + diag(penalty))^-1 of a symmetric p x p matrix M (array of rows), by Gauss-Jordan elimination. */
function inverse(m: number[][], penalty: number[]): number[][] {
  const p = m.length;
  const a = m.map((row, i) => [
    ...row.map((v, j) => v + (i === j ? penalty[i] : 0)),
    ...Array.from({ length: p }, (_, j) => (i === j ? 1 : 0)),
  ]);
  for (let i = 0; i < p; i++) {
    const pivot = a[i][i];
    for (let j = 0; j < 2 * p; j++) a[i][j] /= pivot;
    for (let r = 0; r < p; r++) {
      if (r === i) continue;
      const factor = a[r][i];
      for (let j = 0; j < 2 * p; j++) a[r][j] -= factor * a[i][j];
    }
  }
  return a.map((row) => row.slice(p));
}

/**
 * National models: the coefficients' rows of (D'D + s^2 L)^-1 D' for D = [1, time basis, controls] over the
 * training window ((nTime + K) x tFit), L the coefficients' prior precision (0 for the constant) and s^2 the
 * residual variance of y's least-squares fit on D; by Gauss-Jordan elimination (the kernel's model data use a
 * Cholesky factorisation).
 */
function baselineProjection(data: ModelData): Float64Array {
  const { tFit, nTime, K, timeBasis, controls, y } = data;
  const p = 1 + nTime + K;
  const column = (j: number, t: number): number =>
    j === 0 ? 1 : j <= nTime ? timeBasis[t * nTime + j - 1] : controls[t * K + j - 1 - nTime];
  const gram = Array.from({ length: p }, (_, i) =>
    Array.from({ length: p }, (_, j) => {
      let v = 0;
      for (let t = 0; t < tFit; t++) v += column(i, t) * column(j, t);
      return v;
    }),
  );
  const hat = (penalty: number[]) => {
    const inv = inverse(gram, penalty);
    return Array.from({ length: p }, (_, i) => Array.from({ length: tFit }, (_, t) => inv[i].reduce((v, a, j) => v + a * column(j, t), 0)));
  };
  const ols = hat(new Array<number>(p).fill(0));
  let squares = 0;
  for (let t = 0; t < tFit; t++) {
    let fitted = 0;
    for (let j = 0; j < p; j++) fitted += column(j, t) * ols[j].reduce((v, a, r) => v + a * y[r], 0);
    squares += (y[t] - fitted) ** 2;
  }
  const noiseVariance = tFit > p ? squares / (tFit - p) : 1;
  const scale = (j: number) => (j <= nTime ? data.timePriorScale[j - 1] : data.model.priors.baseline.scale);
  const ridge = hat(Array.from({ length: p }, (_, j) => (j === 0 ? 0 : noiseVariance / scale(j) ** 2)));
  return Float64Array.from(ridge.slice(1).flat());
}

/** The log posterior at theta; `saturations` supplies the curves (a new family's test adds its own). */
/**
 * Per-geo values theta[g,j] ~ Normal(mean_j, spread_j) in the form kinds[j] names: returns theta - mean ([G, n])
 * and pushes the prior of the coordinates. Centred: the coordinate is theta; non-centred: it is (theta - mean) / spread.
 */
function pooledDeviation(tf: Tensorflow, coordinates: Tensor, mean: Tensor, spread: Tensor, kinds: PoolingKind[], terms: Scalar[]): Tensor {
  const centred = tf.tensor2d(
    Float32Array.from(kinds, (kind) => (kind === 'centred' ? 1 : 0)),
    [1, kinds.length],
  );
  const nonCentred = tf.onesLike(centred).sub(centred);
  const z = coordinates.sub(mean).div(spread);
  terms.push(sumAll(centred.mul(z.square().mul(-0.5).sub(spread.log()))));
  terms.push(sumAll(nonCentred.mul(coordinates.square().mul(-0.5))));
  return centred.mul(coordinates.sub(mean)).add(nonCentred.mul(coordinates.mul(spread)));
}

export function tfjsLogDensity(
  tf: Tensorflow,
  data: ModelData,
  layout: ParameterLayout,
  theta: Tensor,
  saturations: Partial<Record<SaturationKind, ReferenceSaturation>> = referenceSaturations,
): Scalar {
  const { G, T, C, K, tFit, nTime } = data;
  const priors = data.model.priors;
  const terms: Scalar[] = [];

  // Baseline; the intercepts follow the media, whose mean contribution they are shifted by, and so do the time
  // coefficients of national models (below, once the media are known).
  let mu: Tensor = tf.zeros([G, T]);
  if (layout.trendSpread >= 0) {
    const { nTrend } = data;
    const spreadRaw = slice1(theta, layout.trendSpread, 1);
    terms.push(halfNormalOnLog(spreadRaw, priors.trendSpread.scale));
    const coordinates = slice1(theta, layout.trendGeo, G * nTrend).reshape([G, nTrend]);
    const mean = slice1(theta, layout.time, nTrend).reshape([1, nTrend]);
    const kinds = new Array<PoolingKind>(nTrend).fill(data.pooling.trend);
    const deviation = pooledDeviation(tf, coordinates, mean, spreadRaw.exp().tile([nTrend]).reshape([1, nTrend]), kinds, terms);
    const trendBasis = Float32Array.from({ length: nTrend * T }, (_, i) => data.timeBasis[(i % T) * nTime + Math.floor(i / T)]);
    mu = mu.add(tf.matMul(deviation, tf.tensor2d(trendBasis, [nTrend, T])));
  }
  // Media.
  let mediaMu: Tensor = tf.zeros([G, T]);
  const L = data.model.maxLag + 1;
  const lagIndex = tf.range(0, L, 1, 'float32');
  let mediaLevel: Tensor = tf.zeros([G]);
  const saturated: Tensor[] = [];
  for (let c = 0; c < C; c++) {
    const channel = data.channels[c];
    const decay = boundedOnLogit(tf, slice1(theta, layout.adstock + c, 1), 0, 1, 0, Infinity);
    terms.push(decay.logDensity);
    const adstock = referenceAdstocks[channel.adstock];
    if (!adstock) throw new Error(`the tfjs reference has no adstock '${channel.adstock}'`);
    const raw = adstock(tf, decay.value, lagIndex, L);
    const weights = raw.div(raw.sum());
    const saturation = saturations[channel.saturation];
    if (!saturation) throw new Error(`the tfjs reference has no saturation '${channel.saturation}': pass it in saturations`);
    /** h of a media series x[g, t] of this channel (G x T), with the channel's curve terms. */
    const saturate = (x: (g: number, t: number) => number) => {
      // Shifted copies of the media series: xs[l, g, t] = x[g, t - l] (0 before the start).
      const shifted = new Float32Array(L * G * T);
      for (let l = 0; l < L; l++) for (let g = 0; g < G; g++) for (let t = l; t < T; t++) shifted[(l * G + g) * T + t] = x(g, t - l);
      const u = tf
        .tensor3d(shifted, [L, G, T])
        .mul(weights.reshape([L, 1, 1]))
        .sum(0);
      // Where the window holds no media, u = 0 and h = 0; the mask is data, so it carries no gradient.
      const hasMedia = new Float32Array(G * T);
      for (let l = 0; l < L; l++) for (let i = 0; i < G * T; i++) if (shifted[l * G * T + i] > 0) hasMedia[i] = 1;
      const positive = tf.tensor2d(hasMedia, [G, T]).cast('bool');
      return saturation(tf, {
        u,
        positive,
        priors,
        shapeRaw: slice1(theta, layout.shape + c, 1),
        slopeRaw: layout.slope >= 0 ? slice1(theta, layout.slope + c, 1) : null,
      });
    };
    const curve = saturate((g, t) => data.media[(c * G + g) * T + t]);
    terms.push(...curve.terms);
    const { h } = curve;
    saturated.push(h);
    let spread: Tensor = tf.ones([G]);
    if (layout.eta >= 0) {
      const etaRaw = slice1(theta, layout.eta + c, 1);
      terms.push(halfNormalOnLog(etaRaw, priors.eta.scale));
      const epsAll = slice1(theta, layout.mediaEps, G * C).reshape([G, C]);
      const eps = epsAll.slice([0, c], [G, 1]).reshape([G]);
      terms.push(normalLogPdf(eps, 0, 1));
      spread = eps.mul(etaRaw.exp()).exp();
    }
    // The media coordinate is log roi under either prior; B = roi spend / D, a coefficient prior evaluated at log B.
    const effectRaw = slice1(theta, layout.mediaEffect + c, 1);
    const windowMask = new Float32Array(G * T);
    for (let g = 0; g < G; g++)
      for (let t = channel.roiStart; t < channel.roiEnd; t++) windowMask[g * T + t] = data.outcomeScale[g * T + t];
    const mass = h.mul(tf.tensor2d(windowMask, [G, T])).sum(1);
    const denominator = mass.mul(spread).sum();
    const coefficient = effectRaw.exp().mul(data.roiSpend[c]).div(denominator);
    if (channel.prior.type === 'roi') terms.push(normalLogPdf(effectRaw, channel.prior.mu, channel.prior.sigma));
    else terms.push(halfNormalOnLog(coefficient.log(), channel.prior.scale));
    const beta: Tensor = coefficient.mul(spread);
    mediaMu = mediaMu.add(h.mul(beta.reshape([G, 1])));
    // Lift tests on this channel: the implied incremental outcome against the counterfactual media (the window's
    // media times the counterfactual ratio) over the test's geos and outcome weeks, Normal around the estimate.
    for (const e of data.experiments.filter((experiment) => experiment.channel === c)) {
      const counterfactual = saturate((g, t) => data.media[(c * G + g) * T + t] * (t >= e.start && t < e.end ? e.counterfactualRatio : 1));
      const weeks = new Float32Array(G * T);
      for (const g of e.geos) for (let t = e.start; t < e.outcomeEnd; t++) weeks[g * T + t] = data.outcomeScale[g * T + t];
      const implied = sumAll(
        h
          .sub(counterfactual.h)
          .mul(tf.tensor2d(weeks, [G, T]))
          .mul(beta.reshape([G, 1])),
      );
      terms.push(sumAll(implied.sub(e.estimate).div(e.standardError).square().mul(-0.5)));
    }
    mediaLevel = mediaLevel.add(h.slice([0, 0], [G, tFit]).mean(1).mul(beta));
  }

  // Synergies: mu += theta_p h_c h_d, theta_p ~ Normal(0, s), or exp(v) ~ HalfNormal(s) under a sign constraint.
  const { scale, sign } = priors.interaction;
  data.interactions.forEach(([c, d], p) => {
    const raw = slice1(theta, layout.interaction + p, 1);
    terms.push(sign === 'non_negative' ? halfNormalOnLog(raw, scale) : normalLogPdf(raw, 0, scale));
    const synergy = saturated[c].mul(saturated[d]).mul(sign === 'non_negative' ? raw.exp() : raw);
    mediaMu = mediaMu.add(synergy);
    mediaLevel = mediaLevel.add(synergy.slice([0, 0], [G, tFit]).mean(1));
  });

  mu = mu.add(mediaMu);

  // The noise: sigma per geo or shared, and phi under AR(1) residuals, phi = -1 + 2 logistic(v) ~ Uniform(-1, 1).
  const sigmaRaw = slice1(theta, layout.sigma, layout.nSigma);
  terms.push(halfNormalOnLog(sigmaRaw, priors.sigma.scale));
  const sigma = (layout.nSigma === 1 ? sigmaRaw.exp().tile([G]) : sigmaRaw.exp()).reshape([G, 1]);
  let phi: Tensor | null = null;
  if (layout.residualCorrelation >= 0) {
    const phiTerm = boundedOnLogit(tf, slice1(theta, layout.residualCorrelation, 1), -1, 1, 0, Infinity);
    terms.push(phiTerm.logDensity);
    phi = phiTerm.value.reshape([1, 1]);
  }
  const y = tf.tensor2d(Float32Array.from(data.y), [G, T]).slice([0, 0], [G, tFit]);

  if (G === 1 && data.model.likelihood === 'normal') {
    mu = mu.add(conditionalBaseline(tf, data, layout, theta, y.sub(mediaMu.slice([0, 0], [1, tFit])), sigma, phi, terms));
  } else {
    mu = mu.add(coefficientBaseline(tf, data, layout, theta, mediaMu, mediaLevel, terms));
  }

  // Likelihood over the training window.
  const r = y.sub(mu.slice([0, 0], [G, tFit]));
  if (phi !== null) {
    // AR(1) residuals as generalised least squares: r_g ~ Normal(0, Sigma), Sigma^-1 = P / sigma^2 with P tridiagonal,
    // diagonal (1, 1 + phi^2, ..., 1 + phi^2, 1) and -phi beside it; log det Sigma = 2 tFit log sigma - log(1 - phi^2).
    const inner = Float32Array.from({ length: tFit }, (_, t) => (t > 0 && t < tFit - 1 ? 1 : 0));
    const diagonal = tf.onesLike(phi).add(phi.square().mul(tf.tensor2d(inner, [1, tFit])));
    const lagProducts = r.slice([0, 1], [G, tFit - 1]).mul(r.slice([0, 0], [G, tFit - 1]));
    const quadratic = r
      .square()
      .mul(diagonal)
      .sum(1)
      .sub(lagProducts.sum(1).mul(phi.reshape([1]).mul(2)));
    terms.push(sumAll(quadratic.reshape([G, 1]).div(sigma.square()).mul(-0.5)));
    terms.push(
      sumAll(
        tf
          .scalar(1)
          .sub(phi.square())
          .log()
          .mul(0.5 * G),
      ),
    );
  } else if (data.model.likelihood === 'student_t') {
    const nu = data.model.studentTDof;
    terms.push(sumAll(tf.log1p(r.square().div(sigma.square().mul(nu))).mul(-0.5 * (nu + 1))));
  } else {
    terms.push(sumAll(r.square().div(sigma.square()).mul(-0.5)));
  }
  terms.push(sumAll(sigma.log().mul(-tFit)));
  return tf.addN(terms) as Scalar;
}

/**
 * The level, time and control terms of mu (G x T) when the coordinates are the coefficients (geo models) or, in
 * national models under the Student-t likelihood, the coefficients shifted by the media's projection; pushes
 * their priors onto terms.
 */
function coefficientBaseline(
  tf: Tensorflow,
  data: ModelData,
  layout: ParameterLayout,
  theta: Tensor,
  mediaMu: Tensor,
  mediaLevel: Tensor,
  terms: Scalar[],
): Tensor {
  const { G, T, K, tFit, nTime } = data;
  const priors = data.model.priors;
  let mu: Tensor = tf.zeros([G, T]);
  // Time and control coefficients: the coordinates in geo models; in national models the coordinates minus the
  // coefficients of the least-squares fit of m, the media's and synergies' contribution, on [1, time basis,
  // controls] over the training window.
  let shift: Tensor = tf.zeros([nTime + K]);
  if (G === 1 && nTime + K > 0) {
    const projection = tf.tensor2d(Float32Array.from(baselineProjection(data)), [nTime + K, tFit]);
    shift = tf.matMul(projection, mediaMu.slice([0, 0], [1, tFit]).reshape([tFit, 1])).reshape([nTime + K]);
  }
  if (nTime > 0) {
    const coef = slice1(theta, layout.time, nTime).sub(shift.slice([0], [nTime]));
    terms.push(
      sumAll(
        coef
          .div(tf.tensor1d(Float32Array.from(data.timePriorScale)))
          .square()
          .mul(-0.5),
      ),
    );
    mu = mu.add(tf.matMul(tf.tensor2d(Float32Array.from(data.timeBasis), [T, nTime]), coef.reshape([nTime, 1])).reshape([1, T]));
  }
  if (K > 0) {
    const gamma = slice1(theta, layout.gamma, K).sub(shift.slice([nTime], [K]));
    terms.push(normalLogPdf(gamma, 0, priors.baseline.scale));
    let gammaEff: Tensor = gamma.reshape([1, K]).tile([G, 1]);
    if (layout.xi >= 0) {
      const xiRaw = slice1(theta, layout.xi, K);
      terms.push(halfNormalOnLog(xiRaw, priors.xi.scale));
      const xi = xiRaw.exp().reshape([1, K]);
      const coordinates = slice1(theta, layout.gammaGeo, G * K).reshape([G, K]);
      gammaEff = gammaEff.add(pooledDeviation(tf, coordinates, gamma.reshape([1, K]), xi, data.pooling.controls, terms));
    }
    const z = tf.tensor3d(Float32Array.from(data.controls), [G, T, K]);
    mu = mu.add(z.mul(gammaEff.reshape([G, 1, K])).sum(2));
  }

  // The sampler's level coordinates are tau_g + sum_c beta[g,c] mean_{t < tFit} h[g,t,c] + the synergies' mean.
  const tau = slice1(theta, layout.level, G).sub(mediaLevel);
  terms.push(normalLogPdf(tau, 0, priors.baseline.scale));
  return mu.add(tau.reshape([G, 1]));
}

/**
 * National models under the normal likelihood: the baseline b = (intercept, time coefficients, controls) from
 * the coordinates z by b = b_hat + L^-T z, with P = L L' = X' Q X / sigma^2 + diag(1 / s^2) the precision and
 * b_hat = P^-1 X' Q r / sigma^2 the mean of b's conditional posterior given r = y - m (Q the residuals'
 * precision pattern: I, or AR(1)'s tridiagonal one). Pushes the prior of b and the change of variables'
 * log-Jacobian -sum_j log L_jj onto terms and returns X b over all weeks ([1, T]). Written as the change of
 * variables itself (the likelihood is then evaluated at b), not as the factorised form the kernel uses.
 */
function conditionalBaseline(
  tf: Tensorflow,
  data: ModelData,
  layout: ParameterLayout,
  theta: Tensor,
  residual: Tensor,
  sigma: Tensor,
  phi: Tensor | null,
  terms: Scalar[],
): Tensor {
  const { T, K, tFit, nTime } = data;
  const p = 1 + nTime + K;
  const rows = new Float32Array(T * p);
  const scales = new Float32Array(p);
  for (let t = 0; t < T; t++) {
    rows[t * p] = 1;
    for (let j = 0; j < nTime; j++) rows[t * p + 1 + j] = data.timeBasis[t * nTime + j];
    for (let k = 0; k < K; k++) rows[t * p + 1 + nTime + k] = data.controls[t * K + k];
  }
  for (let j = 0; j < p; j++) scales[j] = j === 0 || j > nTime ? data.model.priors.baseline.scale : data.timePriorScale[j - 1];
  const design = tf.tensor2d(rows, [T, p]);
  const x = design.slice([0, 0], [tFit, p]);
  let q: Tensor = tf.eye(tFit);
  if (phi !== null) {
    const interior = Float32Array.from({ length: tFit }, (_, t) => (t > 0 && t < tFit - 1 ? 1 : 0));
    const neighbours = new Float32Array(tFit * tFit);
    for (let t = 0; t + 1 < tFit; t++) {
      neighbours[t * tFit + t + 1] = 1;
      neighbours[(t + 1) * tFit + t] = 1;
    }
    const scalarPhi = phi.reshape([]);
    q = q.add(tf.diag(tf.tensor1d(interior)).mul(scalarPhi.square())).sub(tf.tensor2d(neighbours, [tFit, tFit]).mul(scalarPhi));
  }
  const variance = sigma.reshape([]).square();
  const xq = x.transpose().matMul(q);
  const precision = xq
    .matMul(x)
    .div(variance)
    .add(tf.diag(tf.tensor1d(scales).square().reciprocal()));
  const rhs = xq
    .matMul(residual.reshape([tFit, 1]))
    .div(variance)
    .reshape([p]);

  // Cholesky P = L L', entry by entry (tfjs has no factorisation), then b_hat by two triangular solves.
  const a = precision.unstack().map((row) => row.unstack());
  const l: Tensor[][] = Array.from({ length: p }, () => new Array<Tensor>(p));
  for (let j = 0; j < p; j++) {
    let diagonal = a[j][j];
    for (let k = 0; k < j; k++) diagonal = diagonal.sub(l[j][k].square());
    l[j][j] = diagonal.sqrt();
    for (let i = j + 1; i < p; i++) {
      let value = a[i][j];
      for (let k = 0; k < j; k++) value = value.sub(l[i][k].mul(l[j][k]));
      l[i][j] = value.div(l[j][j]);
    }
  }
  const rhsEntries = rhs.unstack();
  const solvedLower: Tensor[] = [];
  for (let i = 0; i < p; i++) {
    let value = rhsEntries[i];
    for (let k = 0; k < i; k++) value = value.sub(l[i][k].mul(solvedLower[k]));
    solvedLower.push(value.div(l[i][i]));
  }
  // b = L^-T (L^-1 rhs + z): b_hat plus L^-T z in one back substitution.
  const z = tf.concat([slice1(theta, layout.level, 1), slice1(theta, layout.time, nTime), slice1(theta, layout.gamma, K)]).unstack();
  const b: Tensor[] = new Array<Tensor>(p);
  for (let i = p - 1; i >= 0; i--) {
    let value = solvedLower[i].add(z[i]);
    for (let k = i + 1; k < p; k++) value = value.sub(l[k][i].mul(b[k]));
    b[i] = value.div(l[i][i]);
  }
  const coefficients = tf.stack(b);
  terms.push(sumAll(coefficients.div(tf.tensor1d(scales)).square().mul(-0.5)));
  terms.push(sumAll(tf.stack(l.map((row, j) => row[j])).log()).neg());
  return design.matMul(coefficients.reshape([p, 1])).reshape([1, T]);
}
