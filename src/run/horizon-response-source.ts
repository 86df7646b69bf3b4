/**
 * The plan horizon as the decision layer sees it (ChannelResponseSource, DESIGN.md section 4): the run's
 * response source (mmm-response-source.ts) over the fitted model extended by the horizon (horizon.ts),
 * with the horizon as its reporting window. Its counterfactual is then the horizon's: channel c's
 * reference spend inside the horizon scaled by f (its flighting kept), the adstock of the data's spend
 * carrying in unscaled (part of the baseline, with trend, seasonality and controls continued), and the
 * horizon's carry-over past its end counted only when the horizon includes the countCarryover weeks.
 * Components, the enumerated surface, the optimiser, frontier, alternatives and goal seek run on it
 * unchanged; its draws are the horizon's (the same thinning). Synergy pairs (model.interactions) come with
 * it: their terms over the horizon, relative to both channels off in it, as the run's source answers them, so
 * the components carry their 2-D grids and every plan, frontier and goal seek on the horizon includes them.
 *
 * Nothing in the future is observed, so `observedTotal` is the calibrated expectation of the reference plan,
 * k x its posterior-mean modelled outcome, with k the latest reporting window's: calibrating the horizon's
 * components (calibrate(), surface/calibration.ts) reproduces that k.
 */
import type { SurfaceDesign } from '../config/schema.ts';
import type { PosteriorRef } from '../io/run-manifest.ts';
import type { CalibratedCurves } from '../surface/calibration.ts';
import { computeComponents } from '../surface/components.ts';
import type { z } from 'zod';
import { factorGrid, factorGridSchema } from '../surface/factor-grid.ts';
import { ResponseCurves } from '../surface/response-curves.ts';
import type { ChannelResponseSource } from '../surface/response-source.ts';
import type { Horizon } from './horizon.ts';
import { MmmResponseSource } from './mmm-response-source.ts';

export class HorizonResponseSource implements ChannelResponseSource {
  readonly channels: readonly string[];
  /** The reference plan's spend per channel over the horizon (the f = 1 point). */
  readonly historicalSpend: Float64Array;
  readonly nDraws: number;
  /** The horizon's weeks, carry-over weeks included (countCarryover). */
  readonly window: { start: string; end: string };
  readonly observedTotal: number;
  readonly posteriorRef?: PosteriorRef;
  readonly design: SurfaceDesign;
  readonly drawIndices: readonly number[];
  /** The run's response source over the extended model, the horizon its window: what weekly outcomes and timing take. */
  readonly source: MmmResponseSource;
  readonly pairs: readonly (readonly [number, number])[];

  constructor(readonly horizon: Horizon) {
    const { extended, posterior, window, maxDraws, calibration } = horizon;
    this.source = new MmmResponseSource(
      extended.model,
      extended.panel,
      posterior,
      { window, maxDraws },
      horizon.posteriorRef,
      horizon.config.surface,
    );
    this.channels = this.source.channels;
    this.historicalSpend = this.source.historicalSpend;
    this.nDraws = this.source.nDraws;
    this.window = this.source.window;
    this.posteriorRef = horizon.posteriorRef;
    this.design = horizon.config.surface;
    this.drawIndices = this.source.drawIndices;
    this.pairs = this.source.pairs;
    const outcome = new Float64Array(this.nDraws);
    const term = new Float64Array(this.nDraws);
    this.source.baseline(outcome);
    this.channels.forEach((_, c) => {
      this.source.channelContribution(c, 1, term);
      for (let d = 0; d < this.nDraws; d++) outcome[d] += term[d];
    });
    this.pairs.forEach((_, p) => {
      this.source.pairContribution(p, 1, 1, term);
      for (let d = 0; d < this.nDraws; d++) outcome[d] += term[d];
    });
    this.observedTotal = (calibration.factor * outcome.reduce((sum, v) => sum + v, 0)) / this.nDraws;
  }

  baseline(out: Float64Array): void {
    this.source.baseline(out);
  }

  channelContribution(channel: number, factor: number, out: Float64Array): void {
    this.source.channelContribution(channel, factor, out);
  }

  pairContribution(pair: number, factorC: number, factorD: number, out: Float64Array): void {
    this.source.pairContribution(pair, factorC, factorD, out);
  }

  channelContributions(channel: number, factors: Float64Array, out: Float64Array): void {
    this.source.channelContributions(channel, factors, out);
  }
}

/**
 * The horizon's per-draw response curves on the factor grid (components computed now, not stored) with the
 * latest reporting window's calibration: what explore's optimiser, frontier and goal seek take.
 */
export function horizonCurves(source: HorizonResponseSource, grid: z.input<typeof factorGridSchema> = {}): CalibratedCurves {
  const components = computeComponents(source, factorGrid(factorGridSchema.parse(grid)));
  return { curves: new ResponseCurves(components), calibration: source.horizon.calibration };
}
