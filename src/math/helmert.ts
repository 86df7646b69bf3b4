/**
 * Helmert's orthonormal basis Q (n x (n - 1)) of the contrasts of n values: the vectors orthogonal to the all-ones
 * vector (Helmert 1876; Lancaster 1965, "The Helmert matrices", American Mathematical Monthly 72(1), 4-12).
 * Column k (k = 1..n-1) compares value k with the mean of the values before it:
 *   Q[i,k] = 1 / sqrt(k (k + 1))   for i < k,
 *   Q[k,k] = -k / sqrt(k (k + 1)),
 *   Q[i,k] = 0                     for i > k.
 * Q'Q = I_{n-1} and Q'1 = 0, so d = Q z has sum_i d_i = 0 for every z, and z = Q'd recovers z.
 *
 * Both products take O(n) with a suffix or prefix sum, never the dense matrix. Contrast k is stored at index k - 1
 * of the contrast vectors.
 */

/** d = Q z: d_i = sum_{k > i} z_k / sqrt(k (k + 1)) - [i >= 1] z_i sqrt(i / (i + 1)). z has n - 1 entries, d n. */
export function helmertApply(z: ArrayLike<number>, d: Float64Array): void {
  const n = d.length;
  let suffix = 0;
  for (let i = n - 1; i >= 0; i--) {
    d[i] = i >= 1 ? suffix - z[i - 1] * Math.sqrt(i / (i + 1)) : suffix;
    if (i >= 1) suffix += z[i - 1] / Math.sqrt(i * (i + 1));
  }
}

/** z = Q'd: z_k = (sum_{i < k} d_i - k d_k) / sqrt(k (k + 1)). d has n entries, z n - 1. */
export function helmertTranspose(d: ArrayLike<number>, z: Float64Array): void {
  let prefix = d[0];
  for (let k = 1; k <= z.length; k++) {
    z[k - 1] = (prefix - k * d[k]) / Math.sqrt(k * (k + 1));
    prefix += d[k];
  }
}
