/**
 * Fits of the study datasets (./study-datasets.ts) under the configs the benchmarks compare, stored
 * so that the default-model study and the misspecification benchmark share the fits of one dataset +
 * config instead of refitting. A stored fit is reused only while everything that shapes it is
 * unchanged: its key hashes the sampler settings and the sources of the model, sampler, fit and
 * misspecification statistics (not the verdict thresholds, which the benchmarks apply to the stored
 * statistics). MMM_BENCH_REFIT=1 ignores stored fits.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { z } from 'zod';
import type { MmmConfig } from '../../../src/config/schema.ts';
import type { Panel } from '../../../src/data/panel.ts';
import { ljungBoxSchema, residualOutliersSchema, slowDriftSchema } from '../../../src/analysis/misspecification.ts';
import { fitMmm, type FitResult } from '../../../src/fit/fit-mmm.ts';
import { samplerSchema } from '../../../src/config/sampler-config.ts';
import { writeFileAtomically } from '../../../src/io/atomic-file.ts';
import { REPO_ROOT } from '../../support/reference-data.ts';
import { generateStudyDataset, withoutControl, type StudyDataset, type StudyDatasetSpec } from './study-datasets.ts';

/**
 * The configs compared: the product's default, one knot (a constant level), the default without the key control,
 * and the default with independent weeks (model.residuals "independent", the default before AR(1) residuals).
 */
export const VARIANTS = ['default', 'one-knot', 'missing-control', 'independent'] as const;
export type Variant = (typeof VARIANTS)[number];

export const studyFitSchema = z.object({
  key: z.string(),
  dataset: z.string(),
  variant: z.enum(VARIANTS),
  geos: z.number().int(),
  weeks: z.number().int(),
  trend: z.string(),
  strength: z.string(),
  knots: z.number().int(),
  sampler: z.object({ chains: z.number().int(), warmup: z.number().int(), draws: z.number().int() }),
  channels: z.array(z.object({ name: z.string(), truth: z.number(), mean: z.number(), p05: z.number(), p95: z.number() })),
  /** The verdict and reasons as the fit reported them (thresholds of the time). */
  verdict: z.enum(['pass', 'warn', 'fail']),
  reasons: z.array(z.string()),
  maxRhat: z.number().nullable(),
  divergences: z.number().int(),
  ljungBox: ljungBoxSchema,
  slowDrift: slowDriftSchema,
  residualOutliers: residualOutliersSchema.nullable(),
  predictiveCoverage90: z.number(),
  wallSeconds: z.number(),
  /** The residual correlation's posterior under AR(1) residuals; null under independent weeks. */
  phi: z.object({ mean: z.number(), p05: z.number(), p95: z.number() }).nullable().default(null),
});
export type StudyFit = z.infer<typeof studyFitSchema>;

const CACHE = resolve(REPO_ROOT, 'test/artifacts/bench-study-fits');
/** Sources whose change invalidates stored fits. */
const SHAPING_SOURCES = [
  'src/model',
  'src/config',
  'src/fit',
  'src/inference',
  'src/math',
  'src/analysis/misspecification.ts',
  'test/bench/support/study-datasets.ts',
];
/** Verdict wording and thresholds do not shape the draws or statistics; the benchmarks re-judge stored statistics. */
const NOT_SHAPING = [join('src', 'inference', 'diagnostics'), join('src', 'model', 'parameter-families.ts')];

function filesUnder(path: string): string[] {
  const absolute = resolve(REPO_ROOT, path);
  if (NOT_SHAPING.some((skip) => absolute.startsWith(resolve(REPO_ROOT, skip)))) return [];
  if (statSync(absolute).isFile()) return [absolute];
  return readdirSync(absolute)
    .sort()
    .flatMap((entry) => filesUnder(join(path, entry)));
}

let sourceHash: string | null = null;
function shapingHash(): string {
  if (sourceHash === null) {
    const hash = createHash('sha256');
    for (const file of SHAPING_SOURCES.flatMap(filesUnder)) hash.update(file.slice(REPO_ROOT.length)).update(readFileSync(file));
    sourceHash = hash.digest('hex').slice(0, 16);
  }
  return sourceHash;
}

export interface BenchSampler {
  chains: number;
  warmup: number;
  draws: number;
}

/**
 * Reduced draws for the studies (stated in their output): 2 chains x (500 + 500) by default, which the
 * shared 2-core machine affords for ~60 fits; MMM_BENCH_CHAINS / MMM_BENCH_WARMUP / MMM_BENCH_DRAWS override.
 */
export function benchSampler(): BenchSampler {
  return {
    chains: Number(process.env.MMM_BENCH_CHAINS ?? 2),
    warmup: Number(process.env.MMM_BENCH_WARMUP ?? 500),
    draws: Number(process.env.MMM_BENCH_DRAWS ?? 500),
  };
}

/** "4 chains x (1000 warm-up + 1000 draws) per fit (the product's default sampler)", or "(reduced draws)" when fewer. */
export function describeBenchSampler({ chains, warmup, draws }: BenchSampler): string {
  const product = samplerSchema.parse({});
  const isDefault = chains === product.chains && warmup === product.warmup && draws === product.draws;
  return `${chains} chains x (${warmup} warm-up + ${draws} draws) per fit (${isDefault ? "the product's default sampler" : 'reduced draws'})`;
}

function variantInputs(dataset: StudyDataset, variant: Variant): { panel: Panel; config: MmmConfig } {
  if (variant === 'missing-control') return withoutControl(dataset, dataset.keyControl);
  if (variant === 'one-knot') return { panel: dataset.panel, config: { ...dataset.config, model: { ...dataset.config.model, knots: 1 } } };
  if (variant === 'independent')
    return { panel: dataset.panel, config: { ...dataset.config, model: { ...dataset.config.model, residuals: 'independent' } } };
  return { panel: dataset.panel, config: dataset.config };
}

/** The fit of one dataset under one variant: stored, or fitted now and stored. */
export async function studyFit(spec: StudyDatasetSpec, variant: Variant): Promise<StudyFit> {
  const sampler = benchSampler();
  const key = `${spec.id}-${variant}-${sampler.chains}x${sampler.warmup}+${sampler.draws}-${shapingHash()}`;
  const file = join(CACHE, `${key}.json`);
  if (process.env.MMM_BENCH_REFIT !== '1') {
    try {
      return studyFitSchema.parse(JSON.parse(readFileSync(file, 'utf8')));
    } catch {
      // Not stored yet (or unreadable): fit below.
    }
  }
  const dataset = generateStudyDataset(spec);
  const { panel, config } = variantInputs(dataset, variant);
  const fit = await fitMmm(panel, { ...config, sampler: { ...config.sampler, ...sampler, seed: spec.seed } });
  const stats = fit.misspecification;
  const record: StudyFit = {
    key,
    dataset: spec.id,
    variant,
    geos: spec.geos,
    weeks: spec.weeks,
    trend: spec.trend,
    strength: spec.strength,
    knots: fit.model.data.nKnots,
    sampler,
    channels: fit.analysis.channels.map((c, i) => ({
      name: c.name,
      truth: dataset.truth.roi[i],
      mean: c.roi.mean,
      p05: c.roi.p05,
      p95: c.roi.p95,
    })),
    verdict: fit.diagnostics.verdict,
    reasons: fit.diagnostics.reasons,
    maxRhat: Number.isFinite(fit.diagnostics.maxRhat) ? fit.diagnostics.maxRhat : null,
    divergences: fit.diagnostics.divergences,
    ljungBox: stats.ljungBox,
    slowDrift: stats.slowDrift,
    residualOutliers: stats.residualOutliers,
    predictiveCoverage90: stats.predictiveCoverage90,
    wallSeconds: fit.timing.wallSeconds,
    phi: residualCorrelation(fit.parameters),
  };
  mkdirSync(CACHE, { recursive: true });
  writeFileAtomically(file, `${JSON.stringify(record, null, 2)}\n`);
  return record;
}

function residualCorrelation(parameters: FitResult['parameters']): StudyFit['phi'] {
  const phi = parameters.find((parameter) => parameter.name === 'phi');
  return phi === undefined ? null : { mean: phi.mean, p05: phi.p05, p95: phi.p95 };
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid] : 0.5 * (sorted[mid - 1] + sorted[mid]);
}
