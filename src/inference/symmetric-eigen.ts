/**
 * Eigen-decomposition of a small symmetric matrix by the cyclic Jacobi method (Golub & Van Loan,
 * "Matrix Computations", 4th ed., section 8.5.3; rotation formulas of Rutishauser 1966): A = V diag(w) V^T.
 *
 * Hand-written because the metric estimate (low-rank-estimate.ts) needs a few decompositions of at most
 * a few hundred rows per warm-up window on Float64Array buffers, and no well-kept JavaScript package
 * fits: ml-matrix (the maintained one) keeps matrices as arrays of number[] rows and allocates a matrix
 * per operation, and is not a dependency here; the rest are unmaintained or wrap native code. Jacobi is
 * short, unconditionally stable and accurate to working precision in the small eigenvalues too.
 */

/** Sweeps after which a matrix still not diagonal is reported; Jacobi converges quadratically, ~10 suffice. */
const MAX_SWEEPS = 60;
/** Machine epsilon: an off-diagonal entry below it times the geometric mean of its diagonal entries is zero. */
const NEGLIGIBLE = Number.EPSILON;

export class EigenConvergenceError extends Error {
  constructor(size: number, offDiagonal: number) {
    super(
      `Jacobi eigen-decomposition of a ${size} x ${size} matrix did not converge in ${MAX_SWEEPS} sweeps (off-diagonal norm ${offDiagonal})`,
    );
    this.name = 'EigenConvergenceError';
  }
}

/**
 * Decomposes the symmetric n x n matrix `a` (row-major; overwritten) into eigenvalues `values` (length n,
 * unsorted) and eigenvectors, the rows of `vectors` (n x n): a = sum_j values[j] v_j v_j^T with v_j row j.
 * Each rotation J(p, q, phi) zeroes a_pq, with t = tan(phi) = sgn(theta) / (|theta| + sqrt(theta^2 + 1)),
 * theta = (a_qq - a_pp) / (2 a_pq), c = 1 / sqrt(1 + t^2), s = t c; the sweeps stop when a whole
 * sweep finds every off-diagonal entry negligible (Demmel & Veselic, "Jacobi's method is more accurate
 * than QR", 1992): the small eigenvalues of a graded matrix, which the metric estimate's square roots
 * and inverse square roots magnify, keep their relative accuracy.
 */
export function symmetricEigen(a: Float64Array, n: number, values: Float64Array, vectors: Float64Array): void {
  if (a.length !== n * n || vectors.length !== n * n || values.length !== n) {
    throw new RangeError(`symmetricEigen: buffers do not match a ${n} x ${n} matrix`);
  }
  vectors.fill(0);
  for (let i = 0; i < n; i++) vectors[i * n + i] = 1;
  let offDiagonal = 0;
  for (let sweep = 0; sweep < MAX_SWEEPS; sweep++) {
    let rotated = false;
    offDiagonal = 0;
    for (let p = 0; p < n - 1; p++) {
      for (let q = p + 1; q < n; q++) {
        const apq = a[p * n + q];
        offDiagonal += 2 * apq * apq;
        // Negligible next to both diagonal entries (Demmel & Veselic 1992): dropping it moves each
        // eigenvalue by a relative ~1e-16, so even the smallest ones come out to working precision.
        if (Math.abs(apq) <= NEGLIGIBLE * Math.sqrt(Math.abs(a[p * n + p] * a[q * n + q]))) {
          a[p * n + q] = 0;
          a[q * n + p] = 0;
          continue;
        }
        rotated = true;
        const theta = (a[q * n + q] - a[p * n + p]) / (2 * apq);
        const t = (theta >= 0 ? 1 : -1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1);
        const s = t * c;
        // A <- J^T A J: rows and columns p, q rotate; A stays symmetric, so each row is written from its column.
        for (let k = 0; k < n; k++) {
          if (k === p || k === q) continue;
          const akp = a[k * n + p];
          const akq = a[k * n + q];
          const newKp = c * akp - s * akq;
          const newKq = s * akp + c * akq;
          a[k * n + p] = newKp;
          a[p * n + k] = newKp;
          a[k * n + q] = newKq;
          a[q * n + k] = newKq;
        }
        // a'_pp = a_pp - t a_pq, a'_qq = a_qq + t a_pq (Golub & Van Loan, (8.5.4) with a'_pq = 0).
        a[p * n + p] -= t * apq;
        a[q * n + q] += t * apq;
        a[p * n + q] = 0;
        a[q * n + p] = 0;
        // V <- V J, with V's columns stored as the rows of `vectors`.
        for (let k = 0; k < n; k++) {
          const vpk = vectors[p * n + k];
          const vqk = vectors[q * n + k];
          vectors[p * n + k] = c * vpk - s * vqk;
          vectors[q * n + k] = s * vpk + c * vqk;
        }
      }
    }
    if (!rotated) {
      for (let i = 0; i < n; i++) values[i] = a[i * n + i];
      return;
    }
  }
  throw new EigenConvergenceError(n, Math.sqrt(offDiagonal));
}
