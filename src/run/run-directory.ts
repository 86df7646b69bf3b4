/**
 * A fit's run directory: `summary.json` (the contract), the posterior draws in a compact binary file
 * with a JSON header that also carries the config and panel, and the analysis tables, committed by
 * `manifest.json` (src/io/run-manifest.ts). Later stages (surface, explore, publish) load it without refitting,
 * and only through the manifest: a directory whose fit did not finish holds no run.
 */
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { mmmConfigSchema, type MmmConfig } from '../config/schema.ts';
import type { Panel } from '../data/panel.ts';
import { panelFromJson, panelJsonSchema, panelToJson } from '../data/panel-json.ts';
import { channelResultSchema, periodContributionSchema, responseCurvePointSchema } from '../analysis/analyze-fit.ts';
import { interactionResultSchema } from '../analysis/interactions.ts';
import type { ChannelEvidence } from '../analysis/evidence.ts';
import type { ForecastBacktest } from '../analysis/forecast-backtest.ts';
import type { FitResult } from '../fit/fit-mmm.ts';
import type { PosteriorDraws } from '../model/posterior-draws.ts';
import { fitSummary, fitSummarySchema, type FitSummary } from './fit-summary.ts';
import {
  commitRun,
  type ManifestEntry,
  posteriorRef,
  type PosteriorRef,
  readManifest,
  readRunFile,
  RUN_MANIFEST_FILE,
  RunStateError,
  type RunManifest,
  writeArtefact,
} from '../io/run-manifest.ts';

/**
 * The posterior files' format. 2: national models' baseline coordinates are those of the baseline's conditional
 * posterior (src/model/conditional-baseline.ts), so draws of format 1 would be read as other coefficients.
 */
export const POSTERIOR_FORMAT = 'mmm-posterior/2';

export const posteriorHeaderSchema = z
  .object({
    format: z.literal(POSTERIOR_FORMAT, {
      error: (issue) =>
        `${String(issue.input)} is not ${POSTERIOR_FORMAT}: a run fitted by an earlier version, whose draws this version reads differently; fit it again`,
    }),
    nChains: z.number().int().positive(),
    drawsPerChain: z.number().int().positive(),
    dim: z.number().int().positive(),
    /** Name of each coordinate (the constrained quantity it maps to). */
    parameterNames: z.array(z.string()),
    /** Byte length of posterior.bin: nChains x drawsPerChain x dim float64, little-endian, chain-major. */
    byteLength: z.number().int().positive(),
    config: mmmConfigSchema,
    panel: panelJsonSchema,
  })
  .strict();

export const SUMMARY_FILE = 'summary.json';
export const ANALYSIS_FILE = 'analysis.json';

/** A parameter's posterior summary as analysis.json stores it: JSON writes an undefined R-hat or ESS (NaN) as null. */
const storedParameterSummarySchema = z.object({
  name: z.string(),
  mean: z.number(),
  sd: z.number(),
  p05: z.number(),
  p50: z.number(),
  p95: z.number(),
  rhat: z.number().nullable(),
  essBulk: z.number().nullable(),
  essTail: z.number().nullable(),
});

/**
 * analysis.json: the parameter summaries, the diagnostics and the fit's analysis. Declared once, for the
 * writer below and the readers; the parts no reader needs (diagnostics, fit metrics) are not checked.
 */
export const analysisFileSchema = z.object({
  parameters: z.array(storedParameterSummarySchema),
  channels: z.array(channelResultSchema),
  responseCurves: z.array(responseCurvePointSchema),
  contributions: z.array(periodContributionSchema),
  /** Synergy pairs; absent in runs fitted before synergies (read as none). */
  interactions: z.array(interactionResultSchema).default([]),
});

/**
 * Writes and commits a fit's run: the summary always; the posterior and analysis only for a trusted fit
 * (verdict not 'fail'), so a failed fit is a committed run without a posterior and can never be used.
 * An earlier commit in `dir` is withdrawn before anything is written. `forecastBacktest` (the product's fits
 * always run one: src/run/forecast-backtest.ts) goes into summary.json; without it plans do not widen their bands.
 */
export function writeFitRun(dir: string, panel: Panel, fit: FitResult, forecastBacktest?: ForecastBacktest): FitSummary {
  mkdirSync(dir, { recursive: true });
  rmSync(join(dir, RUN_MANIFEST_FILE), { force: true });
  const summary = fitSummary(fit, panel.dates, forecastBacktest);
  const files: ManifestEntry[] = [];
  if (fit.diagnostics.verdict !== 'fail') {
    const { posterior } = fit;
    const bytes = new Uint8Array(posterior.theta.buffer, posterior.theta.byteOffset, posterior.theta.byteLength);
    files.push(writeArtefact(dir, 'posterior.bin', bytes));
    const header: z.infer<typeof posteriorHeaderSchema> = {
      format: POSTERIOR_FORMAT,
      nChains: posterior.nChains,
      drawsPerChain: posterior.drawsPerChain,
      dim: posterior.dim,
      parameterNames: fit.model.layout.names,
      byteLength: bytes.byteLength,
      config: fit.config,
      panel: panelToJson(panel),
    };
    files.push(writeArtefact(dir, 'posterior.json', JSON.stringify(header)));
    const analysis: z.input<typeof analysisFileSchema> & Record<string, unknown> = {
      parameters: fit.parameters,
      diagnostics: fit.diagnostics,
      ...fit.analysis,
    };
    files.push(writeArtefact(dir, ANALYSIS_FILE, JSON.stringify(analysis)));
  }
  files.push(writeArtefact(dir, SUMMARY_FILE, `${JSON.stringify(summary, null, 2)}\n`));
  commitRun(dir, files);
  return summary;
}

export interface StoredFit {
  config: MmmConfig;
  panel: Panel;
  posterior: PosteriorDraws;
  /** The posterior files' hashes, recorded by a surface built from these draws. */
  ref: PosteriorRef;
  /** The fit's forecast backtest from summary.json; absent when the run has none (fitted before backtests). */
  forecastBacktest?: ForecastBacktest;
}

/** A committed JSON file of the run, verified against the manifest and parsed; messages name the file. */
export function readRunJson<T extends z.ZodType>(dir: string, manifest: RunManifest, path: string, schema: T): z.infer<T> {
  const text = readRunFile(dir, manifest, path).toString('utf8');
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new RunStateError(`${join(dir, path)} is not valid JSON (${error instanceof Error ? error.message : String(error)})`);
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) throw new RunStateError(`${join(dir, path)}: ${z.prettifyError(parsed.error)}`);
  return parsed.data;
}

/** The summary.json of a committed run (a failed fit has one too). */
export function readFitSummary(dir: string): FitSummary {
  return readRunJson(dir, readManifest(dir), SUMMARY_FILE, fitSummarySchema);
}

/** The summary.json of a committed run, or null for a run committed without one (as tests commit known response curves). */
function summaryIfAny(dir: string, manifest: RunManifest): FitSummary | null {
  return manifest.files.some((file) => file.path === SUMMARY_FILE) ? readRunJson(dir, manifest, SUMMARY_FILE, fitSummarySchema) : null;
}

/**
 * Each channel's evidence (how far the data moved its ROI from the prior) from the run's summary.json, in the
 * order of `channels`; null for a channel without one (a run fitted before evidence was recorded, or a run
 * committed without a fit summary).
 */
export function readChannelEvidence(dir: string, channels: readonly string[]): (ChannelEvidence | null)[] {
  const rows = summaryIfAny(dir, readManifest(dir))?.channels ?? [];
  return channels.map((channel) => rows.find((row) => row.name === channel)?.evidence ?? null);
}

/** The stored posterior of a committed run, every byte verified; refuses an uncommitted run and a failed fit. */
export function readFitRun(dir: string): StoredFit {
  const manifest = readManifest(dir);
  const ref = posteriorRef(dir, manifest);
  const header = readRunJson(dir, manifest, 'posterior.json', posteriorHeaderSchema);
  const bytes = readRunFile(dir, manifest, 'posterior.bin');
  if (bytes.byteLength !== header.byteLength) {
    throw new RunStateError(
      `${join(dir, 'posterior.bin')}: ${bytes.byteLength} bytes, ${join(dir, 'posterior.json')} says ${header.byteLength}`,
    );
  }
  const theta = new Float64Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
  const forecastBacktest = summaryIfAny(dir, manifest)?.forecastBacktest;
  return {
    config: header.config,
    panel: panelFromJson(header.panel),
    posterior: { nChains: header.nChains, drawsPerChain: header.drawsPerChain, dim: header.dim, theta },
    ref,
    ...(forecastBacktest ? { forecastBacktest } : {}),
  };
}
