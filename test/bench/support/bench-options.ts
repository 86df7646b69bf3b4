/**
 * Options the sampler benchmarks share: which datasets (positional arguments or MMM_BENCH_DATASETS),
 * which metric adaptations side by side (--metrics a,b or MMM_BENCH_METRICS; any value of
 * `sampler.metricAdaptation`, so new metrics need no edit here) and the chain lengths
 * (MMM_BENCH_CHAINS, MMM_BENCH_WARMUP, MMM_BENCH_DRAWS) for quick runs.
 */
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { METRIC_ADAPTATIONS, samplerSettingsSchema, type MetricAdaptation } from '../../../src/inference/sampler-settings.ts';

/** The product's default metric adaptation. */
export const DEFAULT_METRIC: MetricAdaptation = samplerSettingsSchema.shape.metricAdaptation.parse(undefined);
/** The default before the current one (issue 13 compares them): the baseline of the ratios. */
export const PREDECESSOR_METRIC: MetricAdaptation = 'windowed';

export interface BenchOptions {
  /** Dataset names, in the order given. */
  names: string[];
  /** Metric adaptations fitted side by side; the first is the baseline ("old") the others are compared with. */
  metrics: MetricAdaptation[];
  chains: number;
  warmup: number;
  draws: number;
}

const metricSchema = z.enum(METRIC_ADAPTATIONS);
const countSchema = z.coerce.number().int().min(1);

function listOption(flag: string | undefined, env: string | undefined): string[] | null {
  const text = flag ?? env;
  if (text === undefined || text.trim() === '') return null;
  return text
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
}

/** A positive integer from environment variable `name`, or `fallback` when unset; anything else is refused by name. */
export function envCount(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined) return fallback;
  const parsed = countSchema.safeParse(raw);
  if (!parsed.success) throw new Error(`${name}='${raw}' is not a positive integer`);
  return parsed.data;
}

export function benchOptions(
  known: readonly string[],
  defaults: { metrics: MetricAdaptation[]; chains: number; warmup: number; draws: number },
): BenchOptions {
  const { values, positionals } = parseArgs({ options: { metrics: { type: 'string' } }, allowPositionals: true });
  const names = positionals.length > 0 ? positionals : (listOption(undefined, process.env.MMM_BENCH_DATASETS) ?? [...known]);
  for (const name of names) {
    if (!known.includes(name)) throw new Error(`unknown dataset '${name}'; known: ${known.join(', ')}`);
  }
  const metricNames = listOption(values.metrics, process.env.MMM_BENCH_METRICS) ?? defaults.metrics;
  const metrics = metricNames.map((name) => {
    const parsed = metricSchema.safeParse(name);
    if (!parsed.success) throw new Error(`unknown metric adaptation '${name}' in --metrics; known: ${METRIC_ADAPTATIONS.join(', ')}`);
    return parsed.data;
  });
  return {
    names,
    metrics,
    chains: envCount('MMM_BENCH_CHAINS', defaults.chains),
    warmup: envCount('MMM_BENCH_WARMUP', defaults.warmup),
    draws: envCount('MMM_BENCH_DRAWS', defaults.draws),
  };
}
