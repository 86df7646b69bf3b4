/**
 * Which metric a chain uses (metric.ts) and which warm-up scheme estimates it (warmup.ts), from the
 * sampler's `metricAdaptation`, the target's dimension and whether its coordinates are correlated. 'auto',
 * the default, follows correlations where they remain and the warm-up can estimate them: for a correlated
 * target of up to DENSE_MAX_DIM coordinates the dense metric estimated by Stan's windowed scheme from the
 * draws' covariance (dense_e); otherwise nutpie's diagonal metric from draws and gradients, whose warm-up is
 * the shortest (on Meridian's 40-geo data 3x fewer warm-up gradients than Stan's).
 *
 * National MMMs under the normal likelihood declare themselves uncorrelated (LogDensity.correlated): their
 * linear baseline is integrated out (src/model/conditional-baseline.ts), which removed the correlations the
 * dense metric was chosen for. On the five national benchmark sets (20-35 coordinates, 4 x (1000 + 1000),
 * docs/model.md "Sampler benchmarks") the diagonal metric then reached a min bulk ESS per draw of 0.44-0.79
 * and the windowed dense one 0.56-0.95, but the dense metric's warm-up ran to its cap (250,000-300,000
 * gradients against 26,000-33,000), so the diagonal gave 1.2-3.2x the ESS per second. Before that change the
 * dense metric reached 0.32-0.81 per draw and the diagonal 0.19-0.56.
 */
import { DenseMetric } from './dense-metric.ts';
import { DiagonalMetric } from './diagonal-metric.ts';
import { LowRankMetric } from './low-rank-metric.ts';
import type { Metric, MetricKind } from './metric.ts';
import type { MetricAdaptation } from './sampler-settings.ts';

/**
 * The largest dimension 'auto' gives a dense metric. The last slow window of a 1,000-iteration warm-up
 * holds 500 draws; with at least 10 per coordinate the sample covariance's eigenvalues stay within
 * (1 +- 0.32)^2 of the truth (Marchenko-Pastur, ratio 0.1), with 5 per coordinate (dim 100) they spread
 * over 0.3-2.1 and the metric is worse than none (a 100-d standard normal needed several times the
 * gradients). The dense velocity itself is cheap at this size: 2,500 multiply-adds per leapfrog step.
 */
export const DENSE_MAX_DIM = 50;

/** Stan's windowed warm-up or nutpie's (warmup.ts). */
export type WarmupScheme = 'windowed' | 'gradient';

export interface MetricChoice {
  kind: MetricKind;
  warmup: WarmupScheme;
}

/** `correlated`: whether the target's coordinates keep correlations (LogDensity.correlated; true when it does not say). */
export function metricChoiceFor(adaptation: MetricAdaptation, dim: number, correlated: boolean): MetricChoice {
  switch (adaptation) {
    case 'gradient':
      return { kind: 'diagonal', warmup: 'gradient' };
    case 'windowed':
      return { kind: 'diagonal', warmup: 'windowed' };
    case 'windowed-dense':
      return { kind: 'dense', warmup: 'windowed' };
    case 'dense':
      return { kind: 'dense', warmup: 'gradient' };
    case 'low-rank':
      return { kind: 'low-rank', warmup: 'gradient' };
    case 'auto':
      return correlated && dim <= DENSE_MAX_DIM ? { kind: 'dense', warmup: 'windowed' } : { kind: 'diagonal', warmup: 'gradient' };
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
