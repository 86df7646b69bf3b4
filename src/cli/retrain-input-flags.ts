/** The flags that describe a retrain, shared by `mmm retrain` and `mmm schedule create`. */
import { resolve } from 'node:path';
import { UsageError } from './command.ts';
import { integerFlag, SAMPLER_FLAG_OPTIONS, samplerOverrides } from './flags.ts';
import type { RetrainInput } from '../workflow-contracts/contracts.ts';

export const RETRAIN_FLAG_OPTIONS = {
  model: { type: 'string' },
  config: { type: 'string' },
  chunks: { type: 'string' },
  'no-dbt': { type: 'boolean', default: false },
  'no-promote': { type: 'boolean', default: false },
  'fan-out-chains': { type: 'boolean', default: false },
  ...SAMPLER_FLAG_OPTIONS,
} as const;

export const RETRAIN_FLAGS_HELP = `  --model ID          model id (workflow id retrain-ID: one retrain per model at a time)
  --config FILE       model config JSON, as the workers see the path
  --chunks N          surface chunks fanned out over workers (default 4)
  --no-dbt            skip dbt build (marts maintained elsewhere)
  --no-promote        publish without making the run current
  --fan-out-chains    fit with one activity per chain (on any cpu workers), then a combine
  --seed/--chains/--warmup/--draws N   sampler overrides`;

export interface RetrainFlagValues {
  model?: string;
  config?: string;
  chunks?: string;
  'no-dbt'?: boolean;
  'no-promote'?: boolean;
  'fan-out-chains'?: boolean;
  seed?: string;
  chains?: string;
  warmup?: string;
  draws?: string;
}

export function retrainInputFromFlags(values: RetrainFlagValues): RetrainInput {
  if (!values.model || !values.config) throw new UsageError('--model and --config are required');
  return {
    modelId: values.model,
    configPath: resolve(values.config),
    sampler: samplerOverrides(values),
    surfaceChunks: integerFlag('chunks', values.chunks, 1),
    dbtBuild: values['no-dbt'] !== true,
    promote: values['no-promote'] !== true,
    fanOutChains: values['fan-out-chains'] === true,
  };
}
