/**
 * The frozen generator of the experiment benchmarks (issue 17): national datasets from the model's own
 * generative process (src/model/simulate.ts) in which channel ch1's weekly spend follows ch0's (the same
 * flighting times its own level and a log-normal wobble of sd 0.2), so that the two channels' spends
 * correlate above 0.9 and the data alone can hardly split their effects, with a residual sd drawn from
 * HalfNormal(0.6) on the scaled KPI (noise up to about half the KPI's sd); and a go-dark lift test on ch0.
 */
import type { Experiment } from '../../../src/config/experiment-config.ts';
import type { MmmConfigInput } from '../../../src/config/schema.ts';
import { createRng } from '../../../src/math/rng.ts';
import { simulateExperiment } from '../../../src/model/simulate-experiment.ts';
import { simulateDataset, type SimulatedDataset } from '../../../src/model/simulate.ts';

/** Pearson correlation of two series. */
export function correlation(a: ArrayLike<number>, b: ArrayLike<number>): number {
  const n = a.length;
  let ma = 0;
  let mb = 0;
  for (let i = 0; i < n; i++) {
    ma += a[i] / n;
    mb += b[i] / n;
  }
  let sab = 0;
  let saa = 0;
  let sbb = 0;
  for (let i = 0; i < n; i++) {
    sab += (a[i] - ma) * (b[i] - mb);
    saa += (a[i] - ma) ** 2;
    sbb += (b[i] - mb) ** 2;
  }
  return sab / Math.sqrt(saa * sbb);
}

export interface CorrelatedDataset extends SimulatedDataset {
  /** Correlation of the two channels' weekly spend. */
  spendCorrelation: number;
}

/** Dataset `seed`: 104 national weeks, channels ch0 and ch1 moving together, one control. */
export function correlatedDataset(seed: number, model: MmmConfigInput['model'] = {}): CorrelatedDataset {
  const sim = simulateDataset({
    geos: 1,
    weeks: 104,
    channels: 2,
    controls: 1,
    seed,
    noiseSd: 0.6,
    model: { maxLag: 4, seasonality: { harmonics: 1 }, ...model },
    adjustSpend(spend, { T, C }, rng) {
      let level0 = 0;
      let level1 = 0;
      for (let t = 0; t < T; t++) {
        level0 += spend[t * C];
        level1 += spend[t * C + 1];
      }
      for (let t = 0; t < T; t++) spend[t * C + 1] = ((spend[t * C] * level1) / level0) * Math.exp(0.2 * rng.normal());
    },
  });
  const T = sim.panel.dates.length;
  const ch0 = Float64Array.from({ length: T }, (_, t) => sim.panel.spend[t * 2]);
  const ch1 = Float64Array.from({ length: T }, (_, t) => sim.panel.spend[t * 2 + 1]);
  return { ...sim, spendCorrelation: correlation(ch0, ch1) };
}

/**
 * A go-dark test of ch0 over 12 weeks (the first 12-week window from week 40 on with spend in at least 8 of
 * them), its estimate drawn around the true incremental outcome with a standard error of `relativeSe` of it.
 */
export function liftTest(sim: SimulatedDataset, seed: number, relativeSe: number): { experiment: Experiment; trueOutcome: number } {
  const { panel } = sim;
  const T = panel.dates.length;
  let start = 40;
  const active = (s: number) => Array.from({ length: 12 }, (_, k) => panel.spend[(s + k) * 2]).filter((v) => v > 0).length;
  while (start + 12 < T - 8 && active(start) < 8) start++;
  return simulateExperiment(
    panel,
    sim.config,
    sim.theta,
    {
      id: 'ch0-holdout',
      channel: 'ch0',
      geo: null,
      start: panel.dates[start],
      end: panel.dates[start + 11],
      relativeStandardError: relativeSe,
    },
    createRng(seed, 17),
  );
}
