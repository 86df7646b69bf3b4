/**
 * Which metric a chain uses (metric.ts), from the sampler's `metricAdaptation` and the target's dimension.
 * 'auto' follows correlations: the dense metric up to DENSE_MAX_DIM coordinates, where a
 * full dim x dim velocity costs little next to a gradient (dim 100: 1e4 multiply-adds per leapfrog step,
 * against ~1 ms for the national MMM's gradient at dim 34) and every correlated direction is corrected;
 * above it nutpie's low-rank correction, whose cost grows with the number of directions kept, not dim^2.
 */
import { DenseMetric } from './dense-metric.ts';
import { DiagonalMetric } from './diagonal-metric.ts';
import { LowRankMetric } from './low-rank-metric.ts';
import type { Metric, MetricKind } from './metric.ts';
import type { MetricAdaptation } from './sampler-settings.ts';

/** The largest dimension 'auto' gives a dense metric. */
export const DENSE_MAX_DIM = 100;

export function metricKindFor(adaptation: MetricAdaptation, dim: number): MetricKind {
  switch (adaptation) {
    case 'windowed':
    case 'gradient':
      return 'diagonal';
    case 'low-rank':
      return 'low-rank';
    case 'dense':
      return 'dense';
    case 'auto':
      return dim <= DENSE_MAX_DIM ? 'dense' : 'low-rank';
  }
}

/** The unit metric of the given kind. */
export function createMetric(kind: MetricKind, dim: number): Metric {
  switch (kind) {
    case 'diagonal':
      return new DiagonalMetric(dim);
    case 'low-rank':
      return new LowRankMetric(dim);
    case 'dense':
      return new DenseMetric(dim);
  }
}
