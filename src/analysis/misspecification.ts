/**
 * Misspecification checks of a fit (DESIGN.md section 3, "Diagnostics that fail loudly"): what the
 * model leaves unexplained should look like noise. Two statistics, both on the training window:
 * - residual autocorrelation: the Ljung-Box Q of the posterior-mean residuals (a trend the knots
 *   cannot follow or a missing slow-moving control leaves runs of same-signed residuals);
 * - posterior-predictive coverage: the share of observed weeks inside their 90% predictive interval.
 * Thresholds: ./misspecification-thresholds.ts.
 */
import { z } from 'zod';
import { decomposeDraw, newDecomposition } from '../model/decompose.ts';
import type { MmmModel } from '../model/mmm-model.ts';
import { chiSquareSurvival, normalCdf, studentTCdf } from '../math/distributions.ts';
import { formatPValue } from './format-p-value.ts';
import {
  defaultMisspecificationThresholds,
  misspecificationThresholdsSchema,
  type MisspecificationThresholds,
} from './misspecification-thresholds.ts';
import { DrawEvaluator, thinnedDrawIndices, type PosteriorDraws } from '../model/posterior-draws.ts';

export interface LjungBox {
  /** Q = n (n + 2) sum_{k=1..h} r_k^2 / (n - k), summed over geos. */
  q: number;
  /** h, the number of autocorrelation lags per series. */
  lags: number;
  /** Degrees of freedom of the chi-square reference: h per geo. */
  dof: number;
  /** P(chi^2(dof) > Q). */
  pValue: number;
  /** Lag-1 autocorrelation of the residuals (pooled over geos), the most readable symptom. */
  lag1: number;
}

export const misspecificationSchema = z
  .object({
    ljungBox: z.object({ q: z.number(), lags: z.number().int(), dof: z.number().int(), pValue: z.number(), lag1: z.number() }).strict(),
    predictiveCoverage90: z.number(),
    verdict: z.enum(['pass', 'warn', 'fail']),
    /** Plain-language findings with a suggested change, failures first. */
    reasons: z.array(z.string()),
  })
  .strict();

export type Misspecification = z.infer<typeof misspecificationSchema>;

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

export interface MisspecificationStatistics {
  ljungBox: LjungBox;
  predictiveCoverage90: number;
}

/** Both statistics on the training window of a fit, from up to `maxDraws` evenly spaced posterior draws. */
export function misspecificationStatistics(model: MmmModel, posterior: PosteriorDraws, maxDraws = 400): MisspecificationStatistics {
  const { data } = model;
  const { G, T, tFit, y } = data;
  const evaluator = new DrawEvaluator(model, posterior);
  const parts = newDecomposition(data);
  const draws = thinnedDrawIndices(posterior, maxDraws);
  const n = G * tFit;
  const muDraws: Float64Array[] = [];
  const sigmaDraws: Float64Array[] = [];
  const meanMu = new Float64Array(n);
  for (const d of draws) {
    const state = evaluator.load(d);
    decomposeDraw(data, state, parts);
    const mu = new Float64Array(n);
    const sigma = new Float64Array(n);
    for (let g = 0; g < G; g++) {
      for (let t = 0; t < tFit; t++) {
        mu[g * tFit + t] = parts.muScaled[g * T + t];
        sigma[g * tFit + t] = state.sigma[state.sigma.length === 1 ? 0 : g];
      }
    }
    for (let i = 0; i < n; i++) meanMu[i] += mu[i] / draws.length;
    muDraws.push(mu);
    sigmaDraws.push(sigma);
  }
  const observed = new Float64Array(n);
  const residuals: Float64Array[] = [];
  for (let g = 0; g < G; g++) {
    const series = new Float64Array(tFit);
    for (let t = 0; t < tFit; t++) {
      observed[g * tFit + t] = y[g * T + t];
      series[t] = y[g * T + t] - meanMu[g * tFit + t];
    }
    residuals.push(series);
  }
  const nu = data.model.studentTDof;
  const cdf = data.model.likelihood === 'student_t' ? (z: number) => studentTCdf(z, nu) : normalCdf;
  return {
    ljungBox: ljungBox(residuals, ljungBoxLags(tFit)),
    predictiveCoverage90: predictiveCoverage(observed, muDraws, sigmaDraws, cdf),
  };
}

/** The statistics judged against the thresholds, with plain-language reasons naming the model's knots and geos. */
export function judgeMisspecification(
  stats: MisspecificationStatistics,
  model: { knots: number; geos: number },
  thresholds: MisspecificationThresholds = defaultMisspecificationThresholds,
): Misspecification & { findings: MisspecificationFinding[] } {
  const limits = misspecificationThresholdsSchema.parse(thresholds);
  const { ljungBox: lb, predictiveCoverage90: coverage } = stats;
  const { knots, geos } = model;
  const findings: MisspecificationFinding[] = [];
  const lbLevel = lb.pValue < limits.ljungBoxFailP ? 'fail' : lb.pValue < limits.ljungBoxWarnP ? 'warn' : null;
  if (lbLevel) {
    findings.push({
      level: lbLevel,
      text:
        `residuals are autocorrelated (Ljung-Box Q ${lb.q.toFixed(1)} over ${lb.lags} lags${geos > 1 ? ` in each of ${geos} geos` : ''}, ` +
        `p ${formatPValue(lb.pValue)}; lag-1 correlation ${lb.lag1.toFixed(2)}): the model leaves a slow-moving pattern in the KPI ` +
        `unexplained, usually a trend or level shift the baseline cannot follow or a missing control, and the media ROIs may absorb it; ` +
        `add knots (model.knots, now ${knots}${knots === 1 ? ', a constant level' : ''}) or add a control for what moves the KPI`,
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
  posterior: PosteriorDraws,
  thresholds: MisspecificationThresholds = defaultMisspecificationThresholds,
): Misspecification & { findings: MisspecificationFinding[] } {
  return judgeMisspecification(misspecificationStatistics(model, posterior), { knots: model.data.nKnots, geos: model.data.G }, thresholds);
}
