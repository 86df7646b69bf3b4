/**
 * Decisions by market, speed and memory (issue 15, acceptance 4): per-(geo, channel) response components on the
 * markets' factor grid and a geo-level optimum, timed from the posterior (the model rebuilt, every draw through it
 * once, the pairs' components, their curves and calibration), with the peak RSS of the process:
 *   40   Meridian's 40 geos x 5 channels x 1,000 draws of a real fit (2 chains x (300 + 500), fitted once by
 *        `fit` into the OS temp folder; diagnostics not judged)               target <= 30 s, <= 2 GB
 *   200  200 geos (Meridian's 40, five copies) x 5 channels x 1,000 draws from the prior (no fit)
 *                                                                              target <= 3 min, <= 6 GB
 * Two optima at the historical budget: the separable one (total budget and the pairs' caps: the DP over pairs),
 * and with totals per geo (80-120% of current) AND per channel (90-110%) at once (Lagrangian relaxation), whose
 * gap is printed: on the 40-geo fit it is acceptance 2's "gap <= 0.5% on Meridian's 40 geos".
 * Run: npm run bench:geo (each case in its own process, so each peak RSS is its own).
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { optimizeMarkets } from '../../src/explore/market-optimizer.ts';
import { fitMmm } from '../../src/fit/fit-mmm.ts';
import { createRng } from '../../src/math/rng.ts';
import { createMmmModel } from '../../src/model/model.ts';
import type { PosteriorDraws } from '../../src/model/posterior-draws.ts';
import { samplePrior } from '../../src/model/prior-sampling.ts';
import { MarketResponseSource } from '../../src/run/market-response-source.ts';
import { MmmResponseSource } from '../../src/run/mmm-response-source.ts';
import { calibrate, calibrationBandSchema } from '../../src/surface/calibration.ts';
import { computeComponents } from '../../src/surface/components.ts';
import { factorGrid, MARKET_FACTOR_GRID } from '../../src/surface/factor-grid.ts';
import { ResponseCurves } from '../../src/surface/response-curves.ts';
import { meridianGeoPanel, replicatedMeridianPanel } from '../support/meridian-geos.ts';

const DRAWS = 1000;
const FIT_DIR = join(tmpdir(), 'mmm-bench-geo-40');
const elapsed = (since: number): number => (performance.now() - since) / 1000;
const gb = (kilobytes: number): string => `${(kilobytes / 1024 / 1024).toFixed(2)} GB`;

async function fitOnce(): Promise<void> {
  if (existsSync(join(FIT_DIR, 'posterior.json'))) {
    console.log(`40-geo fit: reusing ${FIT_DIR}`);
    return;
  }
  const { panel, config } = meridianGeoPanel();
  const started = performance.now();
  const fit = await fitMmm(panel, { ...config, sampler: { ...config.sampler, chains: 2, warmup: 300, draws: 500, seed: 1 } });
  mkdirSync(FIT_DIR, { recursive: true });
  writeFileSync(join(FIT_DIR, 'posterior.bin'), fit.posterior.theta);
  const { nChains, drawsPerChain, dim } = fit.posterior;
  writeFileSync(join(FIT_DIR, 'posterior.json'), JSON.stringify({ nChains, drawsPerChain, dim }));
  console.log(`40-geo fit: ${elapsed(started).toFixed(0)} s, verdict ${fit.diagnostics.verdict} (not part of the timing)`);
}

function fittedPosterior(): PosteriorDraws {
  const header = JSON.parse(readFileSync(join(FIT_DIR, 'posterior.json'), 'utf8')) as Omit<PosteriorDraws, 'theta'>;
  const bytes = readFileSync(join(FIT_DIR, 'posterior.bin'));
  return { ...header, theta: new Float64Array(new Uint8Array(bytes).buffer) };
}

async function timeCase(geos: 40 | 200): Promise<void> {
  const { panel, config } = geos === 40 ? meridianGeoPanel() : replicatedMeridianPanel(5);
  const started = performance.now();
  const model = createMmmModel(panel, config);
  const posterior = geos === 40 ? fittedPosterior() : samplePrior(model, DRAWS, createRng(15, 0));
  const source = new MarketResponseSource(new MmmResponseSource(model, panel, posterior, { maxDraws: DRAWS }));
  const loaded = elapsed(started);
  const components = computeComponents(source, factorGrid(MARKET_FACTOR_GRID));
  const curves = new ResponseCurves(components);
  // Prior draws need not explain the data: the band is opened so that k is reported, not judged.
  const band = geos === 40 ? calibrationBandSchema.parse({}) : calibrationBandSchema.parse({ lower: 1e-9, upper: 1e9 });
  const run = { curves, calibration: calibrate(curves, band) };
  const built = elapsed(started);
  const separable = optimizeMarkets(run);
  const afterSeparable = elapsed(started);
  const markets = source.markets;
  const constrained = optimizeMarkets(run, {
    constraints: {
      markets: Object.fromEntries(markets.geos.map((geo) => [geo, { minRelative: 0.8, maxRelative: 1.2 }])),
      channels: Object.fromEntries(markets.channels.map((channel) => [channel, { minRelative: 0.9, maxRelative: 1.1 }])),
    },
  });
  const total = elapsed(started);
  const rss = process.resourceUsage().maxRSS;
  const limits = geos === 40 ? { seconds: 30, gb: 2 } : { seconds: 180, gb: 6 };
  console.log(
    [
      `${geos} geos x ${markets.channels.length} channels x ${source.nDraws} draws (${geos === 40 ? 'real fit' : 'prior draws'}): ` +
        `${source.channels.length} pairs with spend, ${components.factors.length} factor nodes, components ${(components.values.byteLength / 1e6).toFixed(0)} MB`,
      `  model and draws cached   ${loaded.toFixed(2)} s`,
      `  components + curves + k  ${(built - loaded).toFixed(2)} s (k = ${run.calibration.factor.toFixed(4)})`,
      `  optimum, budget + pair caps (${separable.method})         ${(afterSeparable - built).toFixed(2)} s, grid step ${separable.gridStep.toFixed(0)}`,
      `  optimum, geo 80-120% AND channel 90-110% (${constrained.method}) ${(total - afterSeparable).toFixed(2)} s, ${constrained.iterations} iterations, ` +
        `gap ${(100 * constrained.gap).toFixed(4)}% (paid media ${constrained.paidMedia.toExponential(4)}, bound ${constrained.bound.toExponential(4)})`,
      `  total ${total.toFixed(2)} s (target <= ${limits.seconds} s: ${total <= limits.seconds ? 'met' : 'MISSED'}), ` +
        `peak RSS ${gb(rss)} (target <= ${limits.gb} GB: ${rss <= limits.gb * 1024 * 1024 ? 'met' : 'MISSED'}); ` +
        `load average ${loadavg()[0].toFixed(1)} on ${availableParallelism()} cores`,
    ].join('\n'),
  );
}

const mode = process.argv[2];
if (mode === 'fit') await fitOnce();
else if (mode === '40' || mode === '200') await timeCase(mode === '40' ? 40 : 200);
else throw new Error(`usage: geo-decisions.bench.ts fit|40|200 (got ${mode})`);
