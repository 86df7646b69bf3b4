/**
 * The Halton low-discrepancy sequence (Halton 1960): coordinate j of point i is the radical inverse of i
 * in the j-th prime base, phi_b(i) = sum_k a_k b^-(k+1) where i = sum_k a_k b^k.
 */

function firstPrimes(count: number): number[] {
  const primes: number[] = [];
  for (let candidate = 2; primes.length < count; candidate++) {
    if (primes.every((p) => candidate % p !== 0)) primes.push(candidate);
  }
  return primes;
}

/** phi_b(i), the digits of i in base b mirrored about the radix point. */
export function radicalInverse(i: number, base: number): number {
  let result = 0;
  let scale = 1 / base;
  for (let rest = i; rest > 0; rest = Math.floor(rest / base)) {
    result += (rest % base) * scale;
    scale /= base;
  }
  return result;
}

/** Points `skip + 1` .. `skip + count` of the `dimension`-dimensional Halton sequence (index 0, the origin, never). */
export function haltonPoints(count: number, dimension: number, skip: number): Float64Array[] {
  const bases = firstPrimes(dimension);
  return Array.from({ length: count }, (_, i) => Float64Array.from(bases, (b) => radicalInverse(skip + i + 1, b)));
}
