/**
 * Ordinary least squares through the normal equations: b = (X'X)^-1 X'y, Var(b_j) = s^2 [(X'X)^-1]_jj with
 * s^2 = |y - Xb|^2 / (n - p). Hand-written because the callers fit a few dozen columns in a model's set-up, where
 * a Cholesky factorisation is a dozen lines and a linear-algebra package would be the only one in the project.
 */
import { cholesky, solveCholesky } from './cholesky.ts';

export interface LeastSquaresFit {
  coefficients: Float64Array;
  /** Standard errors; Infinity for a column the design cannot tell apart from the others. */
  standardErrors: Float64Array;
  /** ln det X'X over the independent columns, 2 sum_j ln L_jj of its Cholesky factor (what a restricted likelihood needs). */
  logDetGram: number;
}

/** X'X of `design` (n x p, row-major), lower triangle filled (what `cholesky` reads). */
function gramLower(design: Float64Array, n: number, p: number): Float64Array {
  const gram = new Float64Array(p * p);
  for (let r = 0; r < n; r++) {
    for (let i = 0; i < p; i++) {
      const xi = design[r * p + i];
      for (let j = 0; j <= i; j++) gram[i * p + j] += xi * design[r * p + j];
    }
  }
  return gram;
}

/**
 * The (ridge) least-squares projection P = (X'X + diag(penalty))^-1 X' (p x n, row-major) of `design` (n x p,
 * row-major): P y is the coefficient vector of y's fit on the columns, for any y, shrunk by the penalty (none by
 * default: ordinary least squares). A column the others determine gets a zero row.
 */
export function leastSquaresProjection(design: Float64Array, n: number, p: number, penalty?: ArrayLike<number>): Float64Array {
  const gram = gramLower(design, n, p);
  if (penalty) for (let j = 0; j < p; j++) gram[j * p + j] += penalty[j];
  const dependent = cholesky(gram, p);
  const projection = new Float64Array(p * n);
  const row = new Float64Array(p);
  for (let r = 0; r < n; r++) {
    for (let j = 0; j < p; j++) row[j] = dependent[j] ? 0 : design[r * p + j];
    solveCholesky(gram, p, row);
    for (let j = 0; j < p; j++) projection[j * n + r] = dependent[j] ? 0 : row[j];
  }
  return projection;
}

/** Fits y (length n) on the columns of `design` (n x p, row-major). Needs n > p. */
export function leastSquares(design: Float64Array, n: number, p: number, y: Float64Array): LeastSquaresFit {
  if (n <= p) throw new RangeError(`least squares needs more rows than columns, got ${n} x ${p}`);
  const gram = gramLower(design, n, p);
  const moment = new Float64Array(p);
  for (let r = 0; r < n; r++) for (let i = 0; i < p; i++) moment[i] += design[r * p + i] * y[r];
  const dependent = cholesky(gram, p);
  const coefficients = moment.slice();
  for (let j = 0; j < p; j++) if (dependent[j]) coefficients[j] = 0;
  solveCholesky(gram, p, coefficients);
  for (let j = 0; j < p; j++) if (dependent[j]) coefficients[j] = 0;
  let residualSquares = 0;
  for (let r = 0; r < n; r++) {
    let fitted = 0;
    for (let j = 0; j < p; j++) fitted += design[r * p + j] * coefficients[j];
    residualSquares += (y[r] - fitted) ** 2;
  }
  const residualVariance = residualSquares / (n - p);
  const standardErrors = new Float64Array(p);
  const unit = new Float64Array(p);
  for (let j = 0; j < p; j++) {
    if (dependent[j]) {
      standardErrors[j] = Infinity;
      continue;
    }
    unit.fill(0);
    unit[j] = 1;
    solveCholesky(gram, p, unit);
    standardErrors[j] = Math.sqrt(residualVariance * unit[j]);
  }
  let logDetGram = 0;
  for (let j = 0; j < p; j++) if (!dependent[j]) logDetGram += 2 * Math.log(gram[j * p + j]);
  return { coefficients, standardErrors, logDetGram };
}
