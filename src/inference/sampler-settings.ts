/**
 * The settings NUTS runs under (sampler.ts): the engine's own limits, what a run needs to be possible at
 * all (tests run chains with no warm-up). This is the one schema of sampler settings: the user-level
 * settings of the config, the workflow input and the CLI flags (src/config/sampler-config.ts) are derived
 * from it with stricter limits. It imports zod only: the workflow bundle loads it (docs/architecture.md).
 */
import { z } from 'zod';

/**
 * The metric and how warm-up estimates it (warmup.ts, metric-choice.ts). 'auto' (default): Stan's
 * windowed dense metric for targets of up to 50 coordinates that keep correlations, nutpie's gradient-based
 * diagonal otherwise (metricChoiceFor). The rest force
 * one: 'gradient' (nutpie's diagonal), 'windowed' (Stan's diagonal), 'windowed-dense' (Stan's dense),
 * 'dense' and 'low-rank' (nutpie's estimate from draws and gradients, in full or its low-rank correction).
 */
export const METRIC_ADAPTATIONS = ['auto', 'low-rank', 'dense', 'gradient', 'windowed', 'windowed-dense'] as const;
export type MetricAdaptation = (typeof METRIC_ADAPTATIONS)[number];

export const samplerSettingsSchema = z
  .object({
    chains: z.number().int().min(1),
    warmup: z.number().int().min(0),
    draws: z.number().int().min(1),
    seed: z.number().int().min(0),
    /** Trajectories stop after 2^maxTreeDepth - 1 leapfrog steps; 30 is already ~1e9 gradients per draw. */
    maxTreeDepth: z.number().int().min(1).max(30).default(10),
    /** Mean acceptance statistic dual averaging aims for. */
    targetAccept: z.number().gt(0).lt(1).default(0.85),
    metricAdaptation: z.enum(METRIC_ADAPTATIONS).default('auto'),
    /** Worker threads for sampleParallel; default min(chains, os.availableParallelism()). */
    threads: z.number().int().min(1).optional(),
  })
  .strict();

/** Settings after defaults: what a worker thread receives. */
export type SamplerSettings = z.output<typeof samplerSettingsSchema>;
