/**
 * The Euclidean metric of HMC: the kinetic energy p' M^-1 p / 2 with momenta p ~ N(0, M). The kernel
 * (nuts.ts) only draws momenta and asks for velocities M^-1 p; the kinds differ in the shape of M^-1:
 *
 *   M^-1 = D^1/2 (I + U (L - I) U') D^1/2
 *
 * with D a positive diagonal and U (dim x rank, orthonormal columns) the directions whose scaled variance
 * L differs from 1 (Seyboldt, Carlson and Carpenter, "Preconditioning Hamiltonian Monte Carlo by minimizing
 * Fisher divergence", 2026, section on the low-rank plus diagonal estimator):
 * - 'diagonal' (diagonal-metric.ts): no U, M^-1 = D;
 * - 'low-rank' (low-rank-metric.ts): the eigenpairs of an estimate outside a band around 1;
 * - 'dense' (dense-metric.ts): all of them, M^-1 kept as a full matrix.
 * Warm-up (warmup.ts) writes D in place and hands over eigenpairs; every operation the trajectory calls
 * works in buffers allocated once.
 */
import { z } from 'zod';
import type { Rng } from '../math/rng.ts';

export const METRIC_KINDS = ['diagonal', 'low-rank', 'dense'] as const;
export type MetricKind = (typeof METRIC_KINDS)[number];

/** A metric as a chain ends warm-up with it: enough to rebuild M^-1 (ChainResult.metric). */
export const metricStateSchema = z
  .object({
    kind: z.enum(METRIC_KINDS),
    /** D, length dim. */
    diagonal: z.instanceof(Float64Array),
    /** L, length rank (empty for the diagonal metric). */
    eigenvalues: z.instanceof(Float64Array),
    /** U, rank x dim row-major: row j is the j-th direction, in the coordinates scaled by D^-1/2. */
    eigenvectors: z.instanceof(Float64Array),
  })
  .strict();

export type MetricState = z.infer<typeof metricStateSchema>;

export interface Metric {
  readonly kind: MetricKind;
  readonly dim: number;
  /** D of M^-1 = D^1/2 (I + U (L - I) U') D^1/2; warm-up writes it in place and then calls `refresh`. */
  readonly diagonal: Float64Array;
  /** Recomputes what the metric derives from D after warm-up wrote into `diagonal`. */
  refresh(): void;
  /** Writes a momentum p ~ N(0, M) drawn with `rng` into p (dim standard normals, in order). */
  sampleMomentum(rng: Rng, p: Float64Array): void;
  /** Writes the velocity M^-1 p (the sharp momentum of the no-U-turn criterion) into out. */
  velocity(p: Float64Array, out: Float64Array): void;
  /** A copy of the metric's current parameters. */
  state(): MetricState;
}

/** A metric that follows correlations: warm-up hands it the eigenpairs of its estimate in scaled coordinates. */
export interface CorrelatedMetric extends Metric {
  /** How many directions the metric currently corrects. */
  readonly rank: number;
  /**
   * Takes the eigenpairs (values[j], row j of vectors: count x dim, orthonormal) of the scaled estimate
   * D^-1/2 Sigma D^-1/2 and keeps those its kind keeps. Copies them: the caller may reuse its buffers.
   */
  setCorrection(values: Float64Array, vectors: Float64Array, count: number): void;
}

export const isCorrelatedMetric = (metric: Metric): metric is CorrelatedMetric => 'setCorrection' in metric;

/** diag(M^-1)_i = D_i (1 + sum_j (L_j - 1) U_ji^2): per-coordinate variances under the metric. */
export function inverseMetricDiagonal(state: MetricState): Float64Array<ArrayBuffer> {
  const { diagonal, eigenvalues, eigenvectors } = state;
  const dim = diagonal.length;
  const out = new Float64Array(dim);
  for (let i = 0; i < dim; i++) {
    let scaled = 1;
    for (let j = 0; j < eigenvalues.length; j++) scaled += (eigenvalues[j] - 1) * eigenvectors[j * dim + i] ** 2;
    out[i] = diagonal[i] * scaled;
  }
  return out;
}
