import { describe, expect, it } from 'vitest';
import { DenseMetric } from '../../src/inference/dense-metric.ts';
import { DiagonalMetric } from '../../src/inference/diagonal-metric.ts';
import { LowRankMetric } from '../../src/inference/low-rank-metric.ts';
import { type CorrelatedMetric, inverseMetricDiagonal, type Metric } from '../../src/inference/metric.ts';
import { createMetric, DENSE_MAX_DIM, metricChoiceFor } from '../../src/inference/metric-choice.ts';
import type { Rng } from '../../src/math/rng.ts';

const DIM = 4;
const DIAGONAL = Float64Array.of(4, 0.25, 1, 9);
/** Orthonormal directions (1, 1, 0, 0), (0, 0, 1, -1) and (1, -1, 0, 0), each divided by sqrt 2. */
const S = Math.SQRT1_2;
const VECTORS = Float64Array.of(S, S, 0, 0, 0, 0, S, -S, S, -S, 0, 0);
/** 10 and 0.05 lie outside [1/2, 2]; 1.5 inside it (low-rank drops it, dense keeps it). */
const VALUES = Float64Array.of(10, 0.05, 1.5);

/** An Rng whose normals are the entries of e_j, so a momentum draw returns column j of the momentum factor. */
function unitVectorRng(j: number): Rng {
  let i = 0;
  return { uniform: () => 0.5, normal: () => (i++ === j ? 1 : 0) };
}

/** D^1/2 (I + sum_j (L_j - 1) u_j u_j') D^1/2 over the eigenpairs kept, as a dense matrix. */
function expectedInverseMetric(kept: number[]): number[][] {
  return Array.from({ length: DIM }, (_, i) =>
    Array.from({ length: DIM }, (_, k) => {
      let scaled = i === k ? 1 : 0;
      for (const j of kept) scaled += (VALUES[j] - 1) * VECTORS[j * DIM + i] * VECTORS[j * DIM + k];
      return Math.sqrt(DIAGONAL[i]) * scaled * Math.sqrt(DIAGONAL[k]);
    }),
  );
}

function configured(metric: Metric): Metric {
  metric.diagonal.set(DIAGONAL);
  metric.refresh();
  if ('setCorrection' in metric) (metric as CorrelatedMetric).setCorrection(VALUES, VECTORS, VALUES.length);
  return metric;
}

describe.each([
  { name: 'diagonal', create: () => new DiagonalMetric(DIM), kept: [] as number[] },
  { name: 'low-rank', create: () => new LowRankMetric(DIM), kept: [0, 1] },
  { name: 'dense', create: () => new DenseMetric(DIM), kept: [0, 1, 2] },
])('the $name metric', ({ create, kept }) => {
  it("computes velocities M^-1 p = D^1/2 (I + U (L - I) U') D^1/2 p with the eigenpairs it keeps", () => {
    const metric = configured(create());
    const expected = expectedInverseMetric(kept);
    const out = new Float64Array(DIM);
    for (let k = 0; k < DIM; k++) {
      const p = new Float64Array(DIM);
      p[k] = 1;
      metric.velocity(p, out);
      for (let i = 0; i < DIM; i++) expect(out[i]).toBeCloseTo(expected[i][k], 12);
    }
    expect(Array.from(inverseMetricDiagonal(metric.state()))).toEqual(expected.map((row, i) => expect.closeTo(row[i], 12)));
    expect(metric.state().eigenvalues.length).toBe(kept.length);
  });

  it("draws momenta with covariance M: F F' M^-1 = I for the factor F the draws apply to standard normals", () => {
    const metric = configured(create());
    const columns = Array.from({ length: DIM }, (_, j) => {
      const p = new Float64Array(DIM);
      metric.sampleMomentum(unitVectorRng(j), p);
      return p;
    });
    const out = new Float64Array(DIM);
    for (let k = 0; k < DIM; k++) {
      // Row k of F F' times M^-1: sum_j F_kj (M^-1 F e_j)' (M^-1 symmetric).
      const row = new Float64Array(DIM);
      for (const column of columns) {
        metric.velocity(column, out);
        for (let i = 0; i < DIM; i++) row[i] += column[k] * out[i];
      }
      for (let i = 0; i < DIM; i++) expect(row[i]).toBeCloseTo(i === k ? 1 : 0, 12);
    }
  });
});

describe('metricChoiceFor', () => {
  it("gives 'auto' Stan's windowed dense metric up to DENSE_MAX_DIM coordinates and nutpie's diagonal above; the rest force one", () => {
    expect(metricChoiceFor('auto', DENSE_MAX_DIM, true)).toEqual({ kind: 'dense', warmup: 'windowed' });
    expect(metricChoiceFor('auto', DENSE_MAX_DIM + 1, true)).toEqual({ kind: 'diagonal', warmup: 'gradient' });
    // A target whose coordinates were built uncorrelated gets the diagonal metric at any size; a forced choice stands.
    expect(metricChoiceFor('auto', 10, false)).toEqual({ kind: 'diagonal', warmup: 'gradient' });
    expect(metricChoiceFor('windowed-dense', 10, false)).toEqual({ kind: 'dense', warmup: 'windowed' });
    expect(metricChoiceFor('windowed-dense', 1000, true)).toEqual({ kind: 'dense', warmup: 'windowed' });
    expect(metricChoiceFor('low-rank', 3, true)).toEqual({ kind: 'low-rank', warmup: 'gradient' });
    expect(metricChoiceFor('dense', 1000, true)).toEqual({ kind: 'dense', warmup: 'gradient' });
    expect(metricChoiceFor('gradient', 3, true)).toEqual({ kind: 'diagonal', warmup: 'gradient' });
    expect(metricChoiceFor('windowed', 3, true)).toEqual({ kind: 'diagonal', warmup: 'windowed' });
  });
});
