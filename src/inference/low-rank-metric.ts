/**
 * nutpie's low-rank plus diagonal metric (metric.ts): M^-1 = D^1/2 (I + U (L - I) U') D^1/2 keeping only
 * the eigenpairs of the scaled estimate with L_j outside [1 / c, c], c = 2 as in nutpie (nuts-rs's
 * `eigval_cutoff`): directions the diagonal already scales to within a factor 2 cost more to correct than
 * they gain. A velocity costs O(dim x rank).
 */
import type { Rng } from '../math/rng.ts';
import type { CorrelatedMetric, MetricState } from './metric.ts';

/** Eigenvalues of the scaled estimate inside [1 / EIGENVALUE_CUTOFF, EIGENVALUE_CUTOFF] are dropped. */
export const EIGENVALUE_CUTOFF = 2;

export class LowRankMetric implements CorrelatedMetric {
  readonly kind = 'low-rank';
  readonly diagonal: Float64Array;
  private readonly scale: Float64Array;
  /** U, row j is direction j (rows rank .. dim - 1 unused). */
  private readonly vectors: Float64Array;
  private readonly values: Float64Array;
  /** L_j - 1, for the velocity. */
  private readonly valueMinusOne: Float64Array;
  /** L_j^-1/2 - 1, for the momentum. */
  private readonly inverseRootMinusOne: Float64Array;
  /** Projections U'y of the vector being transformed (length rank). */
  private readonly projection: Float64Array;
  private currentRank = 0;

  /** Starts at the unit metric. */
  constructor(readonly dim: number) {
    this.diagonal = new Float64Array(dim).fill(1);
    this.scale = new Float64Array(dim).fill(1);
    this.vectors = new Float64Array(dim * dim);
    this.values = new Float64Array(dim);
    this.valueMinusOne = new Float64Array(dim);
    this.inverseRootMinusOne = new Float64Array(dim);
    this.projection = new Float64Array(dim);
  }

  get rank(): number {
    return this.currentRank;
  }

  /** D^1/2. */
  refresh(): void {
    for (let i = 0; i < this.dim; i++) this.scale[i] = Math.sqrt(this.diagonal[i]);
  }

  setCorrection(values: Float64Array, vectors: Float64Array, count: number): void {
    const { dim } = this;
    let rank = 0;
    for (let j = 0; j < count; j++) {
      const value = values[j];
      if (value >= 1 / EIGENVALUE_CUTOFF && value <= EIGENVALUE_CUTOFF) continue;
      this.vectors.set(vectors.subarray(j * dim, (j + 1) * dim), rank * dim);
      this.values[rank] = value;
      this.valueMinusOne[rank] = value - 1;
      this.inverseRootMinusOne[rank] = 1 / Math.sqrt(value) - 1;
      rank += 1;
    }
    this.currentRank = rank;
  }

  /**
   * p = D^-1/2 (I + U (L^-1/2 - I) U') z, z ~ N(0, I): the symmetric root of M = D^-1/2 (I + U (L^-1 - I) U') D^-1/2
   * (U has orthonormal columns), so Cov(p) = M.
   */
  sampleMomentum(rng: Rng, p: Float64Array): void {
    for (let i = 0; i < this.dim; i++) p[i] = rng.normal();
    this.correct(p, this.inverseRootMinusOne);
    for (let i = 0; i < this.dim; i++) p[i] /= this.scale[i];
  }

  /** out = D^1/2 (I + U (L - I) U') D^1/2 p. */
  velocity(p: Float64Array, out: Float64Array): void {
    const { scale, dim } = this;
    for (let i = 0; i < dim; i++) out[i] = scale[i] * p[i];
    this.correct(out, this.valueMinusOne);
    for (let i = 0; i < dim; i++) out[i] *= scale[i];
  }

  /** y <- y + U (f * (U'y)) in place. */
  private correct(y: Float64Array, factor: Float64Array): void {
    const { vectors, projection, dim } = this;
    const rank = this.currentRank;
    for (let j = 0; j < rank; j++) {
      let dot = 0;
      const offset = j * dim;
      for (let i = 0; i < dim; i++) dot += vectors[offset + i] * y[i];
      projection[j] = factor[j] * dot;
    }
    for (let j = 0; j < rank; j++) {
      const weight = projection[j];
      const offset = j * dim;
      for (let i = 0; i < dim; i++) y[i] += weight * vectors[offset + i];
    }
  }

  state(): MetricState {
    const rank = this.currentRank;
    return {
      kind: 'low-rank',
      diagonal: Float64Array.from(this.diagonal),
      eigenvalues: this.values.slice(0, rank),
      eigenvectors: this.vectors.slice(0, rank * this.dim),
    };
  }
}
