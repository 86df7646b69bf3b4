/**
 * A ChannelResponseSource with known per-draw curves, g_{c,d}(f) = beta_{c,d} x saturation(f), saturation
 * being the model's own Hill or logistic function of the spend factor (half-saturation / rate in factor
 * units). Tests evaluate these curves directly to check the interpolated surface and the optimizer.
 */
import type { SaturationKind } from '../../src/config/schema.ts';
import { createRng } from '../../src/math/rng.ts';
import { saturationFamily } from '../../src/model/saturation/index.ts';
import { calibrate, calibrationBandSchema, type CalibratedCurves } from '../../src/surface/calibration.ts';
import { computeComponents } from '../../src/surface/components.ts';
import { factorGrid, factorGridSchema, MARKET_FACTOR_GRID } from '../../src/surface/factor-grid.ts';
import { marketIndex, pairLabel } from '../../src/surface/markets.ts';
import { ResponseCurves } from '../../src/surface/response-curves.ts';
import type { ChannelResponseSource } from '../../src/surface/response-source.ts';
import { commitRun, posteriorRef, writeArtefact, type PosteriorRef } from '../../src/io/run-manifest.ts';

export interface KnownChannel {
  name: string;
  /** Historical spend over the window. */
  spend: number;
  kind: SaturationKind;
  /** Per-draw scale (outcome at full saturation). */
  beta: Float64Array;
  /** Per-draw Hill half-saturation or logistic rate, in factor units. */
  shape: Float64Array;
  /** Per-draw Hill slope (ignored by logistic). */
  slope: Float64Array;
}

export const TEST_WINDOW = { start: '2023-01-02', end: '2023-12-25' };

export class KnownCurveSource implements ChannelResponseSource {
  readonly channels: readonly string[];
  readonly historicalSpend: Float64Array;
  readonly nDraws: number;
  readonly window = TEST_WINDOW;
  readonly observedTotal: number;
  /** Set by commitKnownCurveRun: the committed "posterior" (these curves' draws) the surface is built from. */
  posteriorRef?: PosteriorRef;

  /** `observedTotal` defaults to `calibrationFactor` x the posterior-mean outcome at historical spend. */
  constructor(
    readonly spec: readonly KnownChannel[],
    readonly baselineDraws: Float64Array,
    options: { observedTotal?: number; calibrationFactor?: number } = {},
  ) {
    this.channels = spec.map((c) => c.name);
    this.historicalSpend = Float64Array.from(spec, (c) => c.spend);
    this.nDraws = baselineDraws.length;
    this.observedTotal = options.observedTotal ?? (options.calibrationFactor ?? 1) * this.meanOutcome(spec.map(() => 1));
  }

  /** g_{c,d}(f) evaluated directly. */
  contribution(channel: number, factor: number, draw: number): number {
    const c = this.spec[channel];
    return c.beta[draw] * saturationFamily(c.kind).value(factor, c.shape[draw], c.slope[draw]);
  }

  /** Posterior mean of baseline + sum_c g_c(f_c), evaluated directly. */
  meanOutcome(factors: readonly number[]): number {
    let sum = 0;
    for (let d = 0; d < this.nDraws; d++) {
      sum += this.baselineDraws[d];
      factors.forEach((f, c) => {
        sum += this.contribution(c, f, d);
      });
    }
    return sum / this.nDraws;
  }

  baseline(out: Float64Array): void {
    out.set(this.baselineDraws);
  }

  channelContribution(channel: number, factor: number, out: Float64Array): void {
    for (let d = 0; d < this.nDraws; d++) out[d] = this.contribution(channel, factor, d);
  }
}

export interface ChannelSpec {
  name: string;
  spend: number;
  kind: SaturationKind;
  beta: number;
  shape: number;
  slope?: number;
}

/** Five channels with S-shaped (Hill slope > 1), concave Hill and logistic curves; ROIs near 1-2 at history. */
export const FIVE_CHANNELS: readonly ChannelSpec[] = [
  { name: 'tv', spend: 50_000, kind: 'hill', beta: 150_000, shape: 1.2, slope: 2.5 },
  { name: 'search', spend: 20_000, kind: 'hill', beta: 60_000, shape: 0.4, slope: 1 },
  { name: 'social', spend: 15_000, kind: 'logistic', beta: 40_000, shape: 1.5 },
  { name: 'display', spend: 10_000, kind: 'hill', beta: 120_000, shape: 2, slope: 3 },
  { name: 'radio', spend: 5_000, kind: 'hill', beta: 8_000, shape: 0.8, slope: 0.8 },
];

/**
 * Per-draw parameters scattered log-normally around the spec (sd `spread` on the log scale, shape and slopes
 * other than 1 at half that), baseline ~ Normal(baseline, 2%).
 */
export function randomCurveSource(options: {
  channels: readonly ChannelSpec[];
  nDraws: number;
  seed: number;
  spread?: number;
  baseline?: number;
  calibrationFactor?: number;
  observedTotal?: number;
}): KnownCurveSource {
  const rng = createRng(options.seed, 0);
  const spread = options.spread ?? 0.15;
  const lognormal = (center: number, sd: number) =>
    Float64Array.from({ length: options.nDraws }, () => center * Math.exp(sd * rng.normal()));
  const spec = options.channels.map((c) => ({
    name: c.name,
    spend: c.spend,
    kind: c.kind,
    beta: lognormal(c.beta, spread),
    shape: lognormal(c.shape, spread / 2),
    // Slope 1 stays exactly 1 so that concave channels stay concave in every draw.
    slope:
      c.kind === 'hill' && (c.slope ?? 1) !== 1 ? lognormal(c.slope ?? 1, spread / 2) : new Float64Array(options.nDraws).fill(c.slope ?? 1),
  }));
  const baselineLevel = options.baseline ?? 300_000;
  const baseline = Float64Array.from({ length: options.nDraws }, () => baselineLevel * (1 + 0.02 * rng.normal()));
  return new KnownCurveSource(spec, baseline, {
    calibrationFactor: options.calibrationFactor ?? 1.04,
    observedTotal: options.observedTotal,
  });
}

/** Components on the default factor grid, read back as calibrated curves (default band). */
export function calibratedRun(source: KnownCurveSource): CalibratedCurves {
  const curves = new ResponseCurves(computeComponents(source, factorGrid(factorGridSchema.parse({}))));
  return { curves, calibration: calibrate(curves, calibrationBandSchema.parse({})) };
}

/**
 * Commits `dir` as a run whose posterior is the source's known curves (posterior.json: the channels and
 * their kinds; posterior.bin: beta, shape and slope per draw), as `mmm fit` commits a fitted run, so
 * `mmm surface` / `explore` / `optimize` treat it as they treat a fitted run, posterior-hash check included.
 */
export function commitKnownCurveRun(dir: string, source: KnownCurveSource): void {
  const header = {
    format: 'known-curves',
    channels: source.spec.map((c) => ({ name: c.name, kind: c.kind, spend: c.spend })),
    nDraws: source.nDraws,
  };
  const draws = new Float64Array(source.spec.flatMap((c) => [...c.beta, ...c.shape, ...c.slope]));
  const files = [
    writeArtefact(dir, 'posterior.json', JSON.stringify(header)),
    writeArtefact(dir, 'posterior.bin', new Uint8Array(draws.buffer)),
  ];
  source.posteriorRef = posteriorRef(dir, commitRun(dir, files));
}

/**
 * A synergy pair of known curves by market: in every geo where both channels spend, the term
 * s_gp(f_c, f_d) = gamma_gd f_c / (f_c + 1) x f_d / (f_d + 1) between its (geo, channel) pairs, gamma_gd
 * scattered log-normally around gamma(g) per draw.
 */
export interface KnownSynergy {
  channels: readonly [string, string];
  gamma: (geo: number) => number;
}

/**
 * Known curves by market: one series per (geo, channel) pair, `perGeo(g)` giving geo g's channels (the same
 * names in every geo, a spend of 0 leaving the pair out), draws scattered as randomCurveSource scatters them,
 * with the synergy pairs `synergies` by geo when given (`withoutSynergy`: the same curves without their terms),
 * computed on the markets' factor grid and calibrated.
 */
export function knownMarketRun(options: {
  geos: readonly string[];
  perGeo: (geo: number) => readonly ChannelSpec[];
  nDraws: number;
  seed: number;
  spread?: number;
  synergies?: readonly KnownSynergy[];
}): { source: KnownCurveSource; run: CalibratedCurves; withoutSynergy: CalibratedCurves } {
  const specs = options.geos.map((_, g) => options.perGeo(g));
  const channels = specs[0].map((c) => c.name);
  const spend = Float64Array.from(specs.flatMap((list) => list.map((c) => c.spend)));
  const markets = marketIndex(options.geos, channels, spend);
  const pairs = specs.flatMap((list, g) =>
    list.filter((c) => c.spend > 0).map((c) => ({ ...c, name: pairLabel(options.geos[g], c.name) })),
  );
  const source = randomCurveSource({ channels: pairs, nDraws: options.nDraws, seed: options.seed, spread: options.spread });
  const grid = factorGrid(MARKET_FACTOR_GRID);
  const withoutPairs = new ResponseCurves({ ...computeComponents(source, grid), markets });
  const withoutSynergy = { curves: withoutPairs, calibration: calibrate(withoutPairs, calibrationBandSchema.parse({})) };
  const synergies = options.synergies ?? [];
  if (synergies.length === 0) return { source, run: withoutSynergy, withoutSynergy };
  const seriesOf = (g: number, name: string) => source.channels.indexOf(pairLabel(options.geos[g], name));
  const terms = options.geos.flatMap((_, g) =>
    synergies.flatMap((synergy) => (synergy.channels.every((name) => seriesOf(g, name) >= 0) ? [{ synergy, geo: g }] : [])),
  );
  const rng = createRng(options.seed, 1);
  const gamma = terms.map(({ synergy, geo }) =>
    Float64Array.from({ length: options.nDraws }, () => synergy.gamma(geo) * Math.exp(0.15 * rng.normal())),
  );
  const hill = (f: number) => f / (f + 1);
  const withPairs: ChannelResponseSource = {
    channels: source.channels,
    historicalSpend: source.historicalSpend,
    nDraws: source.nDraws,
    window: source.window,
    observedTotal: source.observedTotal,
    baseline: (out) => source.baseline(out),
    channelContribution: (c, f, out) => source.channelContribution(c, f, out),
    pairs: terms.map(({ synergy, geo }) => [seriesOf(geo, synergy.channels[0]), seriesOf(geo, synergy.channels[1])] as const),
    pairContribution: (p, fc, fd, out) => out.forEach((_, d) => (out[d] = gamma[p][d] * hill(fc) * hill(fd))),
  };
  const curves = new ResponseCurves({ ...computeComponents(withPairs, grid), markets });
  const calibration = calibrate(curves, calibrationBandSchema.parse({}));
  // The twin without the synergy shares the run's k, so the two score plans alike.
  return { source, run: { curves, calibration }, withoutSynergy: { curves: withoutPairs, calibration } };
}
