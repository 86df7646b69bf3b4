/**
 * Test targets with known moments. Each export is a factory `(args) => LogDensity`, so it also serves as
 * a TargetSpec export for worker threads.
 */
import { z } from 'zod';
import type { LogDensity } from '../../src/inference/log-density.ts';
import { createRng } from '../../src/math/rng.ts';

/** File URL of this module, for TargetSpec.module. */
export const TARGETS_MODULE = import.meta.url;

const dimArgs = z.object({ dim: z.number().int().min(1) }).strict();

/** N(0, I): log p = -|theta|^2 / 2. */
export function standardNormal(args: unknown): LogDensity {
  const { dim } = dimArgs.parse(args);
  return {
    dim,
    logDensityGradient(theta, grad) {
      let sum = 0;
      for (let i = 0; i < dim; i++) {
        grad[i] = -theta[i];
        sum += theta[i] * theta[i];
      }
      return -0.5 * sum;
    },
  };
}

const correlatedArgs = z
  .object({
    sd: z.tuple([z.number().positive(), z.number().positive()]),
    correlation: z.number().gt(-1).lt(1),
  })
  .strict();

/** Bivariate normal, mean 0: log p = -theta' P theta / 2 with P the inverse of [[s1^2, r s1 s2], [r s1 s2, s2^2]]. */
export function correlatedGaussian(args: unknown): LogDensity {
  const {
    sd: [s1, s2],
    correlation: r,
  } = correlatedArgs.parse(args);
  const det = s1 * s1 * s2 * s2 * (1 - r * r);
  const p11 = (s2 * s2) / det;
  const p22 = (s1 * s1) / det;
  const p12 = (-r * s1 * s2) / det;
  return {
    dim: 2,
    logDensityGradient(theta, grad) {
      const g0 = -(p11 * theta[0] + p12 * theta[1]);
      const g1 = -(p12 * theta[0] + p22 * theta[1]);
      grad[0] = g0;
      grad[1] = g1;
      return 0.5 * (theta[0] * g0 + theta[1] * g1);
    },
  };
}

const funnelArgs = z.object({ zCount: z.number().int().min(1), vScale: z.number().positive() }).strict();

/**
 * Neal's funnel, non-centred: theta = (v, z_1..z_n) with v ~ N(0, vScale^2), z_i ~ N(0, 1); the funnel
 * coordinates x_i = exp(v / 2) z_i are derived quantities. log p = -v^2 / (2 vScale^2) - |z|^2 / 2.
 */
export function nonCentredFunnel(args: unknown): LogDensity {
  const { zCount, vScale } = funnelArgs.parse(args);
  const vPrecision = 1 / (vScale * vScale);
  return {
    dim: zCount + 1,
    logDensityGradient(theta, grad) {
      grad[0] = -vPrecision * theta[0];
      let sum = vPrecision * theta[0] * theta[0];
      for (let i = 1; i <= zCount; i++) {
        grad[i] = -theta[i];
        sum += theta[i] * theta[i];
      }
      return -0.5 * sum;
    },
  };
}

/** A broken model: the log density is NaN everywhere. */
export function nanDensity(args: unknown): LogDensity {
  const { dim } = dimArgs.parse(args);
  return {
    dim,
    logDensityGradient(_theta, grad) {
      grad.fill(0);
      return Number.NaN;
    },
  };
}

const spikedArgs = z
  .object({
    dim: z.number().int().min(2),
    spikes: z.number().int().min(1),
    spikeVariance: z.number().positive(),
    seed: z.number().int().min(0),
  })
  .strict();

/**
 * N(0, I + sum_k (s - 1) u_k u_k'): unit variance except along `spikes` orthonormal directions u_k of
 * variance s = spikeVariance, drawn at random (Gram-Schmidt of Gaussian vectors from `seed`), so every
 * coordinate shares in them and no diagonal metric can scale them away. log p = -theta' P theta / 2
 * with P = I - sum_k (1 - 1/s) u_k u_k'.
 */
export function spikedGaussian(args: unknown): LogDensity & { directions: Float64Array[] } {
  const { dim, spikes, spikeVariance, seed } = spikedArgs.parse(args);
  const rng = createRng(seed, 0);
  const directions: Float64Array[] = [];
  while (directions.length < spikes) {
    const u = Float64Array.from({ length: dim }, () => rng.normal());
    for (const v of directions) {
      const projection = u.reduce((acc, x, i) => acc + x * v[i], 0);
      for (let i = 0; i < dim; i++) u[i] -= projection * v[i];
    }
    const norm = Math.hypot(...u);
    directions.push(u.map((x) => x / norm));
  }
  const shrink = 1 - 1 / spikeVariance;
  return {
    dim,
    directions,
    logDensityGradient(theta, grad) {
      let quadratic = 0;
      for (let i = 0; i < dim; i++) {
        grad[i] = -theta[i];
        quadratic += theta[i] * theta[i];
      }
      for (const u of directions) {
        let projection = 0;
        for (let i = 0; i < dim; i++) projection += u[i] * theta[i];
        quadratic -= shrink * projection * projection;
        for (let i = 0; i < dim; i++) grad[i] += shrink * projection * u[i];
      }
      return -0.5 * quadratic;
    },
  };
}
