/**
 * What the optimizer maximises over the posterior draws of the calibrated total outcome (DESIGN.md
 * section 4): the mean (default), a quantile (e.g. q05: the outcome reached in 95% of draws), or
 * mean - lambda x sd.
 */
import { z } from 'zod';
import { quantileOfSorted } from '../inference/diagnostics/quantile.ts';

export const objectiveSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('mean') }).strict(),
  z.object({ kind: z.literal('quantile'), q: z.number().gt(0).lt(1) }).strict(),
  z.object({ kind: z.literal('meanMinusSd'), lambda: z.number().positive() }).strict(),
]);

export type Objective = z.infer<typeof objectiveSchema>;

export const MEAN_OBJECTIVE: Objective = { kind: 'mean' };

export class ObjectiveSyntaxError extends Error {
  constructor(readonly text: string) {
    super(`objective '${text}' is not one of: mean, qNN (a posterior percentile, e.g. q05), mean-sd:LAMBDA (e.g. mean-sd:1)`);
    this.name = 'ObjectiveSyntaxError';
  }
}

/** 'mean' | 'q05' | 'mean-sd:1' */
export function parseObjective(text: string): Objective {
  if (text === 'mean') return MEAN_OBJECTIVE;
  const quantile = /^q(\d{1,2}(?:\.\d+)?)$/.exec(text);
  if (quantile && Number(quantile[1]) > 0) return { kind: 'quantile', q: Number(quantile[1]) / 100 };
  const meanSd = /^mean-sd:(\d+(?:\.\d+)?)$/.exec(text);
  if (meanSd && Number(meanSd[1]) > 0) return { kind: 'meanMinusSd', lambda: Number(meanSd[1]) };
  throw new ObjectiveSyntaxError(text);
}

export function describeObjective(objective: Objective): string {
  switch (objective.kind) {
    case 'mean':
      return 'mean';
    case 'quantile':
      return `q${String(Number((objective.q * 100).toFixed(6))).padStart(2, '0')}`;
    case 'meanMinusSd':
      return `mean-sd:${objective.lambda}`;
  }
}

export const meanOf = (draws: Float64Array): number => draws.reduce((sum, v) => sum + v, 0) / draws.length;

/** Sample standard deviation, sqrt(sum (x - mean)^2 / (n - 1)). */
export function sampleSd(draws: Float64Array): number {
  const mean = meanOf(draws);
  const squares = draws.reduce((sum, v) => sum + (v - mean) ** 2, 0);
  return Math.sqrt(squares / (draws.length - 1));
}

export function objectiveValue(objective: Objective, draws: Float64Array): number {
  switch (objective.kind) {
    case 'mean':
      return meanOf(draws);
    case 'quantile':
      return quantileOfSorted(Float64Array.from(draws).sort(), objective.q);
    case 'meanMinusSd':
      return meanOf(draws) - objective.lambda * sampleSd(draws);
  }
}
