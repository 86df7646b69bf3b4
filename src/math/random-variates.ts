/**
 * Random variates beyond the uniform and the normal (rng.ts), drawn from a seeded Rng so that results
 * are reproducible: Gamma by Marsaglia and Tsang's squeeze method, Student-t as a normal over the root of
 * a scaled chi-square.
 */
import type { Rng } from './rng.ts';

/**
 * Gamma(shape, 1). Marsaglia & Tsang, "A simple method for generating gamma variables" (ACM TOMS 26, 2000):
 * for shape >= 1, d = shape - 1/3, c = 1 / sqrt(9 d), accept d v with v = (1 + c z)^3 when
 * log u < z^2 / 2 + d - d v + d log v; for shape < 1, Gamma(shape + 1) x u^(1 / shape).
 */
export function gammaVariate(rng: Rng, shape: number): number {
  if (!(shape > 0 && Number.isFinite(shape))) throw new RangeError(`gamma shape ${shape} is not a finite number > 0`);
  if (shape < 1) return gammaVariate(rng, shape + 1) * rng.uniform() ** (1 / shape);
  const d = shape - 1 / 3;
  const c = 1 / Math.sqrt(9 * d);
  for (;;) {
    const z = rng.normal();
    const base = 1 + c * z;
    if (base <= 0) continue;
    const v = base * base * base;
    const u = 1 - rng.uniform();
    if (Math.log(u) < 0.5 * z * z + d - d * v + d * Math.log(v)) return d * v;
  }
}

/** Student-t with nu degrees of freedom: z / sqrt(X / nu), z standard normal, X ~ chi-square(nu) = 2 Gamma(nu / 2). */
export function studentTVariate(rng: Rng, nu: number): number {
  const z = rng.normal();
  return z / Math.sqrt((2 * gammaVariate(rng, nu / 2)) / nu);
}
