/** Flag parsing shared by commands: integers with messages naming the flag, and the sampler flags of `mmm fit`, `mmm retrain` and `mmm demo`. */
import { UsageError } from './command.ts';

export const SAMPLER_FLAG_OPTIONS = {
  seed: { type: 'string' }, chains: { type: 'string' }, warmup: { type: 'string' }, draws: { type: 'string' },
} as const;

export interface SamplerOverrides { seed?: number; chains?: number; warmup?: number; draws?: number }

/** The flag's value as an integer >= min, undefined when the flag is absent. */
export const integerFlag = (name: string, value: string | undefined, min: number): number | undefined => {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min) throw new UsageError(`--${name} must be an integer >= ${min}, got '${value}'`);
  return n;
};

/** The flags given, as numbers; absent flags are left out so that config values apply. */
export function samplerOverrides(values: Partial<Record<keyof typeof SAMPLER_FLAG_OPTIONS, string>>): SamplerOverrides {
  const overrides: SamplerOverrides = {
    seed: integerFlag('seed', values.seed, 0), chains: integerFlag('chains', values.chains, 1),
    warmup: integerFlag('warmup', values.warmup, 1), draws: integerFlag('draws', values.draws, 1),
  };
  return Object.fromEntries(Object.entries(overrides).filter(([, v]) => v !== undefined));
}
