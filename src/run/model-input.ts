/**
 * The model input of a retrain, kept in its run directory between workflow activities (activities pass
 * paths, never arrays of data): the mart rows as extracted (input/marts.json), then the validated panel
 * with the config it was validated against (input/model-input.json). Both are written atomically, so
 * an activity retried after a crash rewrites them whole.
 */
import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { z } from 'zod';
import { mmmConfigSchema, type MmmConfig } from '../config/schema.ts';
import { panelFromJson, panelJsonSchema, panelToJson } from '../data/panel-json.ts';
import type { Panel } from '../data/panel.ts';
import { writeFileAtomically } from '../io/atomic-file.ts';
import { readJsonFile } from '../surface/json-file.ts';
import type { MartRows } from '../warehouse/extract.ts';
import { INPUT_MARTS } from '../warehouse/tables.ts';

export const MARTS_FILE = 'input/marts.json';
export const MODEL_INPUT_FILE = 'input/model-input.json';

const martRowsSchema = z
  .object({
    media: z.array(INPUT_MARTS.mmm_input_media.schema),
    kpi: z.array(INPUT_MARTS.mmm_input_kpi.schema),
    controls: z.array(INPUT_MARTS.mmm_input_controls.schema),
    geos: z.array(INPUT_MARTS.mmm_input_geos.schema),
    experiments: z.array(INPUT_MARTS.mmm_input_experiments.schema).default([]),
  })
  .strict();

const modelInputSchema = z.object({ config: mmmConfigSchema, panel: panelJsonSchema }).strict();

function writeJson(path: string, value: unknown): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileAtomically(path, JSON.stringify(value));
}

export function writeMartRows(runDir: string, marts: MartRows): void {
  writeJson(join(runDir, MARTS_FILE), marts);
}

export function readMartRows(runDir: string): Promise<MartRows> {
  return readJsonFile(join(runDir, MARTS_FILE), martRowsSchema);
}

export function writeModelInput(runDir: string, input: { config: MmmConfig; panel: Panel }): void {
  writeJson(join(runDir, MODEL_INPUT_FILE), { config: input.config, panel: panelToJson(input.panel) });
}

export async function readModelInput(runDir: string): Promise<{ config: MmmConfig; panel: Panel }> {
  const input = await readJsonFile(join(runDir, MODEL_INPUT_FILE), modelInputSchema);
  return { config: input.config, panel: panelFromJson(input.panel) };
}
