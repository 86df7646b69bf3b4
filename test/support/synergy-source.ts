/**
 * A constructed synergy case: known per-draw curves g_c(f) = beta_c f / (f + 1) and known positive pair terms
 * s_p(f_c, f_d) = gamma_p f_c / (f_c + 1) x f_d / (f_d + 1), through the components and the curves as a run's
 * are. `pairs` picks the pairs (default one, tv x search); `withoutPairs` gives the same channel curves with
 * no pair terms, the separable model that ignores the synergy.
 */
import { createRng } from '../../src/math/rng.ts';
import { calibrate, calibrationBandSchema, type CalibratedCurves } from '../../src/surface/calibration.ts';
import { computeComponents } from '../../src/surface/components.ts';
import { factorGrid, factorGridSchema } from '../../src/surface/factor-grid.ts';
import { ResponseCurves } from '../../src/surface/response-curves.ts';
import type { ChannelResponseSource } from '../../src/surface/response-source.ts';

export const SYNERGY_DRAWS = 40;
const hill = (f: number): number => f / (f + 1);

export function synergySource(
  options: { pairs?: readonly (readonly [number, number])[]; withoutPairs?: boolean } = {},
): ChannelResponseSource {
  const pairs = options.withoutPairs ? [] : (options.pairs ?? [[0, 1]]);
  const rng = createRng(7, 0);
  const beta = [1.0, 0.9, 1.5, 0.6].map((b) => Float64Array.from({ length: SYNERGY_DRAWS }, () => b * (0.9 + 0.2 * rng.uniform())));
  const gamma = Float64Array.from({ length: SYNERGY_DRAWS }, () => 2.5 * (0.9 + 0.2 * rng.uniform()));
  const historicalSpend = Float64Array.from([100, 80, 120, 60]);
  return {
    channels: ['tv', 'search', 'social', 'radio'],
    historicalSpend,
    nDraws: SYNERGY_DRAWS,
    window: { start: '2024-01-01', end: '2024-12-30' },
    observedTotal: 12.6,
    baseline: (out) => out.fill(10),
    channelContribution: (c, f, out) => out.forEach((_, d) => (out[d] = beta[c][d] * hill(f))),
    ...(pairs.length > 0
      ? {
          pairs,
          pairContribution: (p: number, fc: number, fd: number, out: Float64Array) =>
            out.forEach((_, d) => (out[d] = (gamma[d] / (1 + p)) * hill(fc) * hill(fd))),
        }
      : {}),
  };
}

/** The source's curves on the default factor grid, calibrated; `factor` pins k (the separable twin takes the synergy run's k). */
export function synergyRun(source: ChannelResponseSource, factor?: number): CalibratedCurves {
  const curves = new ResponseCurves(computeComponents(source, factorGrid(factorGridSchema.parse({}))));
  const calibration = calibrate(curves, calibrationBandSchema.parse({ lower: 0.01, upper: 100 }));
  return { curves, calibration: factor === undefined ? calibration : { ...calibration, factor } };
}

/** Calibrated posterior-mean outcome of an allocation. */
export function meanOutcome(run: CalibratedCurves, spend: Float64Array): number {
  const draws = new Float64Array(run.curves.nDraws);
  run.curves.outcomeDraws(spend, draws);
  return (run.calibration.factor * draws.reduce((a, b) => a + b, 0)) / draws.length;
}
