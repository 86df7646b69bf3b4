/**
 * Michaelis-Menten saturation (Michaelis & Menten 1913; PyMC-Marketing's MichaelisMentenSaturation):
 * h = u / (u + km), half of the maximum at u = km on the median-scaled media. It is Hill's curve at slope 1,
 * so it evaluates through Hill's kernels; it differs in its prior, km ~ LogNormal(mu, sigma) with no upper
 * bound, and in having no slope (the curve stays hyperbolic when `model.hillSlope` is 'learned').
 */
import { z } from 'zod';
import { logNormal } from '../priors/scalar-prior.ts';
import { defineSaturation } from './family.ts';
import { hill } from './hill.ts';

export const michaelisMenten = defineSaturation({
  name: 'michaelis_menten',
  priorSettings: {
    /** Michaelis-Menten half-saturation km ~ LogNormal(mu, sigma) on the median-scaled media (median e^mu). */
    km: z
      .object({ mu: z.number().default(0), sigma: z.number().positive().default(1) })
      .strict()
      .default({ mu: 0, sigma: 1 }),
  },
  shape: { name: 'km', prior: ({ km }) => logNormal(km.mu, km.sigma) },
  value: (u, km) => hill.value(u, km, 1),
  addAtFactors: (u, v, factors, km, _slope, weight, acc) => hill.addAtFactors(u, v, factors, km, 1, weight, acc),
  series: (u, offset, n, km, _slope, value, dInput, dShape, dSlope) => hill.series(u, offset, n, km, 1, value, dInput, dShape, dSlope),
});
