/**
 * The decision-layer artefacts of a run directory, under DIR/surface/: the response components
 * (components.json + components.bin), the enumerated surface (scenarios.jsonl, allocations.jsonl) and
 * surface.json (calibration, grid, design, counts), written last so its presence marks a complete surface.
 * Everything is computed before anything is written: a run refused by calibration leaves no surface.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { calibrate, calibrationBandSchema, calibrationSchema, type CalibratedCurves, type Calibration } from './calibration.ts';
import { readComponents, writeComponents } from './component-store.ts';
import { computeComponents } from './components.ts';
import { enumerateSurface } from './enumerate.ts';
import { factorGrid, factorGridSchema } from './factor-grid.ts';
import { readJsonFile, RunFileError } from './json-file.ts';
import { ResponseCurves } from './response-curves.ts';
import type { ChannelResponseSource } from './response-source.ts';
import { surfaceAllocationRowSchema, surfaceScenarioRowSchema } from './rows.ts';
import { surfaceDesignSchema } from './scenario-design.ts';

export const SURFACE_DIR = 'surface';
export const SCENARIOS_FILE = 'scenarios.jsonl';
export const ALLOCATIONS_FILE = 'allocations.jsonl';
export const MANIFEST_FILE = 'surface.json';

export const surfaceRunOptionsSchema = z.object({
  runId: z.string().min(1),
  grid: factorGridSchema.prefault({}),
  design: surfaceDesignSchema.prefault({}),
  band: calibrationBandSchema.prefault({}),
}).strict();

export type SurfaceRunOptions = z.input<typeof surfaceRunOptionsSchema>;

const surfaceManifestSchema = z.object({
  format: z.literal('mmm-surface'),
  version: z.literal(1),
  runId: z.string().min(1),
  calibration: calibrationSchema,
  grid: factorGridSchema,
  design: surfaceDesignSchema,
  scenarios: z.number().int().nonnegative(),
  allocations: z.number().int().nonnegative(),
}).strict();

export interface SurfaceRunSummary {
  dir: string;
  runId: string;
  calibration: Calibration;
  channels: readonly string[];
  nDraws: number;
  gridNodes: number;
  scenarios: number;
  allocations: number;
  componentsSeconds: number;
  surfaceSeconds: number;
}

export interface SurfaceRun extends CalibratedCurves {
  runId: string;
}

export type SurfaceProgress = (stage: 'components' | 'surface', done: number, total: number) => void;

const jsonLines = <T>(rows: T[], schema: z.ZodType<T>): string => rows.map((row) => JSON.stringify(schema.parse(row))).join('\n').concat('\n');

export async function buildSurfaceRun(source: ChannelResponseSource, runDir: string, options: SurfaceRunOptions, onProgress?: SurfaceProgress): Promise<SurfaceRunSummary> {
  const { runId, grid, design, band } = surfaceRunOptionsSchema.parse(options);
  const started = performance.now();
  const components = computeComponents(source, factorGrid(grid), (done, total) => onProgress?.('components', done, total));
  const componentsDone = performance.now();
  const curves = new ResponseCurves(components);
  const calibration = calibrate(curves, band);
  const tables = enumerateSurface({ curves, calibration }, design, runId, (done, total) => onProgress?.('surface', done, total));
  const surfaceDone = performance.now();

  const dir = join(runDir, SURFACE_DIR);
  await mkdir(dir, { recursive: true });
  await writeComponents(dir, components);
  await writeFile(join(dir, SCENARIOS_FILE), jsonLines(tables.scenarios, surfaceScenarioRowSchema));
  await writeFile(join(dir, ALLOCATIONS_FILE), jsonLines(tables.allocations, surfaceAllocationRowSchema));
  const manifest: z.infer<typeof surfaceManifestSchema> = {
    format: 'mmm-surface', version: 1, runId, calibration, grid, design,
    scenarios: tables.scenarios.length, allocations: tables.allocations.length,
  };
  await writeFile(join(dir, MANIFEST_FILE), `${JSON.stringify(manifest, null, 1)}\n`);
  return {
    dir, runId, calibration, channels: curves.channels, nDraws: curves.nDraws, gridNodes: curves.factors.length,
    scenarios: tables.scenarios.length, allocations: tables.allocations.length,
    componentsSeconds: (componentsDone - started) / 1000, surfaceSeconds: (surfaceDone - componentsDone) / 1000,
  };
}

/** The calibrated curves of a run whose surface has been built (`mmm surface`). */
export async function loadSurfaceRun(runDir: string): Promise<SurfaceRun> {
  const dir = join(runDir, SURFACE_DIR);
  const manifestPath = join(dir, MANIFEST_FILE);
  const manifest = await readJsonFile(manifestPath, surfaceManifestSchema);
  const components = await readComponents(dir);
  const { window } = manifest.calibration;
  if (window.start !== components.window.start || window.end !== components.window.end || manifest.calibration.observedTotal !== components.observedTotal) {
    throw new RunFileError(manifestPath, 'calibration window or observed total differs from the stored components');
  }
  return { runId: manifest.runId, curves: new ResponseCurves(components), calibration: manifest.calibration };
}
