/** Posterior summaries of one scalar quantity: mean and the central 90% interval. */
import { z } from 'zod';
import { quantileOfSorted } from '../inference/diagnostics/quantile.ts';

export const intervalSchema = z.object({ mean: z.number(), p05: z.number(), p95: z.number() }).strict();
export type Interval = z.infer<typeof intervalSchema>;

export interface IntervalWithMedian extends Interval {
  p50: number;
}

export function summarizeDraws(values: Float64Array): IntervalWithMedian {
  let sum = 0;
  for (let i = 0; i < values.length; i++) sum += values[i];
  const sorted = Float64Array.from(values).sort();
  return {
    mean: sum / values.length,
    p05: quantileOfSorted(sorted, 0.05),
    p50: quantileOfSorted(sorted, 0.5),
    p95: quantileOfSorted(sorted, 0.95),
  };
}

export function interval(values: Float64Array): Interval {
  const { mean, p05, p95 } = summarizeDraws(values);
  return { mean, p05, p95 };
}
