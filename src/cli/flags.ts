/**
 * Flag parsing shared by commands: parseArgs with its errors as usage errors, integers with messages
 * naming the flag, and the sampler flags of `mmm fit`, `mmm retrain` and `mmm demo` checked against the
 * user-level sampler limits (src/config/sampler-config.ts), so a flag never reaches a schema as a raw validation error.
 */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import type { z } from 'zod';
import { samplerOverridesSchema, type SamplerOverrides } from '../config/sampler-config.ts';
import { UsageError } from './command.ts';

type FlagOptions = NonNullable<ParseArgsConfig['options']>;

/** parseArgs (strict, no positionals) whose unknown flags, missing values and stray arguments are UsageErrors. */
export function parseFlags<const T extends FlagOptions>(args: string[], options: T) {
  try {
    return parseArgs({ args, options, strict: true, allowPositionals: false }).values;
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
}

/** Flag values checked by a zod schema whose keys are the flag names; the message names each bad flag and its value. */
export function checkFlags<T extends z.ZodType>(schema: T, values: Record<string, unknown>): z.infer<T> {
  const parsed = schema.safeParse(values);
  if (parsed.success) return parsed.data;
  throw new UsageError(
    parsed.error.issues
      .map((issue) => {
        const flag = String(issue.path[0]);
        const value = values[flag];
        const shown = typeof value === 'string' || typeof value === 'number' ? ` '${value}'` : '';
        return `--${flag}${shown}: ${issue.message}`;
      })
      .join('; '),
  );
}

/** A flag value parsed by `parse`; whatever it throws becomes a UsageError naming the flag. */
export function flagValue<T>(flag: string, parse: () => T): T {
  try {
    return parse();
  } catch (error) {
    throw new UsageError(`--${flag}: ${error instanceof Error ? error.message : String(error)}`);
  }
}

export const SAMPLER_FLAG_OPTIONS = {
  seed: { type: 'string' },
  chains: { type: 'string' },
  warmup: { type: 'string' },
  draws: { type: 'string' },
} as const;

/** The flag's value as an integer >= min (and <= max when given), undefined when the flag is absent. */
export const integerFlag = (name: string, value: string | undefined, min: number, max?: number): number | undefined => {
  if (value === undefined) return undefined;
  const n = /^[+-]?\d+$/.test(value.trim()) ? Number(value) : Number.NaN;
  if (!Number.isSafeInteger(n) || n < min || (max !== undefined && n > max)) {
    const range = max === undefined ? `>= ${min}` : `from ${min} to ${max}`;
    throw new UsageError(`--${name} must be an integer ${range}, got '${value}'`);
  }
  return n;
};

/** The inclusive bounds the user-level sampler settings put on a field (zod's JSON Schema of the field; integers are capped at 2^53 - 1). */
function samplerBounds(field: keyof SamplerOverrides): { min: number; max?: number } {
  const { minimum, maximum } = samplerOverridesSchema.shape[field].unwrap().toJSONSchema() as { minimum?: number; maximum?: number };
  return { min: minimum ?? 0, ...(maximum === undefined || maximum >= Number.MAX_SAFE_INTEGER ? {} : { max: maximum }) };
}

/** The flags given, as numbers within the config's bounds; absent flags are left out so that config values apply. */
export function samplerOverrides(values: Partial<Record<keyof typeof SAMPLER_FLAG_OPTIONS, string>>): SamplerOverrides {
  const flag = (field: keyof SamplerOverrides) => {
    const { min, max } = samplerBounds(field);
    return integerFlag(field, values[field], min, max);
  };
  const overrides: SamplerOverrides = { seed: flag('seed'), chains: flag('chains'), warmup: flag('warmup'), draws: flag('draws') };
  return Object.fromEntries(Object.entries(overrides).filter(([, v]) => v !== undefined));
}
