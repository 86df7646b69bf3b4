/**
 * The retrain input's sampler overrides are held to the user-level limits derived from the engine's one
 * schema of sampler settings, so a setting no fit could pass is refused with the input, before any
 * activity runs (issue 12: `warmup 5` used to pass here and fail five times as a retryable error later).
 */
import { describe, expect, it } from 'vitest';
import { samplerOverridesSchema, samplerSchema } from '../../src/config/sampler-config.ts';
import { samplerSettingsSchema } from '../../src/inference/sampler-settings.ts';
import { parseRetrainInput, type RetrainInput } from '../../src/workflow-contracts/contracts.ts';

const input = (sampler: RetrainInput['sampler']): RetrainInput => ({ modelId: 'demo', configPath: '/models/demo.json', sampler });

describe('retrain input', () => {
  it('refuses warmup 5, draws 5 and chains 65, naming each field and its limit', () => {
    expect(parseRetrainInput(input({ warmup: 5 }))).toEqual({ problems: ['sampler.warmup: Too small: expected number to be >=10'] });
    expect(parseRetrainInput(input({ draws: 5, chains: 65 }))).toEqual({
      problems: ['sampler.chains: Too big: expected number to be <=64', 'sampler.draws: Too small: expected number to be >=10'],
    });
  });

  it('takes overrides at the limits and leaves absent ones to the config', () => {
    const parsed = parseRetrainInput(input({ warmup: 10, draws: 10, chains: 64 }));
    expect(parsed).toMatchObject({ settings: { sampler: { warmup: 10, draws: 10, chains: 64 } } });
    expect(parseRetrainInput(input(undefined))).toMatchObject({ settings: { sampler: {} } });
  });
});

describe('sampler settings: one engine schema, the user-level schema derived from it', () => {
  it('the engine runs settings users may not give (no warm-up: tests of the sampler)', () => {
    expect(samplerSettingsSchema.safeParse({ chains: 1, warmup: 0, draws: 1, seed: 0 }).success).toBe(true);
    expect(samplerSchema.safeParse({ warmup: 0 }).success).toBe(false);
    expect(samplerOverridesSchema.safeParse({ draws: 1 }).success).toBe(false);
  });

  it('every user-level default and limit is one the engine accepts', () => {
    const defaults = samplerSchema.parse({});
    expect(samplerSettingsSchema.parse(defaults)).toEqual(defaults);
    const edges = { chains: 64, warmup: 10, draws: 10, seed: 0, maxTreeDepth: 15 };
    expect(samplerSettingsSchema.safeParse({ ...defaults, ...edges }).success).toBe(true);
  });
});
