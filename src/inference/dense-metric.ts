/**
 * The dense metric (metric.ts): every eigenpair of the scaled estimate is kept, so M^-1 is a full
 * matrix, held explicitly: a velocity costs one dim x dim product, cheaper than the low-rank form's two
 * passes once most directions are corrected. For small dimensions only (metric-choice.ts).
 */
import type { Rng } from '../math/rng.ts';
import type { CorrelatedMetric, MetricState } from './metric.ts';

export class DenseMetric implements CorrelatedMetric {
  readonly kind = 'dense';
  readonly diagonal: Float64Array;
  /** S = I + U (L - I) U' in scaled coordinates (dim x dim, row-major). */
  private readonly scaledInverse: Float64Array;
  /** R = I + U (L^-1/2 - I) U', the symmetric root of S^-1. */
  private readonly scaledRoot: Float64Array;
  /** M^-1 = D^1/2 S D^1/2. */
  private readonly inverseMetric: Float64Array;
  private readonly scale: Float64Array;
  /** Standard normals of the momentum being drawn. */
  private readonly normals: Float64Array;
  private values = new Float64Array(0);
  private vectors = new Float64Array(0);

  /** Starts at the unit metric. */
  constructor(readonly dim: number) {
    this.diagonal = new Float64Array(dim).fill(1);
    this.scaledInverse = identity(dim);
    this.scaledRoot = identity(dim);
    this.inverseMetric = identity(dim);
    this.scale = new Float64Array(dim).fill(1);
    this.normals = new Float64Array(dim);
  }

  get rank(): number {
    return this.values.length;
  }

  /** D^1/2 and M^-1 = D^1/2 S D^1/2. */
  refresh(): void {
    const { dim, scale, scaledInverse, inverseMetric } = this;
    for (let i = 0; i < dim; i++) scale[i] = Math.sqrt(this.diagonal[i]);
    for (let i = 0; i < dim; i++) {
      for (let k = 0; k < dim; k++) inverseMetric[i * dim + k] = scale[i] * scaledInverse[i * dim + k] * scale[k];
    }
  }

  setCorrection(values: Float64Array, vectors: Float64Array, count: number): void {
    const { dim } = this;
    this.values = values.slice(0, count);
    this.vectors = vectors.slice(0, count * dim);
    fillCorrected(this.scaledInverse, dim, this.values, this.vectors, (value) => value - 1);
    fillCorrected(this.scaledRoot, dim, this.values, this.vectors, (value) => 1 / Math.sqrt(value) - 1);
    this.refresh();
  }

  /** p = D^-1/2 R z, z ~ N(0, I): Cov(p) = D^-1/2 S^-1 D^-1/2 = M. */
  sampleMomentum(rng: Rng, p: Float64Array): void {
    const { dim, normals, scaledRoot, scale } = this;
    for (let i = 0; i < dim; i++) normals[i] = rng.normal();
    for (let i = 0; i < dim; i++) {
      let sum = 0;
      for (let k = 0; k < dim; k++) sum += scaledRoot[i * dim + k] * normals[k];
      p[i] = sum / scale[i];
    }
  }

  velocity(p: Float64Array, out: Float64Array): void {
    const { dim, inverseMetric } = this;
    for (let i = 0; i < dim; i++) {
      let sum = 0;
      for (let k = 0; k < dim; k++) sum += inverseMetric[i * dim + k] * p[k];
      out[i] = sum;
    }
  }

  state(): MetricState {
    return {
      kind: 'dense',
      diagonal: Float64Array.from(this.diagonal),
      eigenvalues: this.values.slice(),
      eigenvectors: this.vectors.slice(),
    };
  }
}

function identity(dim: number): Float64Array {
  const out = new Float64Array(dim * dim);
  for (let i = 0; i < dim; i++) out[i * dim + i] = 1;
  return out;
}

/** out = I + sum_j f(L_j) u_j u_j' (dim x dim). */
function fillCorrected(out: Float64Array, dim: number, values: Float64Array, vectors: Float64Array, f: (value: number) => number): void {
  out.fill(0);
  for (let i = 0; i < dim; i++) out[i * dim + i] = 1;
  for (let j = 0; j < values.length; j++) {
    const weight = f(values[j]);
    const offset = j * dim;
    for (let i = 0; i < dim; i++) {
      const wi = weight * vectors[offset + i];
      for (let k = 0; k < dim; k++) out[i * dim + k] += wi * vectors[offset + k];
    }
  }
}
