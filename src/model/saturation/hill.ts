/**
 * Hill saturation (Hill 1910; Meridian's default): h = u^s / (u^s + ec^s), with half-saturation ec on the
 * median-scaled media and slope s (1 unless `model.hillSlope` is 'learned').
 */
import { z } from 'zod';
import { bounded, logNormal } from '../priors/scalar-prior.ts';
import { defineSaturation } from './family.ts';

export const hill = defineSaturation({
  name: 'hill',
  priorSettings: {
    /** Hill half-saturation ec ~ TruncNormal(mean, sd, lower, upper) on the median-scaled media. */
    ec: z
      .object({
        mean: z.number().default(0.8),
        sd: z.number().positive().default(0.8),
        lower: z.number().positive().default(0.1),
        upper: z.number().positive().default(10),
      })
      .strict()
      .default({ mean: 0.8, sd: 0.8, lower: 0.1, upper: 10 }),
    /** Hill slope ~ LogNormal(mu, sigma) when learned. */
    slope: z
      .object({ mu: z.number().default(0), sigma: z.number().positive().default(0.3) })
      .strict()
      .default({ mu: 0, sigma: 0.3 }),
  },
  shape: { name: 'ec', prior: ({ ec }) => bounded(ec.lower, ec.upper, ec.mean, ec.sd) },
  slope: { prior: ({ slope }) => logNormal(slope.mu, slope.sigma) },
  value(u, ec, slope) {
    if (u <= 0) return 0;
    const q = slope === 1 ? u / ec : (u / ec) ** slope;
    return q / (1 + q);
  },
  addAtFactors(u, v, factors, ec, slope, weight, acc) {
    const F = factors.length;
    for (let i = 0; i < F; i++) {
      const x = factors[i] * u + (1 - factors[i]) * v;
      if (x <= 0) continue;
      const q = slope === 1 ? x / ec : (x / ec) ** slope;
      acc[i] += weight * (q / (1 + q));
    }
  },
  series(u, offset, n, ec, slope, value, dInput, dShape, dSlope) {
    const end = offset + n;
    if (slope === 1) {
      // h = u / (u + ec): dh/du = ec / (u + ec)^2, dh/dec = -u / (u + ec)^2
      for (let i = offset; i < end; i++) {
        const x = u[i];
        const inv = 1 / (x + ec);
        const h = x * inv;
        value[i] = h;
        dInput[i] = ec * inv * inv;
        dShape[i] = -h * inv;
        dSlope[i] = 0;
      }
      return;
    }
    // q = (u / ec)^s, h = q / (1 + q): dh/du = s h (1 - h) / u, dh/dec = -s h (1 - h) / ec, dh/ds = h (1 - h) log(u / ec)
    for (let i = offset; i < end; i++) {
      const x = u[i];
      if (x <= 0) {
        value[i] = 0;
        dInput[i] = 0;
        dShape[i] = 0;
        dSlope[i] = 0;
        continue;
      }
      const q = (x / ec) ** slope;
      const h = q / (1 + q);
      const hc = h * (1 - h);
      value[i] = h;
      dInput[i] = (slope * hc) / x;
      dShape[i] = (-slope * hc) / ec;
      dSlope[i] = hc * Math.log(x / ec);
    }
  },
});
