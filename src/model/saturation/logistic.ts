/**
 * Logistic saturation: h = (1 - e^{-lam u}) / (1 + e^{-lam u}) = tanh(lam u / 2), with rate lam on the
 * median-scaled media; no slope.
 */
import { z } from 'zod';
import { gamma } from '../priors/scalar-prior.ts';
import { defineSaturation } from './family.ts';

export const logistic = defineSaturation({
  name: 'logistic',
  priorSettings: {
    /** Logistic saturation rate lam ~ Gamma(shape, rate). */
    lam: z
      .object({ shape: z.number().positive().default(3), rate: z.number().positive().default(1) })
      .strict()
      .default({ shape: 3, rate: 1 }),
  },
  shape: { name: 'lam', prior: ({ lam }) => gamma(lam.shape, lam.rate) },
  value: (u, lam) => Math.tanh((lam * u) / 2),
  addAtFactors(u, v, factors, lam, _slope, weight, acc) {
    const F = factors.length;
    for (let i = 0; i < F; i++) acc[i] += weight * Math.tanh((lam * (factors[i] * u + (1 - factors[i]) * v)) / 2);
  },
  series(u, offset, n, lam, _slope, value, dInput, dShape, dSlope) {
    const end = offset + n;
    const half = 0.5 * lam;
    // dh/du = lam (1 - h^2) / 2, dh/dlam = u (1 - h^2) / 2
    for (let i = offset; i < end; i++) {
      const h = Math.tanh(half * u[i]);
      const d = 0.5 * (1 - h * h);
      value[i] = h;
      dInput[i] = lam * d;
      dShape[i] = u[i] * d;
      dSlope[i] = 0;
    }
  },
});
