/**
 * Misspecification checks of a fit (docs/design.md, "Diagnostics that fail loudly"; docs/model.md,
 * "Misspecification checks"): what the model leaves unexplained should look like noise. On the training
 * window's posterior-mean residuals and predictive draws:
 * - slow drift: an omitted-variable F test of the residuals on cosines slower than one cycle a year,
 *   beyond what the model's own time basis spans (a trend the knots cannot follow, a missing slow control);
 * - residual outliers: tests of skewness and of heavy tails (weeks that jump far beyond the noise: a
 *   missing control for promotions, price changes or events), under the normal likelihood;
 * - posterior-predictive coverage: the share of observed weeks inside their 90% predictive interval;
 * - the Ljung-Box Q of the residuals, reported as the readable symptom (lag-1 correlation) but not judged
 *   (docs/model.md says why).
 * Thresholds: ./misspecification-thresholds.ts.
 */
import { z } from 'zod';
import { decomposeDraw, newDecomposition, type Decomposition } from '../model/decompose.ts';
import type { DrawState, MmmModel } from '../model/mmm-model.ts';
import type { ModelData } from '../model/model-data.ts';
import { chiSquareSurvival, fSurvival, normalCdf, studentTCdf } from '../math/distributions.ts';
import { leastSquares } from '../math/least-squares.ts';
import { formatPValue } from './format-p-value.ts';
import {
  defaultMisspecificationThresholds,
  misspecificationThresholdsSchema,
  type MisspecificationThresholds,
} from './misspecification-thresholds.ts';
import { DrawEvaluator, thinnedDrawIndices, type PosteriorDraws } from '../model/posterior-draws.ts';

export const ljungBoxSchema = z
  .object({
    /** Q = n (n + 2) sum_{k=1..h} r_k^2 / (n - k), summed over geos, on h = `lags` lags, against chi^2(dof), dof = h per geo. */
    q: z.number(),
    lags: z.number().int(),
    dof: z.number().int(),
    pValue: z.number(),
    /** Lag-1 autocorrelation of the residuals (averaged over geos), the most readable symptom. */
    lag1: z.number(),
  })
  .strict();

export const slowDriftSchema = z
  .object({
    /** Components slower than this many weeks per cycle are tested (one year). */
    cutoffWeeks: z.number(),
    /** Slow components tested per geo beyond what the model's time basis spans (q of each geo's F test). */
    dof: z.number().int(),
    /** Share of the residuals' sum of squares the slow components explain beyond the model's time basis, over all geos. */
    share: z.number(),
    /** The F test's p-value for one geo; Fisher's combination of the geos' F tests for several. */
    pValue: z.number(),
    /**
     * The AR(1) coefficient of the test's null, estimated with the slow components in the regression (one for all
     * geos); 0 for independent residuals. Optional for runs fitted before AR(1) residuals.
     */
    residualPhi: z.number().optional(),
  })
  .strict();
export type SlowDrift = z.infer<typeof slowDriftSchema>;

export const residualOutliersSchema = z
  .object({
    /** Sample skewness g1 and excess kurtosis b2 - 3 of the residuals, averaged over geos (the readable symptom). */
    skewness: z.number(),
    excessKurtosis: z.number(),
    /** D'Agostino's skewness test, two-sided, and Anscombe and Glynn's kurtosis test for heavy tails, one-sided (Fisher over geos). */
    skewnessP: z.number(),
    heavyTailsP: z.number(),
    /** Bonferroni over the two: min(1, 2 min(skewnessP, heavyTailsP)). */
    pValue: z.number(),
  })
  .strict();
export type ResidualOutliers = z.infer<typeof residualOutliersSchema>;

export const misspecificationSchema = z
  .object({
    /** Reported, not judged. */
    ljungBox: ljungBoxSchema,
    /** Optional for runs fitted before these checks existed. */
    slowDrift: slowDriftSchema.optional(),
    /** Null under a Student-t likelihood, whose noise has heavy tails when the model is right. */
    residualOutliers: residualOutliersSchema.nullable().optional(),
    predictiveCoverage90: z.number(),
    verdict: z.enum(['pass', 'warn', 'fail']),
    /** Plain-language findings with a suggested change, failures first. */
    reasons: z.array(z.string()),
  })
  .strict();

export type Misspecification = z.infer<typeof misspecificationSchema>;
export type LjungBox = z.infer<typeof ljungBoxSchema>;

/** A finding with its level, for folding into the overall verdict. */
export interface MisspecificationFinding {
  level: 'warn' | 'fail';
  text: string;
}

/** Lags of the Ljung-Box test: min(10, floor(n / 5)), the default of statsmodels' acorr_ljungbox before 0.12 and of R's common practice. */
export const ljungBoxLags = (n: number): number => Math.max(1, Math.min(10, Math.floor(n / 5)));

/** Sample autocorrelations r_1..r_h of one series: sum_{t>k} (e_t - ebar)(e_{t-k} - ebar) / sum_t (e_t - ebar)^2. */
export function autocorrelations(series: ArrayLike<number>, lags: number): Float64Array {
  const n = series.length;
  let mean = 0;
  for (let t = 0; t < n; t++) mean += series[t];
  mean /= n;
  let denominator = 0;
  for (let t = 0; t < n; t++) denominator += (series[t] - mean) ** 2;
  const r = new Float64Array(lags);
  for (let k = 1; k <= lags; k++) {
    let s = 0;
    for (let t = k; t < n; t++) s += (series[t] - mean) * (series[t - k] - mean);
    r[k - 1] = denominator > 0 ? s / denominator : 0;
  }
  return r;
}

/**
 * The Ljung-Box portmanteau test (Ljung and Box 1978, Biometrika 65(2), 297-303):
 * Q = n (n + 2) sum_{k=1..h} r_k^2 / (n - k), approximately chi^2(h) for white noise. Independent series
 * (one per geo) add: Q = sum_g Q_g against chi^2(G h).
 */
export function ljungBox(seriesList: readonly ArrayLike<number>[], lags: number): LjungBox {
  let q = 0;
  let lag1 = 0;
  for (const series of seriesList) {
    const n = series.length;
    const r = autocorrelations(series, lags);
    for (let k = 1; k <= lags; k++) q += (n * (n + 2) * r[k - 1] ** 2) / (n - k);
    lag1 += r[0] / seriesList.length;
  }
  const dof = lags * seriesList.length;
  return { q, lags, dof, pValue: chiSquareSurvival(q, dof), lag1 };
}

/**
 * Share of observations inside their central 90% predictive interval, from the probability integral
 * transform u = P(y_rep <= y_obs) = mean over draws of F((y_obs - mu_d) / sigma_d), with F the
 * likelihood's standard CDF: an observation is inside when 0.05 <= u <= 0.95 (exact for the mixture
 * over the draws, no replicate sampling).
 */
export function predictiveCoverage(
  observed: ArrayLike<number>,
  muDraws: readonly Float64Array[],
  sigmaDraws: readonly Float64Array[],
  cdf: (z: number) => number,
): number {
  const n = observed.length;
  const m = muDraws.length;
  let inside = 0;
  for (let i = 0; i < n; i++) {
    let u = 0;
    for (let d = 0; d < m; d++) u += cdf((observed[i] - muDraws[d][i]) / sigmaDraws[d][i]);
    u /= m;
    if (u >= 0.05 && u <= 0.95) inside += 1;
  }
  return inside / n;
}

/** Periods of one cycle per year and longer: the slow drift a trend the knots miss or a slow-moving control leaves. */
export const SLOW_DRIFT_CUTOFF_WEEKS = 52;

/**
 * The slow cosine basis of n weeks: DCT-II columns cos(pi k (t + 1/2) / n), k = 1..K, every one with a
 * period 2n / k longer than `cutoffWeeks` (K = ceil(2n / cutoff) - 1), the discrete cosine set that SPM's
 * high-pass filter uses to model slow drifts in fMRI series (spm_dctmtx, spm_filter). Row-major n x K.
 */
export function slowCosineBasis(n: number, cutoffWeeks: number): { columns: Float64Array; count: number } {
  const count = Math.max(1, Math.ceil((2 * n) / cutoffWeeks) - 1);
  const columns = new Float64Array(n * count);
  for (let t = 0; t < n; t++) for (let k = 1; k <= count; k++) columns[t * count + k - 1] = Math.cos((Math.PI * k * (t + 0.5)) / n);
  return { columns, count };
}

/** Residual sum of squares, rank and ln det X'X of y on the columns of an n x p design (dependent columns dropped). */
function regressionFit(
  design: Float64Array,
  n: number,
  p: number,
  y: ArrayLike<number>,
): { rss: number; rank: number; logDetGram: number } {
  const fit = leastSquares(design, n, p, Float64Array.from(y));
  let rss = 0;
  for (let r = 0; r < n; r++) {
    let fitted = 0;
    for (let j = 0; j < p; j++) fitted += design[r * p + j] * fit.coefficients[j];
    rss += (y[r] - fitted) ** 2;
  }
  return { rss, rank: fit.standardErrors.filter(Number.isFinite).length, logDetGram: fit.logDetGram };
}

/** The grid of phi over which `restrictedLikelihoodProfile` is evaluated: -0.95 to 0.99 by 0.01. */
const PHI_GRID = Array.from({ length: 195 }, (_, i) => (i - 95) / 100);

/**
 * The restricted (REML) log-likelihood of the AR(1) coefficient of the noise of y_g = X b_g + e_g, one phi for every
 * series g (as the model has one for every geo), on a grid of 0.01 (Patterson and Thompson 1971; for AR(1)
 * regressions, Cooper and Thompson 1977). With Z = P X and P the Prais-Winsten transform, each series contributes
 * l_R(phi) = (1/2) ln(1 - phi^2) - ((n - r) / 2) ln RSS_g(phi) - (1/2) ln det Z'Z, r the rank. Restricted, not
 * the lag-1 autocorrelation of the ordinary residuals, which the regressors bias down by about r / n (-0.17 with
 * the 18 columns of a 104-week model).
 */
export function restrictedLikelihoodProfile(
  design: { columns: Float64Array; count: number },
  n: number,
  series: readonly ArrayLike<number>[],
): { phi: number; logLikelihood: number }[] {
  return PHI_GRID.map((phi) => {
    const transformed = praisWinsten(design.columns, n, design.count, phi);
    let logLikelihood = 0;
    for (const y of series) {
      const fit = regressionFit(transformed, n, design.count, praisWinsten(y, n, 1, phi));
      logLikelihood += 0.5 * Math.log(1 - phi * phi) - ((n - fit.rank) / 2) * Math.log(fit.rss) - 0.5 * fit.logDetGram;
    }
    return { phi, logLikelihood };
  });
}

/** Half the 95% point of chi^2(1): the drop from its maximum that bounds a likelihood interval of 95%. */
const LIKELIHOOD_INTERVAL_95 = 3.841 / 2;

/**
 * The Prais-Winsten transform of the n rows of a row-major block of `width` columns under AR(1) noise of coefficient
 * phi (Prais and Winsten 1954; Davidson and MacKinnon 2004, section 7.8): z_0 = sqrt(1 - phi^2) x_0,
 * z_t = x_t - phi x_{t-1}. Least squares on transformed rows is generalised least squares with the AR(1)
 * covariance, the first row kept.
 */
export function praisWinsten(block: ArrayLike<number>, n: number, width: number, phi: number): Float64Array {
  const z = new Float64Array(n * width);
  const first = Math.sqrt(1 - phi * phi);
  for (let j = 0; j < width; j++) z[j] = first * block[j];
  for (let t = 1; t < n; t++) for (let j = 0; j < width; j++) z[t * width + j] = block[t * width + j] - phi * block[(t - 1) * width + j];
  return z;
}

/** Columns side by side: [1, a, b] of n rows. */
function withIntercept(n: number, blocks: { columns: Float64Array; count: number }[]): { columns: Float64Array; count: number } {
  const count = 1 + blocks.reduce((sum, b) => sum + b.count, 0);
  const columns = new Float64Array(n * count);
  for (let t = 0; t < n; t++) {
    columns[t * count] = 1;
    let at = 1;
    for (const b of blocks) for (let j = 0; j < b.count; j++) columns[t * count + at++] = b.columns[t * b.count + j];
  }
  return { columns, count };
}

/** The noise a slow-drift test takes as its null: white, or AR(1) with a coefficient estimated from the residuals. */
export type DriftNull = 'white' | 'ar1';

/**
 * Slow drift left in the residuals, as an omitted-variable test (the auxiliary regression of Ramsey's 1969
 * RESET and of Lagrange-multiplier tests; Davidson and MacKinnon 2004, Econometric Theory and Methods, ch. 4):
 * each geo's residuals e are regressed on [1, X] (X the model's own time basis, the knots and seasonal terms,
 * over the training window) and on [1, X, W] (W the slow cosine basis), and
 * F = ((RSS_0 - RSS_1) / q) / (RSS_1 / (n - r_1)), q = r_1 - r_0 (r the ranks), is F(q, n - r_1) for white
 * noise. X is in both regressions so that the test counts only the slow components the model could not
 * represent: a model with enough knots is not charged for the drift its knots follow. The media and
 * controls are left out of X, which only makes the test conservative. Independent geos combine by Fisher's
 * method (`fisherCombination`).
 *
 * Under an AR(1) null (`noise` "ar1", for models with AR(1) residuals) both regressions are feasible generalised
 * least squares: each geo's rows are Prais-Winsten transformed (`praisWinsten`) with one phi for all geos, estimated
 * in the full regression (`restrictedLikelihoodProfile`), that is with the slow components in it, so that a drift
 * does not pass for persistence. An estimated phi is a little low as often as not, and a phi too low leaves the
 * slow cosines the persistence it did not remove (at 104 weeks and a true phi of 0.84 the test at the best phi
 * rejects 2 to 9 times too often at p < 1e-3), so the p-value is the largest over phi's 95% likelihood interval.
 * The residuals tested must be the marginal ones, y - E[mu]: the one-step-ahead innovations of a posterior whose
 * phi is near 1 have had the drift differenced away.
 */
export function slowDriftTest(
  residuals: readonly ArrayLike<number>[],
  modelBasis: { columns: Float64Array; count: number },
  { cutoffWeeks = SLOW_DRIFT_CUTOFF_WEEKS, noise = 'white' }: { cutoffWeeks?: number; noise?: DriftNull } = {},
): SlowDrift {
  const n = residuals[0].length;
  const slow = slowCosineBasis(n, cutoffWeeks);
  const restricted = withIntercept(n, [modelBasis]);
  const full = withIntercept(n, [modelBasis, slow]);
  // Too few weeks to fit the model's basis and the slow cosines with residual degrees of freedom to spare: nothing to test.
  if (full.count >= n) return { cutoffWeeks, dof: 0, share: 0, pValue: 1, residualPhi: 0 };
  // Each geo's ordinary regressions: the F test under a white-noise null and the share of the readable symptom.
  const ordinary = residuals.map((e) => ({
    r0: regressionFit(restricted.columns, n, restricted.count, e),
    r1: regressionFit(full.columns, n, full.count, e),
  }));
  // The transform is invertible, so the ranks, and with them the degrees of freedom, are the same at every phi.
  const dof = ordinary[0].r1.rank - ordinary[0].r0.rank;
  const denominatorDof = n - ordinary[0].r1.rank;
  const fTest = (rss0: number, rss1: number): number =>
    dof > 0 && denominatorDof > 0 ? fSurvival((rss0 - rss1) / dof / (rss1 / denominatorDof), dof, denominatorDof) : 1;
  // The F tests of every geo at one phi, combined over geos.
  const driftPValue = (phi: number): number => {
    if (phi === 0) return fisherCombination(ordinary.map(({ r0, r1 }) => fTest(r0.rss, r1.rss)));
    const restrictedRows = praisWinsten(restricted.columns, n, restricted.count, phi);
    const fullRows = praisWinsten(full.columns, n, full.count, phi);
    return fisherCombination(
      residuals.map((e) => {
        const transformed = praisWinsten(e, n, 1, phi);
        return fTest(
          regressionFit(restrictedRows, n, restricted.count, transformed).rss,
          regressionFit(fullRows, n, full.count, transformed).rss,
        );
      }),
    );
  };
  let residualPhi = 0;
  let pValue: number;
  if (noise === 'ar1') {
    const profile = restrictedLikelihoodProfile(full, n, residuals);
    const best = profile.reduce((a, b) => (b.logLikelihood > a.logLikelihood ? b : a));
    residualPhi = best.phi;
    pValue = Math.max(
      ...profile.filter((p) => p.logLikelihood >= best.logLikelihood - LIKELIHOOD_INTERVAL_95).map((p) => driftPValue(p.phi)),
    );
  } else pValue = driftPValue(0);
  let explained = 0;
  let total = 0;
  residuals.forEach((e, g) => {
    explained += ordinary[g].r0.rss - ordinary[g].r1.rss;
    let sum = 0;
    let squares = 0;
    for (let t = 0; t < n; t++) sum += e[t];
    for (let t = 0; t < n; t++) squares += (e[t] - sum / n) ** 2;
    total += squares;
  });
  return { cutoffWeeks, dof, share: total > 0 ? explained / total : 0, pValue, residualPhi };
}

/** Sample skewness g1 = m3 / m2^(3/2) and kurtosis b2 = m4 / m2^2 of a series (m_k the central moments, divisor n). */
function moments(series: ArrayLike<number>): { n: number; g1: number; b2: number } {
  const n = series.length;
  let mean = 0;
  for (let t = 0; t < n; t++) mean += series[t];
  mean /= n;
  let m2 = 0;
  let m3 = 0;
  let m4 = 0;
  for (let t = 0; t < n; t++) {
    const d = series[t] - mean;
    m2 += d * d;
    m3 += d * d * d;
    m4 += d * d * d * d;
  }
  m2 /= n;
  return m2 > 0 ? { n, g1: m3 / n / m2 ** 1.5, b2: m4 / n / m2 ** 2 } : { n, g1: 0, b2: 3 };
}

/**
 * D'Agostino's (1970) test of skewness: Z(g1) = delta asinh(y / alpha), with y = g1 sqrt((n + 1)(n + 3) / (6 (n - 2))),
 * beta2 = 3 (n^2 + 27 n - 70)(n + 1)(n + 3) / ((n - 2)(n + 5)(n + 7)(n + 9)), W^2 = sqrt(2 (beta2 - 1)) - 1,
 * delta = 1 / sqrt(ln W), alpha = sqrt(2 / (W^2 - 1)); approximately N(0, 1) for normal data, n >= 8
 * (D'Agostino, Belanger and D'Agostino 1990, The American Statistician 44(4), 316-321; scipy.stats.skewtest).
 */
export function skewnessZ(series: ArrayLike<number>): number {
  const { n, g1 } = moments(series);
  const y = g1 * Math.sqrt(((n + 1) * (n + 3)) / (6 * (n - 2)));
  const beta2 = (3 * (n * n + 27 * n - 70) * (n + 1) * (n + 3)) / ((n - 2) * (n + 5) * (n + 7) * (n + 9));
  const w2 = Math.sqrt(2 * (beta2 - 1)) - 1;
  return (1 / Math.sqrt(0.5 * Math.log(w2))) * Math.asinh(y / Math.sqrt(2 / (w2 - 1)));
}

/**
 * Anscombe and Glynn's (1983) test of kurtosis: with x = (b2 - E b2) / sd(b2), E b2 = 3 (n - 1) / (n + 1),
 * Var b2 = 24 n (n - 2)(n - 3) / ((n + 1)^2 (n + 3)(n + 5)), sqrt(beta1) the standardised third moment of b2
 * and A = 6 + (8 / sqrt(beta1)) (2 / sqrt(beta1) + sqrt(1 + 4 / beta1)),
 * Z(b2) = (1 - 2 / (9A) - cbrt((1 - 2 / A) / (1 + x sqrt(2 / (A - 4))))) / sqrt(2 / (9A)), approximately N(0, 1)
 * for normal data, n >= 20 (D'Agostino, Belanger and D'Agostino 1990; scipy.stats.kurtosistest). Its upper tail
 * (heavy tails) holds to 1e-3 at 104 weeks; its lower tail (light tails) is about 2.5 times too heavy there.
 */
export function kurtosisZ(series: ArrayLike<number>): number {
  const { n, b2 } = moments(series);
  const x = (b2 - (3 * (n - 1)) / (n + 1)) / Math.sqrt((24 * n * (n - 2) * (n - 3)) / ((n + 1) ** 2 * (n + 3) * (n + 5)));
  const sqrtBeta1 = ((6 * (n * n - 5 * n + 2)) / ((n + 7) * (n + 9))) * Math.sqrt((6 * (n + 3) * (n + 5)) / (n * (n - 2) * (n - 3)));
  const a = 6 + (8 / sqrtBeta1) * (2 / sqrtBeta1 + Math.sqrt(1 + 4 / sqrtBeta1 ** 2));
  return (1 - 2 / (9 * a) - Math.cbrt((1 - 2 / a) / (1 + x * Math.sqrt(2 / (a - 4))))) / Math.sqrt(2 / (9 * a));
}

/** Fisher's combination of independent p-values: P(chi^2(2m) > -2 sum ln p_i) (Fisher 1932, Statistical Methods for Research Workers, section 21.1). */
export const fisherCombination = (pValues: readonly number[]): number =>
  chiSquareSurvival(-2 * pValues.reduce((sum, p) => sum + Math.log(p), 0), 2 * pValues.length);

/**
 * Outlier weeks in the residuals: a missing control for promotions, price changes or events leaves weeks far
 * outside the noise, which skew the residuals and fatten their tails; a smooth misfit does neither. Two
 * tests, each combined over geos by Fisher's method: skewness, two-sided, and heavy tails, one-sided (excess
 * kurtosis above normal; light tails are no symptom of a missing effect, and that side of Z(b2) is miscalibrated),
 * joined by Bonferroni: p = min(1, 2 min(p_skew, p_tails)). Not the omnibus K^2 = Z(g1)^2 + Z(b2)^2 against
 * chi^2(2): its two parts are dependent and at 104 weeks it rejects white noise 5 times too often at p < 1e-3.
 */
export function residualOutliers(seriesList: readonly ArrayLike<number>[]): ResidualOutliers {
  let skewness = 0;
  let excessKurtosis = 0;
  const skewP: number[] = [];
  const tailP: number[] = [];
  for (const series of seriesList) {
    const { g1, b2 } = moments(series);
    skewness += g1 / seriesList.length;
    excessKurtosis += (b2 - 3) / seriesList.length;
    skewP.push(2 * normalCdf(-Math.abs(skewnessZ(series))));
    tailP.push(normalCdf(-kurtosisZ(series)));
  }
  const skewnessP = fisherCombination(skewP);
  const heavyTailsP = fisherCombination(tailP);
  return { skewness, excessKurtosis, skewnessP, heavyTailsP, pValue: Math.min(1, 2 * Math.min(skewnessP, heavyTailsP)) };
}

export interface MisspecificationStatistics {
  ljungBox: LjungBox;
  slowDrift: SlowDrift;
  residualOutliers: ResidualOutliers | null;
  predictiveCoverage90: number;
}

/** A fit's statistics with their verdict and reasons (a Misspecification with every statistic present). */
export type JudgedMisspecification = MisspecificationStatistics & Pick<Misspecification, 'verdict' | 'reasons'>;

/**
 * What the statistics look at: the training window's observed KPI, predictive draws and posterior-mean residuals.
 * Each week's predictive distribution is the one-step-ahead one given the weeks before it, Normal(m_t, s_t) (or
 * Student-t) with m_t = mu_t + phi (y_{t-1} - mu_{t-1}), s_t = sigma, and at the first week m_0 = mu_0,
 * s_0 = sigma / sqrt(1 - phi^2): under independent residuals (phi = 0) mu_t and sigma; under AR(1) residuals
 * (model.residuals "ar1", src/model/residual-ar1.ts) the residuals y_t - E[m_t] are the innovations, which the
 * model says are white, so the checks of outliers and coverage ask whether they are. The slow-drift check reads the
 * marginal residuals y_t - E[mu_t] instead, under the noise model's null (`slowDriftTest`): a phi near 1 takes a
 * drift the baseline misses into the innovations' past, where differencing hides it.
 */
export interface FitResiduals {
  /** Scaled KPI, geo-major G x tFit. */
  observed: Float64Array;
  /** Per draw: the one-step-ahead predictive mean m and sd s at every (g, t), geo-major. */
  muDraws: Float64Array[];
  sigmaDraws: Float64Array[];
  /** Per geo: y_t - E[m_t] over the training window. */
  residuals: Float64Array[];
  /** Per geo: y_t - E[mu_t] over the training window, the same as `residuals` under independent residuals. */
  marginalResiduals: Float64Array[];
}

/**
 * Builds a FitResiduals from evaluated posterior draws handed over one at a time, in draw order: `fitResiduals`'s own
 * sweep, and any other sweep that evaluates and decomposes the same thinned draws (the fit's analysis,
 * src/analysis/analyze-fit.ts `onDetailDraw`), so a fit evaluates each of them once for both.
 */
export class FitResidualsCollector {
  private readonly muDraws: Float64Array[] = [];
  private readonly sigmaDraws: Float64Array[] = [];
  private readonly meanMu: Float64Array;
  private readonly meanMarginalMu: Float64Array;

  /** `draws`: how many draws `add` will be given (the mean's divisor). */
  constructor(
    private readonly data: ModelData,
    private readonly draws: number,
  ) {
    this.meanMu = new Float64Array(data.G * data.tFit);
    this.meanMarginalMu = new Float64Array(data.G * data.tFit);
  }

  /** One draw: its evaluated state and its decomposition (decomposeDraw of that state). */
  add(state: DrawState, parts: Decomposition): void {
    const { G, T, tFit, y } = this.data;
    const n = G * tFit;
    const mu = new Float64Array(n);
    const sigma = new Float64Array(n);
    const { phi } = state;
    for (let g = 0; g < G; g++) {
      const sd = state.sigma[state.sigma.length === 1 ? 0 : g];
      for (let t = 0; t < tFit; t++) {
        const i = g * T + t;
        this.meanMarginalMu[g * tFit + t] += parts.muScaled[i] / this.draws;
        mu[g * tFit + t] = t === 0 ? parts.muScaled[i] : parts.muScaled[i] + phi * (y[i - 1] - parts.muScaled[i - 1]);
        sigma[g * tFit + t] = t === 0 ? sd / Math.sqrt(1 - phi * phi) : sd;
      }
    }
    for (let i = 0; i < n; i++) this.meanMu[i] += mu[i] / this.draws;
    this.muDraws.push(mu);
    this.sigmaDraws.push(sigma);
  }

  result(): FitResiduals {
    if (this.muDraws.length !== this.draws) throw new Error(`fit residuals: ${this.muDraws.length} draws added, ${this.draws} announced`);
    const { G, T, tFit, y } = this.data;
    const observed = new Float64Array(G * tFit);
    const residuals: Float64Array[] = [];
    const marginalResiduals: Float64Array[] = [];
    for (let g = 0; g < G; g++) {
      const series = new Float64Array(tFit);
      const marginal = new Float64Array(tFit);
      for (let t = 0; t < tFit; t++) {
        observed[g * tFit + t] = y[g * T + t];
        series[t] = y[g * T + t] - this.meanMu[g * tFit + t];
        marginal[t] = y[g * T + t] - this.meanMarginalMu[g * tFit + t];
      }
      residuals.push(series);
      marginalResiduals.push(marginal);
    }
    return { observed, muDraws: this.muDraws, sigmaDraws: this.sigmaDraws, residuals, marginalResiduals };
  }
}

/** The training window's KPI, predictive draws and residuals of a fit, from up to `maxDraws` evenly spaced posterior draws. */
export function fitResiduals(model: MmmModel, posterior: PosteriorDraws, maxDraws = 400): FitResiduals {
  const evaluator = new DrawEvaluator(model, posterior);
  const parts = newDecomposition(model.data);
  const draws = thinnedDrawIndices(posterior, maxDraws);
  const collector = new FitResidualsCollector(model.data, draws.length);
  for (const d of draws) {
    const state = evaluator.load(d);
    decomposeDraw(model.data, state, parts);
    collector.add(state, parts);
  }
  return collector.result();
}

/** The statistics on the training window of a fit, from its residuals (fitResiduals). */
export function misspecificationStatistics(model: MmmModel, fit: FitResiduals): MisspecificationStatistics {
  const { data } = model;
  const { observed, muDraws, sigmaDraws, residuals, marginalResiduals } = fit;
  const studentT = data.model.likelihood === 'student_t';
  const nu = data.model.studentTDof;
  const cdf = studentT ? (z: number) => studentTCdf(z, nu) : normalCdf;
  const timeBasis = { columns: data.timeBasis.subarray(0, data.tFit * data.nTime), count: data.nTime };
  return {
    ljungBox: ljungBox(residuals, ljungBoxLags(data.tFit)),
    slowDrift: slowDriftTest(marginalResiduals, timeBasis, { noise: data.model.residuals === 'ar1' ? 'ar1' : 'white' }),
    residualOutliers: studentT ? null : residualOutliers(residuals),
    predictiveCoverage90: predictiveCoverage(observed, muDraws, sigmaDraws, cdf),
  };
}

/** The level a p-value reaches against a warn and a fail threshold. */
const levelOf = (pValue: number, warnP: number, failP: number): MisspecificationFinding['level'] | null =>
  pValue < failP ? 'fail' : pValue < warnP ? 'warn' : null;

/** The judged statistics against the thresholds, with plain-language reasons naming the model's knots and geos. */
export function judgeMisspecification(
  stats: MisspecificationStatistics,
  model: { knots: number; geos: number },
  thresholds: MisspecificationThresholds = defaultMisspecificationThresholds,
): JudgedMisspecification & { findings: MisspecificationFinding[] } {
  const limits = misspecificationThresholdsSchema.parse(thresholds);
  const { slowDrift: drift, residualOutliers: outliers, predictiveCoverage90: coverage } = stats;
  const { knots, geos } = model;
  const inGeos = geos > 1 ? ` (${geos} geos combined)` : '';
  const findings: MisspecificationFinding[] = [];
  const driftLevel = levelOf(drift.pValue, limits.slowDriftWarnP, limits.slowDriftFailP);
  if (driftLevel) {
    findings.push({
      level: driftLevel,
      text:
        `the residuals drift slowly (components slower than one cycle a year explain ${(drift.share * 100).toFixed(0)}% of them beyond ` +
        `what the model's trend and seasonal terms can follow${inGeos}, p ${formatPValue(drift.pValue)}): the baseline moves in a way the model ` +
        `cannot follow, a trend or level shift or a missing slow-moving control, and the media ROIs may absorb it; add knots ` +
        `(model.knots, now ${knots}${knots === 1 ? ', a constant level' : ''}) or add a control for what moves the KPI`,
    });
  }
  const outlierLevel = outliers ? levelOf(outliers.pValue, limits.outliersWarnP, limits.outliersFailP) : null;
  if (outliers && outlierLevel) {
    findings.push({
      level: outlierLevel,
      text:
        `some weeks move far more than the noise allows (residual skewness ${outliers.skewness.toFixed(2)}, excess kurtosis ` +
        `${outliers.excessKurtosis.toFixed(1)}${inGeos}, p ${formatPValue(outliers.pValue)}): ` +
        `usually promotions, price changes or events the model has no control for, and the media ROIs may absorb them; add a control ` +
        `for them (a price index, a promotion or event indicator)`,
    });
  }
  const covLevel = coverage < limits.coverageFail ? 'fail' : coverage < limits.coverageWarn ? 'warn' : null;
  if (covLevel) {
    findings.push({
      level: covLevel,
      text:
        `only ${(coverage * 100).toFixed(0)}% of observed weeks lie inside their 90% predictive intervals ` +
        `(below ${((covLevel === 'fail' ? limits.coverageFail : limits.coverageWarn) * 100).toFixed(0)}%): the model does not describe the KPI's ` +
        `variation, e.g. outlier weeks or effects it lacks; add controls for the unusual weeks, add knots, or use a ` +
        `Student-t likelihood (model.likelihood "student_t")`,
    });
  }
  findings.sort((a, b) => (a.level === b.level ? 0 : a.level === 'fail' ? -1 : 1));
  const verdict = findings.some((f) => f.level === 'fail') ? 'fail' : findings.length > 0 ? 'warn' : 'pass';
  return { ...stats, verdict, reasons: findings.map((f) => f.text), findings };
}

/** Statistics and judgement of a fit. */
export function checkMisspecification(
  model: MmmModel,
  fit: FitResiduals,
  thresholds: MisspecificationThresholds = defaultMisspecificationThresholds,
): JudgedMisspecification & { findings: MisspecificationFinding[] } {
  return judgeMisspecification(misspecificationStatistics(model, fit), { knots: model.data.nKnots, geos: model.data.G }, thresholds);
}
