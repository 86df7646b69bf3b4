/**
 * A fitted run's response source by market (DESIGN.md section 9, "Markets"): the run's source
 * (mmm-response-source.ts) with one series per (geo, channel) pair that spent in the window instead of one
 * per channel. A pair's factor scales that pair's historical spend series alone, flighting and cost per unit
 * kept, the other geos and channels unchanged (the model has no terms across geos or channels), so
 *   g_gc(f) = beta_gc sum_{t in W} outcomeScale(g,t) [h_c(f u_gct + (1 - f) v_gct) - h_c(v_gct)],
 * the national convention with the sum over geos split. The baseline is the run's (every geo, every channel
 * switched off inside the window), so an allocation's outcome is baseline + sum over pairs, and calibration
 * anchors the same k. Components, their store, the curves, the DP and scoring run on it unchanged.
 * Synergy pairs (model.interactions) are terms across channels, which series by market leave out: the index
 * names them (synergyPairs), and the optimiser by market refuses such a run (market-optimizer.ts).
 */
import type { SurfaceDesign } from '../config/schema.ts';
import type { PosteriorRef } from '../io/run-manifest.ts';
import type { ReportingWindow } from '../surface/components.ts';
import { marketIndex, pairLabels, type MarketIndex } from '../surface/markets.ts';
import type { ChannelResponseSource } from '../surface/response-source.ts';
import { loadResponseSource, type MmmResponseSource, type ResponseSourceOptions } from './mmm-response-source.ts';

export class MarketResponseSource implements ChannelResponseSource {
  readonly channels: readonly string[];
  readonly markets: MarketIndex;
  /** Historical spend of each pair over the window. */
  readonly historicalSpend: Float64Array;
  readonly nDraws: number;
  readonly window: ReportingWindow;
  readonly observedTotal: number;
  readonly posteriorRef?: PosteriorRef;
  readonly design?: SurfaceDesign;

  constructor(readonly source: MmmResponseSource) {
    const C = source.channels.length;
    this.markets = marketIndex(source.geos, source.channels, source.pairSpend, source.pairs);
    this.channels = pairLabels(this.markets);
    this.historicalSpend = Float64Array.from(this.markets.geoOf, (g, p) => source.pairSpend[g * C + this.markets.channelOf[p]]);
    this.nDraws = source.nDraws;
    this.window = source.window;
    this.observedTotal = source.observedTotal;
    this.posteriorRef = source.posteriorRef;
    this.design = source.design;
  }

  baseline(out: Float64Array): void {
    this.source.baseline(out);
  }

  /** g_gc(f) per draw for series `pair`. */
  channelContribution(pair: number, factor: number, out: Float64Array): void {
    this.channelContributions(pair, Float64Array.of(factor), out);
  }

  /** g_gc(f_i) per draw for every factor of `factors`, out[i * nDraws + d]. */
  channelContributions(pair: number, factors: Float64Array, out: Float64Array): void {
    this.checkPair(pair);
    this.source.geoChannelContributions(this.markets.channelOf[pair], this.markets.geoOf[pair], factors, out);
  }

  private checkPair(pair: number): void {
    if (!(pair >= 0 && pair < this.channels.length && Number.isInteger(pair))) {
      throw new RangeError(`pair index ${pair} is not one of the ${this.channels.length} (geo, channel) pairs`);
    }
  }
}

/** The market source of a run directory written by `mmm fit --out DIR` (a ResponseSourceLoader). */
export async function loadMarketSource(runDir: string, options: ResponseSourceOptions = {}): Promise<MarketResponseSource> {
  return new MarketResponseSource(await loadResponseSource(runDir, options));
}
