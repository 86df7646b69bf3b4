/**
 * Cholesky factorisation A = L L' of a symmetric positive-definite p x p matrix (row-major Float64Array) and the
 * triangular solves that use it. Hand-written because the callers (least squares in a model's set-up, the
 * national baseline's conditional posterior in every gradient) factor a few dozen columns, where this is a dozen
 * lines and a linear-algebra package would be the only one in the project.
 */

/** A diagonal entry that falls below this share of its original value during the factorisation marks a dependent column. */
const DEPENDENT_COLUMN = 1e-10;

/**
 * In-place Cholesky factor L of a symmetric positive-definite matrix: reads the lower triangle and writes L there
 * (the strict upper triangle is left as it was); dependent columns get a unit pivot and are reported.
 */
export function cholesky(a: Float64Array, p: number): boolean[] {
  const dependent = new Array<boolean>(p).fill(false);
  for (let j = 0; j < p; j++) {
    const original = a[j * p + j];
    let diagonal = original;
    for (let k = 0; k < j; k++) diagonal -= a[j * p + k] ** 2;
    if (!(diagonal > DEPENDENT_COLUMN * Math.max(original, 1e-300))) {
      dependent[j] = true;
      for (let k = 0; k < j; k++) a[j * p + k] = 0;
      a[j * p + j] = 1;
      for (let i = j + 1; i < p; i++) a[i * p + j] = 0;
      continue;
    }
    const pivot = Math.sqrt(diagonal);
    a[j * p + j] = pivot;
    for (let i = j + 1; i < p; i++) {
      let value = a[i * p + j];
      for (let k = 0; k < j; k++) value -= a[i * p + k] * a[j * p + k];
      a[i * p + j] = value / pivot;
    }
  }
  return dependent;
}

/** Solves L x = b for the lower-triangular L (out may be b). */
export function forwardSubstitute(l: Float64Array, p: number, b: ArrayLike<number>, out: Float64Array): void {
  for (let i = 0; i < p; i++) {
    let value = b[i];
    for (let k = 0; k < i; k++) value -= l[i * p + k] * out[k];
    out[i] = value / l[i * p + i];
  }
}

/** Solves L' x = b for the lower-triangular L (out may be b). */
export function backSubstitute(l: Float64Array, p: number, b: ArrayLike<number>, out: Float64Array): void {
  for (let i = p - 1; i >= 0; i--) {
    let value = b[i];
    for (let k = i + 1; k < p; k++) value -= l[k * p + i] * out[k];
    out[i] = value / l[i * p + i];
  }
}

/** Solves L L' x = b in place (L from `cholesky`). */
export function solveCholesky(l: Float64Array, p: number, b: Float64Array): void {
  forwardSubstitute(l, p, b, b);
  backSubstitute(l, p, b, b);
}
