/**
 * `npm run bench:scale`: how a fit and its decision surface grow with geos and channels (issue 18, acceptance 2).
 * Synthetic geo panels drawn from the model itself (src/model/simulate.ts: every parameter from the priors, so the
 * truth is the model's and only size varies) of 1, 10, 40 and 100 geos x 156 weeks x 5 and 10 channels; `--geos 200`
 * adds 200 geos. Per size: the fit's wall seconds (the longest chain's warm-up and sampling, and the post-sampling
 * steps, apart: with 4 chains on 2 cores the chains run in two turns, so the wall time is about twice warm-up + sampling
 * plus the post-sampling seconds) at 4 x (1000 + 1000), min bulk ESS,
 * ESS per second of the whole fit, the share of parameters with R-hat <= 1.01 and the max, the fit's peak RSS, then
 * components + the enumerated surface (1,000 draws) with their seconds and peak RSS. Last, per channel count, the
 * growth exponent of fit time in geos, the least-squares slope of log seconds on log geos over the sizes of 40 geos
 * and more (target <= 1.3 over 40-200).
 *
 * Each size runs in a child process of its own, so that its peak RSS (the child's getrusage maxrss) is its own and
 * not the largest size's so far.
 *
 *   nice -n 10 npm run bench:scale [-- --geos 200] [-- --sizes 1x5,10x5] [-- --results FILE]
 *
 * `--results FILE` appends each size's result to FILE (JSON lines) and reads the ones already there, so that the
 * sizes of one table can run in separate quiet windows of a shared machine; the fit's CPU seconds are printed
 * beside its wall seconds, and the growth exponent is given in both.
 *
 * MMM_BENCH_CHAINS, MMM_BENCH_WARMUP and MMM_BENCH_DRAWS shorten the chains for a quick look (default the product's
 * 4 x (1000 + 1000)).
 */
import { execFileSync } from 'node:child_process';
import { appendFileSync, existsSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { fitMmm } from '../../src/fit/fit-mmm.ts';
import { simulateDataset } from '../../src/model/simulate.ts';
import { MmmResponseSource } from '../../src/run/mmm-response-source.ts';
import { buildSurfaceRun } from '../../src/surface/surface-run.ts';
import { envCount } from './support/bench-options.ts';

const WEEKS = 156;
const RHAT_GOOD = 1.01;
const DEFAULT_SIZES = [1, 10, 40, 100].flatMap((geos) => [5, 10].map((channels) => ({ geos, channels })));

const sizeResultSchema = z.object({
  geos: z.number(),
  channels: z.number(),
  dim: z.number(),
  fit: z.object({
    wall: z.number(),
    cpu: z.number(),
    warmup: z.number(),
    sampling: z.number(),
    postSampling: z.number(),
    rssMb: z.number(),
  }),
  minEssBulk: z.number(),
  essPerSecond: z.number(),
  shareRhatGood: z.number(),
  maxRhat: z.number(),
  divergences: z.number(),
  surface: z.object({ components: z.number(), enumerate: z.number(), scenarios: z.number(), rssMb: z.number() }),
});
type SizeResult = z.infer<typeof sizeResultSchema>;

/** Peak resident memory of this process so far, MB (getrusage reports kilobytes on Linux). */
const peakRssMb = (): number => process.resourceUsage().maxRSS / 1024;

/**
 * CPU seconds (user + system, every thread) of this process so far. On a shared machine the wall time of a fit
 * depends on what else runs; its CPU time hardly does, so the growth exponent is also given in CPU time.
 */
const cpuSeconds = (): number => {
  const usage = process.resourceUsage();
  return (usage.userCPUTime + usage.systemCPUTime) / 1e6;
};

/** One size, in this process: fit, then components and surface; the result as one JSON line on stdout. */
async function runSize(geos: number, channels: number): Promise<void> {
  const sampler = {
    chains: envCount('MMM_BENCH_CHAINS', 4),
    warmup: envCount('MMM_BENCH_WARMUP', 1000),
    draws: envCount('MMM_BENCH_DRAWS', 1000),
  };
  const { panel, config } = simulateDataset({ geos, weeks: WEEKS, channels, controls: 2, seed: 1800 + geos * 16 + channels, noiseSd: 0.3 });
  const fitCpuStart = cpuSeconds();
  const fit = await fitMmm(panel, { ...config, sampler: { ...config.sampler, ...sampler, seed: 1 } });
  const fitCpu = cpuSeconds() - fitCpuStart;
  const fitRss = peakRssMb();
  const { parameters, diagnostics, timing } = fit;
  const dir = await mkdtemp(join(tmpdir(), 'mmm-bench-scale-'));
  try {
    const source = new MmmResponseSource(fit.model, panel, fit.posterior, { maxDraws: 1000 });
    const summary = await buildSurfaceRun(source, dir, { runId: `scale-${geos}x${channels}` });
    const result: SizeResult = {
      geos,
      channels,
      dim: fit.model.dim,
      fit: {
        wall: timing.wallSeconds,
        cpu: fitCpu,
        warmup: timing.warmupSeconds,
        sampling: timing.samplingSeconds,
        postSampling: timing.postSamplingSeconds,
        rssMb: fitRss,
      },
      minEssBulk: diagnostics.minEssBulk,
      essPerSecond: diagnostics.minEssBulk / timing.wallSeconds,
      shareRhatGood: parameters.filter((p) => p.rhat <= RHAT_GOOD).length / parameters.length,
      maxRhat: diagnostics.maxRhat,
      divergences: diagnostics.divergences,
      surface: {
        components: summary.componentsSeconds,
        enumerate: summary.surfaceSeconds,
        scenarios: summary.scenarios,
        rssMb: peakRssMb(),
      },
    };
    console.log(JSON.stringify(result));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** Least-squares slope of log y on log x. */
function logLogSlope(points: readonly { x: number; y: number }[]): number {
  const lx = points.map((p) => Math.log(p.x));
  const ly = points.map((p) => Math.log(p.y));
  const mx = lx.reduce((s, v) => s + v, 0) / lx.length;
  const my = ly.reduce((s, v) => s + v, 0) / ly.length;
  let sxy = 0;
  let sxx = 0;
  lx.forEach((x, i) => {
    sxy += (x - mx) * (ly[i] - my);
    sxx += (x - mx) ** 2;
  });
  return sxy / sxx;
}

function parseSizes(sizes: string | undefined, extraGeos: string | undefined): { geos: number; channels: number }[] {
  const chosen = sizes
    ? sizes.split(',').map((size) => {
        const match = /^(\d+)x(\d+)$/.exec(size.trim());
        if (match === null) throw new Error(`--sizes: '${size}' is not GEOSxCHANNELS (e.g. 40x5)`);
        return { geos: Number(match[1]), channels: Number(match[2]) };
      })
    : DEFAULT_SIZES;
  if (extraGeos === undefined) return chosen;
  const geos = z.coerce.number().int().min(1).parse(extraGeos);
  return [...chosen, ...[5, 10].map((channels) => ({ geos, channels }))];
}

/** One table row: the fit (wall and CPU seconds), its diagnostics and memory, then components and surface. */
function formatRow(r: SizeResult): string {
  const fit = `${r.fit.wall.toFixed(0).padStart(6)} (${r.fit.warmup.toFixed(0)}, ${r.fit.sampling.toFixed(0)}, ${r.fit.postSampling.toFixed(0)}) cpu ${r.fit.cpu.toFixed(0)}`;
  return (
    `${String(r.geos).padStart(4)}  ${String(r.channels).padStart(8)}  ${String(r.dim).padStart(4)} | ${fit}`.padEnd(64) +
    ` | ${r.minEssBulk.toFixed(0).padStart(12)}  ${r.essPerSecond.toFixed(1).padStart(5)} | ${(100 * r.shareRhatGood).toFixed(1).padStart(12)}%  ${r.maxRhat.toFixed(3).padStart(9)}  ${String(r.divergences).padStart(3)} | ${(r.fit.rssMb / 1024).toFixed(2).padStart(9)} GB | ${r.surface.components.toFixed(1).padStart(12)}  ${r.surface.enumerate.toFixed(1).padStart(9)}  ${String(r.surface.scenarios).padStart(9)} | ${(r.surface.rssMb / 1024).toFixed(2)} GB`
  );
}

/** Results kept by earlier runs in the --results file (JSON lines), so that the sizes can run in separate windows. */
function storedResults(file: string | undefined): SizeResult[] {
  if (file === undefined || !existsSync(file)) return [];
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => sizeResultSchema.parse(JSON.parse(line)));
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { one: { type: 'string' }, sizes: { type: 'string' }, geos: { type: 'string' }, results: { type: 'string' } },
  });
  if (values.one !== undefined) {
    const [geos, channels] = values.one.split('x').map(Number);
    await runSize(geos, channels);
    return;
  }
  const sizes = parseSizes(values.sizes, values.geos);
  const self = fileURLToPath(import.meta.url);
  console.log(
    `bench:scale, ${WEEKS} weeks, ${envCount('MMM_BENCH_CHAINS', 4)} chains x (${envCount('MMM_BENCH_WARMUP', 1000)} + ${envCount('MMM_BENCH_DRAWS', 1000)}); each size in its own process`,
  );
  console.log(
    'geos  channels   dim | fit s (warm-up, sampling, after) cpu s       | min bulk ESS  ESS/s | R-hat <= 1.01  max R-hat  div | fit peak RSS | components s  surface s  scenarios | peak RSS',
  );
  const results = storedResults(values.results);
  for (const r of results) console.log(`${formatRow(r)}   (from ${values.results})`);
  for (const { geos, channels } of sizes) {
    const output = execFileSync(process.execPath, ['--import', 'tsx', self, '--one', `${geos}x${channels}`], {
      encoding: 'utf8',
      maxBuffer: 64 * 1024 * 1024,
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const line = output.trim().split('\n').pop() ?? '';
    const r = sizeResultSchema.parse(JSON.parse(line));
    results.push(r);
    if (values.results !== undefined) appendFileSync(values.results, `${JSON.stringify(r)}\n`);
    console.log(formatRow(r));
  }
  for (const channels of [...new Set(results.map((r) => r.channels))]) {
    const large = results.filter((r) => r.channels === channels && r.geos >= 40);
    if (new Set(large.map((r) => r.geos)).size < 2) continue;
    const wall = logLogSlope(large.map((r) => ({ x: r.geos, y: r.fit.wall })));
    const cpu = logLogSlope(large.map((r) => ({ x: r.geos, y: r.fit.cpu })));
    console.log(
      `${channels} channels: fit time grows as geos^${wall.toFixed(2)} in wall time, geos^${cpu.toFixed(2)} in CPU time, over ${large.map((r) => r.geos).join(', ')} geos (target <= 1.3: ${Math.max(wall, cpu) <= 1.3 ? 'met' : 'MISSED'})`,
    );
  }
}

await main();
