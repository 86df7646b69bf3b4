/**
 * The sampler settings a user gives (the config's `sampler` section, a retrain's overrides in its
 * workflow input, the CLI's --chains/--warmup/--draws/--seed): the engine's schema
 * (src/inference/sampler-settings.ts) with stricter limits, so that a setting no fit could pass is
 * refused where the user gives it, not after hours of sampling. Imports zod and the engine's schema only:
 * the workflow bundle parses retrain inputs with it.
 */
import { z } from 'zod';
import { samplerSettingsSchema } from '../inference/sampler-settings.ts';

const engine = samplerSettingsSchema.shape;

/** Each setting within the user-level limits, without defaults (an override may leave any out). */
const userSetting = {
  /** Chains run on worker threads at once; more than 64 is a machine's worth of cores many times over. */
  chains: engine.chains.max(64),
  /** Fewer warm-up iterations cannot adapt a step size and metric: the diagnostics would refuse the fit. */
  warmup: engine.warmup.min(10),
  /** Fewer draws per chain give no effective sample size or R-hat worth the name. */
  draws: engine.draws.min(10),
  seed: engine.seed,
  /** 2^15 - 1 leapfrog steps per draw is already far past any trajectory a healthy fit needs. */
  maxTreeDepth: engine.maxTreeDepth.unwrap().max(15),
};

/** The config's `sampler` section, every field defaulted; what `mmm fit` and a retrain run under after overrides are merged. */
export const samplerSchema = z
  .object({
    chains: userSetting.chains.default(4),
    warmup: userSetting.warmup.default(1000),
    draws: userSetting.draws.default(1000),
    seed: userSetting.seed.default(1),
    maxTreeDepth: userSetting.maxTreeDepth.default(10),
    targetAccept: engine.targetAccept,
    metricAdaptation: engine.metricAdaptation,
  })
  .strict();
export type SamplerConfig = z.infer<typeof samplerSchema>;

/** What a retrain or a CLI flag may override, each within the same limits; the merged settings are parsed with samplerSchema. */
export const samplerOverridesSchema = z
  .object({
    chains: userSetting.chains.optional(),
    warmup: userSetting.warmup.optional(),
    draws: userSetting.draws.optional(),
    seed: userSetting.seed.optional(),
  })
  .strict();
export type SamplerOverrides = z.infer<typeof samplerOverridesSchema>;
