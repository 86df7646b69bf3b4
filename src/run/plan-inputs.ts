/**
 * A plan request's inputs read against a fitted run (`mmm plan --flighting custom:FILE|custom:warehouse
 * --controls FILE`, the plan workflow's inputs): the weekly spend of the channels with custom flighting, from a
 * plan spend file or the warehouse's mmm_input_plan_spend, and a file of future controls of the user's own,
 * both over the horizon's weeks (src/data/plan-spend-file.ts and src/warehouse/plan-spend.ts check every row,
 * week, column or key, naming what is wrong, before anything is used).
 */
import { readFileSync } from 'node:fs';
import { horizonSettingsSchema, type HorizonSettingsInput } from '../config/horizon-settings.ts';
import type { MmmConfig } from '../config/schema.ts';
import { DataValidationError } from '../data/errors.ts';
import type { Panel } from '../data/panel.ts';
import { readPlanSpendFile, type PlanSpendFile } from '../data/plan-spend-file.ts';
import { weeksAfter } from '../model/horizon/future-weeks.ts';
import { openWarehouse, type WarehouseConfig } from '../warehouse/open-warehouse.ts';

/**
 * Where custom flighting's weekly spend comes from: a CSV in the fit's wide format with the spend columns of the
 * channels with custom flighting (and optionally media, controls, revenue per KPI), or the warehouse's plan
 * (opened for the read and closed again).
 */
export type PlanSpendSource = { file: string } | { warehouse: WarehouseConfig };

/** A request's source of custom spend (`--flighting custom:FILE|custom:warehouse`, planWorkflow's fields), if any. */
export function planSpendSource(
  request: { flightingFile?: string; flightingFromWarehouse: boolean },
  warehouse: () => WarehouseConfig,
): PlanSpendSource | undefined {
  if (request.flightingFromWarehouse) return { warehouse: warehouse() };
  return request.flightingFile === undefined ? undefined : { file: request.flightingFile };
}

async function readWarehousePlan(
  config: WarehouseConfig,
  read: (warehouse: Awaited<ReturnType<typeof openWarehouse>>) => Promise<PlanSpendFile>,
) {
  const warehouse = await openWarehouse(config);
  try {
    return await read(warehouse);
  } finally {
    await warehouse.close();
  }
}

export interface PlanInputs {
  flighting?: PlanSpendSource;
  /** CSV with the config's date column and every control column (and optionally revenue per KPI) over the horizon. */
  controls?: string;
}

/** The plan spend the horizon takes, from `inputs`; undefined when neither is given. */
export async function readPlanInputs(
  run: { config: MmmConfig; panel: Panel },
  settingsInput: HorizonSettingsInput,
  inputs: PlanInputs,
): Promise<PlanSpendFile | undefined> {
  const { config, panel } = run;
  const settings = horizonSettingsSchema.parse({ ...config.plan, ...settingsInput });
  const weeks = weeksAfter(panel, settings.weeks);
  const custom = panel.channels.filter((name) => (settings.channelFlighting[name] ?? settings.flighting) === 'custom');
  const read = (path: string, channels: readonly string[]) => readPlanSpendFile(readFileSync(path, 'utf8'), path, config, weeks, channels);
  const { flighting } = inputs;
  const spendFile =
    flighting === undefined
      ? undefined
      : 'file' in flighting
        ? read(flighting.file, custom)
        : await readWarehousePlan(flighting.warehouse, (warehouse) => warehouse.readPlanSpend(config, weeks, custom));
  if (inputs.controls === undefined) return spendFile;
  const controlsFile = read(inputs.controls, []);
  if (config.data.controls.length > 0 && controlsFile.controls === null) {
    throw new DataValidationError(inputs.controls, [
      { message: `a controls file gives every control column (${config.data.controls.join(', ')}); it has none of them` },
    ]);
  }
  return {
    spendSource: spendFile?.spendSource ?? controlsFile.spendSource,
    spend: spendFile?.spend ?? new Map(),
    media: spendFile?.media ?? new Map(),
    controls: controlsFile.controls,
    revenuePerKpi: controlsFile.revenuePerKpi ?? spendFile?.revenuePerKpi ?? null,
  };
}
