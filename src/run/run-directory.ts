/**
 * A fit's run directory: `summary.json` (the contract), the posterior draws in a compact binary file
 * with a JSON header that also carries the config and panel, and the analysis tables. Later stages
 * (surface, explore, publish) load it without refitting.
 */
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { mmmConfigSchema, type MmmConfig } from '../config/schema.ts';
import type { Panel } from '../data/panel.ts';
import { writeFileAtomically } from '../io/atomic-file.ts';
import { panelFromJson, panelJsonSchema, panelToJson } from '../data/panel-json.ts';
import type { FitResult } from '../fit/fit-mmm.ts';
import type { PosteriorDraws } from '../analysis/posterior-draws.ts';
import { fitSummary, type FitSummary } from './fit-summary.ts';

export const POSTERIOR_FORMAT = 'mmm-posterior/1';

export const posteriorHeaderSchema = z.object({
  format: z.literal(POSTERIOR_FORMAT),
  nChains: z.number().int().positive(),
  drawsPerChain: z.number().int().positive(),
  dim: z.number().int().positive(),
  /** Name of each coordinate (the constrained quantity it maps to). */
  parameterNames: z.array(z.string()),
  /** Byte length of posterior.bin: nChains x drawsPerChain x dim float64, little-endian, chain-major. */
  byteLength: z.number().int().positive(),
  config: mmmConfigSchema,
  panel: panelJsonSchema,
}).strict();

export class RunDirectoryError extends Error {
  override readonly name = 'RunDirectoryError';
}

export const SUMMARY_FILE = 'summary.json';

/** Writes the summary always; the posterior and analysis only for a trusted fit (verdict not 'fail'). */
export function writeFitRun(dir: string, panel: Panel, fit: FitResult): FitSummary {
  mkdirSync(dir, { recursive: true });
  const summary = fitSummary(fit, panel.dates);
  if (fit.diagnostics.verdict !== 'fail') {
    const { posterior } = fit;
    const bytes = new Uint8Array(posterior.theta.buffer, posterior.theta.byteOffset, posterior.theta.byteLength);
    writeFileAtomically(join(dir, 'posterior.bin'), bytes);
    const header: z.infer<typeof posteriorHeaderSchema> = {
      format: POSTERIOR_FORMAT, nChains: posterior.nChains, drawsPerChain: posterior.drawsPerChain, dim: posterior.dim,
      parameterNames: fit.model.layout.names, byteLength: bytes.byteLength, config: fit.config, panel: panelToJson(panel),
    };
    writeFileAtomically(join(dir, 'posterior.json'), JSON.stringify(header));
    writeFileAtomically(join(dir, 'analysis.json'), JSON.stringify({ parameters: fit.parameters, diagnostics: fit.diagnostics, ...fit.analysis }));
  }
  // The summary is written last: its presence marks a complete run directory.
  writeFileAtomically(join(dir, SUMMARY_FILE), `${JSON.stringify(summary, null, 2)}\n`);
  return summary;
}

export interface StoredFit {
  config: MmmConfig;
  panel: Panel;
  posterior: PosteriorDraws;
}

export function readFitRun(dir: string): StoredFit {
  let headerJson: unknown;
  try {
    headerJson = JSON.parse(readFileSync(join(dir, 'posterior.json'), 'utf8'));
  } catch (cause) {
    throw new RunDirectoryError(`${dir}: no readable posterior.json (was the fit rejected, or is this not a run directory?): ${cause instanceof Error ? cause.message : String(cause)}`);
  }
  const parsed = posteriorHeaderSchema.safeParse(headerJson);
  if (!parsed.success) throw new RunDirectoryError(`${dir}/posterior.json: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  const header = parsed.data;
  const bytes = readFileSync(join(dir, 'posterior.bin'));
  if (bytes.byteLength !== header.byteLength) {
    throw new RunDirectoryError(`${dir}/posterior.bin: ${bytes.byteLength} bytes, header says ${header.byteLength}`);
  }
  const theta = new Float64Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
  return {
    config: header.config,
    panel: panelFromJson(header.panel),
    posterior: { nChains: header.nChains, drawsPerChain: header.drawsPerChain, dim: header.dim, theta },
  };
}
