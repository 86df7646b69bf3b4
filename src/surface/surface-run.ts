/**
 * The decision-layer artefacts of a run directory, under DIR/surface/: the response components
 * (components.json + components.bin), the enumerated surface (scenarios.jsonl, allocations.jsonl) and
 * surface.json (calibration, grid, design, counts, each file's SHA-256 and the posterior the surface was
 * built from), the surface's commit point under the run-commit protocol (src/io/run-manifest.ts): it is
 * written last, and readers verify the files against it and its posterior against the run's manifest.
 * Built in three stages — prepare (components + calibration), enumerate chunks of budget levels, assemble —
 * so that the retrain workflow can fan the chunks out over workers; every stage can be re-run after a
 * crash. A run refused by calibration leaves no surface.
 */
import { existsSync, writeFileSync } from 'node:fs';
import { mkdir, readFile, rm } from 'node:fs/promises';
import { writeFileAtomically } from '../io/atomic-file.ts';
import { dirname, join } from 'node:path';
import { z } from 'zod';
import {
  checkSurfaceBuiltFrom,
  manifestEntrySchema,
  posteriorRefSchema,
  readVerifiedFile,
  RunStateError,
  verifyFiles,
  verifyRun,
  writeArtefact,
} from '../io/run-manifest.ts';
import { calibrate, calibrationBandSchema, calibrationSchema, type CalibratedCurves, type Calibration } from './calibration.ts';
import { readComponents, writeComponents } from './component-store.ts';
import { computeComponents } from './components.ts';
import { enumerateSurface, type LevelRange } from './enumerate.ts';
import { factorGrid, factorGridSchema } from './factor-grid.ts';
import { readJsonFile, RunFileError } from './json-file.ts';
import { ResponseCurves } from './response-curves.ts';
import { componentsUpTo } from './components-extension.ts';
import { marketComponents } from './market-store.ts';
import type { ChannelResponseSource, ResponseSourceLoader } from './response-source.ts';
import { surfaceAllocationRowSchema, surfaceScenarioRowSchema } from './rows.ts';
import { budgetLevels, surfaceDesignSchema } from './scenario-design.ts';

export const SURFACE_DIR = 'surface';
export const SCENARIOS_FILE = 'scenarios.jsonl';
export const ALLOCATIONS_FILE = 'allocations.jsonl';
export const MANIFEST_FILE = 'surface.json';

export const surfaceRunOptionsSchema = z
  .object({
    runId: z.string().min(1),
    grid: factorGridSchema.prefault({}),
    design: surfaceDesignSchema.prefault({}),
    band: calibrationBandSchema.prefault({}),
  })
  .strict();

export type SurfaceRunOptions = z.input<typeof surfaceRunOptionsSchema>;

const surfaceManifestSchema = z
  .object({
    format: z.literal('mmm-surface'),
    version: z.literal(2),
    runId: z.string().min(1),
    /** The posterior files the components were computed from; null for a source not read from a run. */
    builtFrom: posteriorRefSchema.nullable(),
    calibration: calibrationSchema,
    grid: factorGridSchema,
    design: surfaceDesignSchema,
    scenarios: z.number().int().nonnegative(),
    allocations: z.number().int().nonnegative(),
    /** Every file of the surface with its size and SHA-256 (paths relative to DIR/surface/). */
    files: z.array(manifestEntrySchema),
  })
  .strict();

type SurfaceManifest = z.infer<typeof surfaceManifestSchema>;

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

/** What the prepare stage decided, read by every chunk: the calibration and the scenario design. */
const surfacePlanSchema = surfaceManifestSchema
  .omit({ format: true, scenarios: true, allocations: true })
  .extend({
    format: z.literal('mmm-surface-plan'),
    componentsSeconds: z.number().nonnegative(),
  })
  .strict();
type SurfacePlan = z.infer<typeof surfacePlanSchema>;

const PLAN_FILE = 'plan.json';
const CHUNKS_DIR = 'chunks';
const chunkFile = (dir: string, chunk: number, chunks: number, table: 'scenarios' | 'allocations') =>
  join(dir, CHUNKS_DIR, `${String(chunk).padStart(3, '0')}-of-${chunks}.${table}.jsonl`);

const jsonLines = <T>(rows: T[], schema: z.ZodType<T>): string => rows.map((row) => `${JSON.stringify(schema.parse(row))}\n`).join('');

export class SurfaceChunkError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SurfaceChunkError';
  }
}

/**
 * Stage 1 of 3: response components on the factor grid, the calibration and the scenario design every
 * chunk enumerates (options.design, else the source's, the run config's `surface`). A run refused by
 * calibration (CalibrationError) leaves no surface files at all.
 */
export async function prepareSurface(
  source: ChannelResponseSource,
  runDir: string,
  options: SurfaceRunOptions,
  onProgress?: SurfaceProgress,
): Promise<{ calibration: Calibration; levels: number }> {
  // The scenario design: the caller's, else the one the run's config asks for (its `surface` section), else the defaults.
  const { runId, grid, design, band } = surfaceRunOptionsSchema.parse({ ...options, design: options.design ?? source.design });
  const started = performance.now();
  const components = computeComponents(source, factorGrid(grid), (done, total) => onProgress?.('components', done, total));
  const calibration = calibrate(new ResponseCurves(components), band);
  const dir = join(runDir, SURFACE_DIR);
  // The commit point first: from here on no reader accepts the old surface, whatever else is left of it.
  await rm(join(dir, MANIFEST_FILE), { force: true });
  await rm(dir, { recursive: true, force: true });
  await mkdir(join(dir, CHUNKS_DIR), { recursive: true });
  const files = await writeComponents(dir, components);
  const plan: SurfacePlan = {
    format: 'mmm-surface-plan',
    version: 2,
    runId,
    builtFrom: source.posteriorRef ?? null,
    calibration,
    grid,
    design,
    files,
    componentsSeconds: (performance.now() - started) / 1000,
  };
  writeFileAtomically(join(dir, PLAN_FILE), `${JSON.stringify(plan, null, 1)}\n`);
  return { calibration, levels: budgetLevels(design).length };
}

/** The budget-level indices [from, to) of chunk `chunk` of `chunks` (contiguous, sizes differing by at most one). */
export function chunkLevels(levels: number, chunk: number, chunks: number): LevelRange {
  if (!Number.isInteger(chunks) || chunks < 1 || !Number.isInteger(chunk) || chunk < 0 || chunk >= chunks) {
    throw new SurfaceChunkError(`chunk ${chunk} of ${chunks} does not exist (chunks are numbered 0..${chunks - 1})`);
  }
  return { from: Math.floor((chunk * levels) / chunks), to: Math.floor(((chunk + 1) * levels) / chunks) };
}

/** Stage 2 of 3: the scenarios of one chunk of budget levels, written as the chunk's two files. */
export async function enumerateSurfaceChunk(
  runDir: string,
  chunk: number,
  chunks: number,
): Promise<{ scenarios: number; allocations: number }> {
  const dir = join(runDir, SURFACE_DIR);
  const plan = await readJsonFile(join(dir, PLAN_FILE), surfacePlanSchema);
  const curves = new ResponseCurves(await readComponents(dir));
  const range = chunkLevels(budgetLevels(plan.design).length, chunk, chunks);
  const tables = enumerateSurface({ curves, calibration: plan.calibration }, plan.design, plan.runId, range);
  // Made here, not only by prepare: run storage keeps files, and an empty folder does not survive object storage.
  await mkdir(join(dir, CHUNKS_DIR), { recursive: true });
  writeFileAtomically(chunkFile(dir, chunk, chunks, 'scenarios'), jsonLines(tables.scenarios, surfaceScenarioRowSchema));
  writeFileAtomically(chunkFile(dir, chunk, chunks, 'allocations'), jsonLines(tables.allocations, surfaceAllocationRowSchema));
  return { scenarios: tables.scenarios.length, allocations: tables.allocations.length };
}

/**
 * Stage 3 of 3: the chunks concatenated in order; surface.json is written last and commits the surface.
 * Re-run after it committed (a worker killed before reporting success), it returns the committed surface.
 */
export async function assembleSurface(runDir: string, chunks: number, surfaceSeconds: number): Promise<SurfaceRunSummary> {
  const dir = join(runDir, SURFACE_DIR);
  const plan = await readJsonFile(join(dir, PLAN_FILE), surfacePlanSchema);
  const components = await readComponents(dir);
  const summary = (manifest: SurfaceManifest): SurfaceRunSummary => ({
    dir,
    runId: plan.runId,
    calibration: plan.calibration,
    channels: components.channels,
    nDraws: components.nDraws,
    gridNodes: components.factors.length,
    scenarios: manifest.scenarios,
    allocations: manifest.allocations,
    componentsSeconds: plan.componentsSeconds,
    surfaceSeconds,
  });
  // The chunks are removed only after the commit, and prepare removes the commit before writing a plan.
  if (!existsSync(join(dir, CHUNKS_DIR)) && existsSync(join(dir, MANIFEST_FILE))) {
    const committed = await readSurfaceManifest(dir);
    verifyFiles(dir, committed.files, join(dir, MANIFEST_FILE));
    return summary(committed);
  }
  const concatenated = async (table: 'scenarios' | 'allocations') => {
    const parts: string[] = [];
    for (let chunk = 0; chunk < chunks; chunk++) {
      const file = chunkFile(dir, chunk, chunks, table);
      try {
        parts.push(await readFile(file, 'utf8'));
      } catch {
        throw new SurfaceChunkError(`${file} is missing: chunk ${chunk} of ${chunks} has not been enumerated`);
      }
    }
    return parts.join('');
  };
  const scenarios = await concatenated('scenarios');
  const allocations = await concatenated('allocations');
  const files = [...plan.files, writeArtefact(dir, SCENARIOS_FILE, scenarios), writeArtefact(dir, ALLOCATIONS_FILE, allocations)];
  const lineCount = (text: string) => text.split('\n').length - 1;
  const manifest: SurfaceManifest = {
    format: 'mmm-surface',
    version: 2,
    runId: plan.runId,
    builtFrom: plan.builtFrom,
    calibration: plan.calibration,
    grid: plan.grid,
    design: plan.design,
    scenarios: lineCount(scenarios),
    allocations: lineCount(allocations),
    files,
  };
  writeFileSync(join(dir, MANIFEST_FILE), `${JSON.stringify(manifest, null, 1)}\n`);
  await rm(join(dir, CHUNKS_DIR), { recursive: true, force: true });
  return summary(manifest);
}

/** The three stages in one process (`mmm surface`); the retrain workflow runs them as separate activities. */
export async function buildSurfaceRun(
  source: ChannelResponseSource,
  runDir: string,
  options: SurfaceRunOptions,
  onProgress?: SurfaceProgress,
): Promise<SurfaceRunSummary> {
  const { levels } = await prepareSurface(source, runDir, options, onProgress);
  const started = performance.now();
  const chunks = 1;
  await enumerateSurfaceChunk(runDir, 0, chunks);
  onProgress?.('surface', levels, levels);
  return assembleSurface(runDir, chunks, (performance.now() - started) / 1000);
}

async function readSurfaceManifest(dir: string): Promise<SurfaceManifest> {
  const manifestPath = join(dir, MANIFEST_FILE);
  let text: string;
  try {
    text = await readFile(manifestPath, 'utf8');
  } catch {
    throw new RunStateError(`${dir} holds no committed surface (no ${MANIFEST_FILE}); run mmm surface --run ${join(dir, '..')}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new RunStateError(`${manifestPath} is not valid JSON (a surface build that did not finish): re-run mmm surface`);
  }
  const parsed = surfaceManifestSchema.safeParse(json);
  if (!parsed.success)
    throw new RunStateError(
      `${manifestPath} is not a surface manifest of this version (${z.prettifyError(parsed.error)}): re-run mmm surface`,
    );
  return parsed.data;
}

export interface LoadSurfaceRunOptions {
  /** Per-channel cap, a multiple of current spend (default: the stored grid's largest factor). */
  cap?: number;
  /** Loads the run's response source when `cap` exceeds the stored grid (components-extension.ts). */
  loadSource?: ResponseSourceLoader;
  /**
   * Curves by market instead: one per (geo, channel) pair, from surface/markets/ or computed by the run's
   * market source this loads and cached (market-store.ts); `cap` must then lie within the markets' grid.
   */
  loadMarketSource?: ResponseSourceLoader;
}

/**
 * A committed surface directory (`RUN/surface`): its manifest with every file verified, and its calibrated
 * curves up to the per-channel cap (components extended from the run's posterior beyond the stored grid).
 */
export async function readSurfaceDirectory(
  dir: string,
  options: LoadSurfaceRunOptions = {},
): Promise<{ run: SurfaceRun; builtFrom: SurfaceManifest['builtFrom'] }> {
  const manifestPath = join(dir, MANIFEST_FILE);
  const manifest = await readSurfaceManifest(dir);
  verifyFiles(dir, manifest.files, manifestPath);
  const stored = await readComponents(dir);
  const { window } = manifest.calibration;
  if (
    window.start !== stored.window.start ||
    window.end !== stored.window.end ||
    manifest.calibration.observedTotal !== stored.observedTotal
  ) {
    throw new RunFileError(manifestPath, 'calibration window or observed total differs from the stored components');
  }
  const { cap, loadSource, loadMarketSource } = options;
  const components = loadMarketSource
    ? await marketComponents(dirname(dir), dir, stored, loadMarketSource)
    : cap !== undefined && loadSource
      ? await componentsUpTo(dirname(dir), dir, stored, manifest.grid, cap, loadSource)
      : stored;
  const run = { runId: manifest.runId, curves: new ResponseCurves(components, { cap }), calibration: manifest.calibration };
  return { run, builtFrom: manifest.builtFrom };
}

/**
 * The calibrated curves of a run whose surface has been built (`mmm surface`): refuses a run that is not
 * committed or intact, a missing or damaged surface, and a surface built from another posterior than the
 * run holds now ("re-run mmm surface"). Every reader of a surface (explore, optimize, publish) uses it.
 */
export async function loadSurfaceRun(runDir: string, options: LoadSurfaceRunOptions = {}): Promise<SurfaceRun> {
  const manifest = verifyRun(runDir);
  const dir = join(runDir, SURFACE_DIR);
  const { run, builtFrom } = await readSurfaceDirectory(dir, options);
  checkSurfaceBuiltFrom(runDir, manifest, dir, builtFrom);
  return run;
}

/** One file of a run's committed surface as text, verified against surface.json (publish reads the enumerated rows). */
export async function readSurfaceFile(runDir: string, path: string): Promise<string> {
  const dir = join(runDir, SURFACE_DIR);
  const manifest = await readSurfaceManifest(dir);
  return readVerifiedFile(dir, manifest.files, path, join(dir, MANIFEST_FILE)).toString('utf8');
}
