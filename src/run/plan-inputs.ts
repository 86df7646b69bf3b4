/**
 * A plan request's files read against a fitted run (`mmm plan --flighting custom:FILE --controls FILE`, the
 * plan workflow's paths): the plan spend file for the channels with custom flighting, and a file of future
 * controls of the user's own, both over the horizon's weeks (src/data/plan-spend-file.ts checks every row,
 * week and column, naming what is wrong, before anything is used).
 */
import { readFileSync } from 'node:fs';
import { horizonSettingsSchema, type HorizonSettingsInput } from '../config/horizon-settings.ts';
import type { MmmConfig } from '../config/schema.ts';
import { DataValidationError } from '../data/errors.ts';
import type { Panel } from '../data/panel.ts';
import { readPlanSpendFile, type PlanSpendFile } from '../data/plan-spend-file.ts';
import { weeksAfter } from '../model/horizon/future-weeks.ts';

export interface PlanFiles {
  /** CSV in the fit's wide format with the weekly spend of the channels with custom flighting (and optionally controls). */
  flighting?: string;
  /** CSV with the config's date column and every control column (and optionally revenue per KPI) over the horizon. */
  controls?: string;
}

/** The plan spend file the horizon takes, from `files`; undefined when neither is given. */
export function readPlanFiles(
  run: { config: MmmConfig; panel: Panel },
  settingsInput: HorizonSettingsInput,
  files: PlanFiles,
): PlanSpendFile | undefined {
  const { config, panel } = run;
  const settings = horizonSettingsSchema.parse({ ...config.plan, ...settingsInput });
  const weeks = weeksAfter(panel, settings.weeks);
  const custom = panel.channels.filter((name) => (settings.channelFlighting[name] ?? settings.flighting) === 'custom');
  const read = (path: string, channels: readonly string[]) => readPlanSpendFile(readFileSync(path, 'utf8'), path, config, weeks, channels);
  const spendFile = files.flighting === undefined ? undefined : read(files.flighting, custom);
  if (files.controls === undefined) return spendFile;
  const controlsFile = read(files.controls, []);
  if (config.data.controls.length > 0 && controlsFile.controls === null) {
    throw new DataValidationError(files.controls, [
      { message: `a controls file gives every control column (${config.data.controls.join(', ')}); it has none of them` },
    ]);
  }
  return {
    spend: spendFile?.spend ?? new Map(),
    media: spendFile?.media ?? new Map(),
    controls: controlsFile.controls,
    revenuePerKpi: controlsFile.revenuePerKpi ?? spendFile?.revenuePerKpi ?? null,
  };
}
