/** Builds the MMM log-density for a panel + config; also the factory worker threads call. */
import type { MmmConfig } from '../config/schema.ts';
import type { Panel } from '../data/panel.ts';
import { MmmModel } from './mmm-model.ts';
import { buildModelData } from './model-data.ts';
import { parameterLayout } from './parameters.ts';

export function createMmmModel(panel: Panel, config: MmmConfig): MmmModel {
  const data = buildModelData(panel, config);
  return new MmmModel(data, parameterLayout(data, panel.geos, panel.controlNames));
}

/** Structured-cloneable arguments that rebuild the model inside a sampler worker thread. */
export interface MmmTargetArgs {
  panel: Panel;
  config: MmmConfig;
}

export function createMmmTarget(args: MmmTargetArgs): MmmModel {
  return createMmmModel(args.panel, args.config);
}
