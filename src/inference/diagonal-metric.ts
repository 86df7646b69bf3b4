/** The diagonal metric M^-1 = D: each coordinate scaled on its own, no correlations followed (metric.ts). */
import type { Rng } from '../math/rng.ts';
import type { Metric, MetricState } from './metric.ts';

export class DiagonalMetric implements Metric {
  readonly kind = 'diagonal';
  readonly diagonal: Float64Array;

  /** Starts at the unit metric. */
  constructor(readonly dim: number) {
    this.diagonal = new Float64Array(dim).fill(1);
  }

  refresh(): void {}

  /** p_i = N(0, 1) / sqrt(D_i). */
  sampleMomentum(rng: Rng, p: Float64Array): void {
    const d = this.diagonal;
    for (let i = 0; i < this.dim; i++) p[i] = rng.normal() / Math.sqrt(d[i]);
  }

  velocity(p: Float64Array, out: Float64Array): void {
    const d = this.diagonal;
    for (let i = 0; i < this.dim; i++) out[i] = d[i] * p[i];
  }

  state(): MetricState {
    return {
      kind: 'diagonal',
      diagonal: Float64Array.from(this.diagonal),
      eigenvalues: new Float64Array(0),
      eigenvectors: new Float64Array(0),
    };
  }
}
