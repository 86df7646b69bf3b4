/**
 * nutpie's estimate of a metric that follows correlations, from draws and gradients (Seyboldt, Carlson
 * and Carpenter, "Preconditioning Hamiltonian Monte Carlo by minimizing Fisher divergence", 2026): the
 * affine map that makes the draws' score function closest to a standard normal's in Fisher divergence.
 * For draws x_r and gradients g_r = d log p / d theta at them:
 *
 * 1. scale each coordinate by the diagonal estimate D (gradient-metric.ts): x~ = (x - mean x) / sqrt(D_i),
 *    g~ = (g - mean g) sqrt(D_i);
 * 2. restrict to the span of the scaled draws and gradients (an orthonormal basis Q of at most 2n
 *    directions, of the latest 50 rows here, see MAX_BASIS_ROWS; the whole space when that is dim or
 *    more): outside it the data say little and the diagonal stays;
 * 3. with A = sum x~ x~' + gamma I and B = sum g~ g~' + gamma I in that subspace, take the SPD geometric
 *    mean Sigma~ = B^-1/2 (B^1/2 A B^1/2)^1/2 B^-1/2, the unique SPD solution of Sigma~ B Sigma~ = A (for a
 *    Gaussian with covariance Sigma, Cov(g) = Sigma^-1, so Sigma~ recovers the scaled covariance);
 * 4. return its eigenpairs, the directions mapped back to the full space: the metric keeps some or all
 *    (low-rank-metric.ts, dense-metric.ts), M^-1 = D^1/2 (I + U (L - I) U') D^1/2.
 * gamma keeps directions without spread invertible (RIDGE below).
 */
import { symmetricEigen } from './symmetric-eigen.ts';

/**
 * gamma, as nutpie's default: small against sums of squares of order n, so that it only keeps directions
 * without spread invertible. When the draws do not span the space, A and B are singular but for gamma
 * and B^1/2 A B^1/2 has a condition number of order (n / gamma)^2 ~ 1e13: its square roots then carry
 * errors of a few per cent in those directions (8% for the exact identity of a standard normal with 80
 * draws in 100 dimensions, test/inference/low-rank-estimate.test.ts). A larger gamma would bias every
 * direction whose gradients barely spread; MIN_EIGENVALUE keeps the result positive.
 */
const RIDGE = 1e-5;
/** Scaled eigenvalues are at least this: a direction 100x narrower than the diagonal says, never a zero or negative one. */
const MIN_EIGENVALUE = 1e-4;
/**
 * The subspace is spanned by the latest MAX_BASIS_ROWS scaled draws and gradients (all rows still enter
 * A and B): at most 100 directions, so the three Jacobi decompositions stay near 0.1 s per window (nutpie
 * spans all rows, which at dim 481 and 240 rows would take tens of seconds per window here). Up to
 * dim 100 with 50 rows the subspace is the whole space.
 */
const MAX_BASIS_ROWS = 50;
/** A candidate basis direction whose residual after orthogonalisation is below this share of its norm is dependent. */
const DEPENDENCE_TOLERANCE = 1e-8;

/** The draws and gradients since the foreground window began (warmup.ts), as rows. */
export class DrawGradientWindow {
  private rows = 0;
  /** Row r of the window is buffer row (first + r) mod capacity. */
  private first = 0;
  private readonly draws: Float64Array;
  private readonly grads: Float64Array;

  constructor(
    readonly dim: number,
    readonly capacity: number,
  ) {
    this.draws = new Float64Array(dim * capacity);
    this.grads = new Float64Array(dim * capacity);
  }

  get samples(): number {
    return this.rows;
  }

  /** Appends a row; a full window forgets its oldest. */
  add(theta: Float64Array, grad: Float64Array): void {
    if (this.rows === this.capacity) {
      this.first = (this.first + 1) % this.capacity;
      this.rows -= 1;
    }
    const slot = ((this.first + this.rows) % this.capacity) * this.dim;
    this.draws.set(theta, slot);
    this.grads.set(grad, slot);
    this.rows += 1;
  }

  /** Forgets all but the latest `count` rows. */
  keepLatest(count: number): void {
    const drop = Math.max(0, this.rows - count);
    this.first = (this.first + drop) % this.capacity;
    this.rows -= drop;
  }

  /** Offset of window row r in the buffers. */
  offset(row: number): number {
    return ((this.first + row) % this.capacity) * this.dim;
  }

  draw(row: number): Float64Array {
    const offset = this.offset(row);
    return this.draws.subarray(offset, offset + this.dim);
  }

  grad(row: number): Float64Array {
    const offset = this.offset(row);
    return this.grads.subarray(offset, offset + this.dim);
  }
}

/** Eigenpairs of the scaled estimate: values[j] with direction j in row j of vectors (count x dim). */
export interface ScaledEigenpairs {
  values: Float64Array;
  vectors: Float64Array;
  count: number;
}

/** Steps 1-4 above for the window's rows and the diagonal D (length dim). Needs at least 2 rows. */
export function estimateScaledEigenpairs(window: DrawGradientWindow, diagonal: Float64Array): ScaledEigenpairs {
  const { dim } = window;
  const n = window.samples;
  if (n < 2) throw new RangeError(`the low-rank metric estimate needs at least 2 draws, got ${n}`);
  const { draws, grads } = scaledRows(window, diagonal);
  const basisRows = Math.min(n, MAX_BASIS_ROWS);
  const basis = 2 * basisRows >= dim ? null : orthonormalBasis([...draws.slice(n - basisRows), ...grads.slice(n - basisRows)], dim);
  const k = basis === null ? dim : basis.length;
  const project = (row: Float64Array): Float64Array => (basis === null ? row : Float64Array.from(basis, (q) => dot(q, row)));
  const a = ridgedSumOfSquares(draws.map(project), k, RIDGE);
  const b = ridgedSumOfSquares(grads.map(project), k, RIDGE);
  const sigma = geometricMean(a, b, k);
  const values = new Float64Array(k);
  const eigenvectors = new Float64Array(k * k);
  symmetricEigen(sigma, k, values, eigenvectors);
  for (let j = 0; j < k; j++) values[j] = Math.max(values[j], MIN_EIGENVALUE);
  if (basis === null) return { values, vectors: eigenvectors, count: k };
  // Direction j in the full space: sum_m w_jm q_m.
  const vectors = new Float64Array(k * dim);
  for (let j = 0; j < k; j++) {
    for (let m = 0; m < k; m++) {
      const weight = eigenvectors[j * k + m];
      for (let i = 0; i < dim; i++) vectors[j * dim + i] += weight * basis[m][i];
    }
  }
  return { values, vectors, count: k };
}

/** Centred draws divided by, and centred gradients multiplied by, sqrt(D) (step 1). */
function scaledRows(window: DrawGradientWindow, diagonal: Float64Array): { draws: Float64Array[]; grads: Float64Array[] } {
  const { dim } = window;
  const n = window.samples;
  const drawMean = new Float64Array(dim);
  const gradMean = new Float64Array(dim);
  for (let r = 0; r < n; r++) {
    const draw = window.draw(r);
    const grad = window.grad(r);
    for (let i = 0; i < dim; i++) {
      drawMean[i] += draw[i] / n;
      gradMean[i] += grad[i] / n;
    }
  }
  const scale = Float64Array.from(diagonal, Math.sqrt);
  const draws = Array.from({ length: n }, (_, r) => Float64Array.from(window.draw(r), (x, i) => (x - drawMean[i]) / scale[i]));
  const grads = Array.from({ length: n }, (_, r) => Float64Array.from(window.grad(r), (g, i) => (g - gradMean[i]) * scale[i]));
  return { draws, grads };
}

function dot(a: Float64Array, b: Float64Array): number {
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += a[i] * b[i];
  return sum;
}

/** Orthonormal basis of the span of `vectors` by classical Gram-Schmidt applied twice ("twice is enough", Giraud et al. 2005). */
function orthonormalBasis(vectors: Float64Array[], dim: number): Float64Array[] {
  const basis: Float64Array[] = [];
  for (const vector of vectors) {
    if (basis.length === dim) break;
    const residual = Float64Array.from(vector);
    const norm = Math.sqrt(dot(residual, residual));
    if (!(norm > 0)) continue;
    for (let pass = 0; pass < 2; pass++) {
      for (const q of basis) {
        const projection = dot(q, residual);
        for (let i = 0; i < dim; i++) residual[i] -= projection * q[i];
      }
    }
    const residualNorm = Math.sqrt(dot(residual, residual));
    if (residualNorm <= DEPENDENCE_TOLERANCE * norm) continue;
    for (let i = 0; i < dim; i++) residual[i] /= residualNorm;
    basis.push(residual);
  }
  return basis;
}

/** sum_r y_r y_r' + gamma I (k x k, row-major). */
function ridgedSumOfSquares(rows: Float64Array[], k: number, gamma: number): Float64Array {
  const out = new Float64Array(k * k);
  for (const row of rows) {
    for (let i = 0; i < k; i++) {
      const yi = row[i];
      if (yi === 0) continue;
      for (let j = i; j < k; j++) out[i * k + j] += yi * row[j];
    }
  }
  for (let i = 0; i < k; i++) {
    out[i * k + i] += gamma;
    for (let j = 0; j < i; j++) out[i * k + j] = out[j * k + i];
  }
  return out;
}

/** c = a b for k x k row-major matrices. */
function multiply(a: Float64Array, b: Float64Array, k: number): Float64Array {
  const out = new Float64Array(k * k);
  for (let i = 0; i < k; i++) {
    for (let m = 0; m < k; m++) {
      const aim = a[i * k + m];
      if (aim === 0) continue;
      for (let j = 0; j < k; j++) out[i * k + j] += aim * b[m * k + j];
    }
  }
  return out;
}

/** f(S) = sum_m f(w_m) v_m v_m' for a symmetric S with eigenpairs (w_m, row m of vectors). */
function matrixFunction(values: Float64Array, vectors: Float64Array, k: number, f: (value: number) => number): Float64Array {
  const out = new Float64Array(k * k);
  for (let m = 0; m < k; m++) {
    const weight = f(values[m]);
    for (let i = 0; i < k; i++) {
      const wi = weight * vectors[m * k + i];
      for (let j = 0; j < k; j++) out[i * k + j] += wi * vectors[m * k + j];
    }
  }
  return out;
}

/** The symmetric part (m + m') / 2, against rounding before a decomposition. */
function symmetrise(m: Float64Array, k: number): Float64Array {
  for (let i = 0; i < k; i++) {
    for (let j = i + 1; j < k; j++) {
      const mean = 0.5 * (m[i * k + j] + m[j * k + i]);
      m[i * k + j] = mean;
      m[j * k + i] = mean;
    }
  }
  return m;
}

/** Sigma with Sigma b Sigma = a: b^-1/2 (b^1/2 a b^1/2)^1/2 b^-1/2 (both SPD; both overwritten). */
export function geometricMean(a: Float64Array, b: Float64Array, k: number): Float64Array {
  const values = new Float64Array(k);
  const vectors = new Float64Array(k * k);
  symmetricEigen(b, k, values, vectors);
  const bRoot = matrixFunction(values, vectors, k, Math.sqrt);
  const bInverseRoot = matrixFunction(values, vectors, k, (value) => 1 / Math.sqrt(value));
  const middle = symmetrise(multiply(multiply(bRoot, a, k), bRoot, k), k);
  symmetricEigen(middle, k, values, vectors);
  const middleRoot = matrixFunction(values, vectors, k, (value) => Math.sqrt(Math.max(value, 0)));
  return symmetrise(multiply(multiply(bInverseRoot, middleRoot, k), bInverseRoot, k), k);
}
