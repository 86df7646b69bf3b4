/**
 * A fitted run's response source by market (DESIGN.md section 9, "Markets"): the run's source
 * (mmm-response-source.ts) with one series per (geo, channel) pair that spent in the window instead of one
 * per channel. A pair's factor scales that pair's historical spend series alone, flighting and cost per unit
 * kept, the other geos and channels unchanged (the model has no terms across geos or channels), so
 *   g_gc(f) = beta_gc sum_{t in W} outcomeScale(g,t) [h_c(f u_gct + (1 - f) v_gct) - h_c(v_gct)],
 * the national convention with the sum over geos split. The baseline is the run's (every geo, every channel
 * switched off inside the window), so an allocation's outcome is baseline + sum over pairs, and calibration
 * anchors the same k. Components, their store, the curves, the DP and scoring run on it unchanged.
 *
 * Synergy pairs (model.interactions, theta_p national): the term theta_p h_c h_d is a sum over geos, so it splits
 * into one term per geo, s_gp(f_gc, f_gd) = theta_p sum_{t in W} outcomeScale(g,t) [h_c(u'_gc) h_d(u'_gd) - h_c(v_gc) h_d(v_gd)]
 * (MmmResponseSource.geoPairContribution). Each is a synergy pair of this source between the series (g, c) and
 * (g, d) (`pairs`, geo-major), so the components hold its 2-D grid and every query, the optimiser by market
 * included, adds it as the national source's pairs are added. Where one of the two has no spend in the window
 * (no series: it stays off there), the term depends on the other's factor alone, through the carry-in of the
 * one without spend; it is added to the other series' own curve, s_gp(f, 0), so the outcome stays exact.
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
  /** Synergy pairs between series: [series of (g, c), series of (g, d)] for every geo g where both spent. */
  readonly pairs: readonly (readonly [number, number])[];
  /** The model's synergy pair and the geo of each of `pairs`. */
  private readonly pairTerms: readonly { synergy: number; geo: number }[];
  /** Per series, the geo terms of synergy pairs whose other channel has no spend there: the pair and the series' side (0: c, 1: d). */
  private readonly oneSided: readonly { synergy: number; side: 0 | 1 }[][];

  constructor(readonly source: MmmResponseSource) {
    const C = source.channels.length;
    this.markets = marketIndex(source.geos, source.channels, source.pairSpend);
    this.channels = pairLabels(this.markets);
    this.historicalSpend = Float64Array.from(this.markets.geoOf, (g, p) => source.pairSpend[g * C + this.markets.channelOf[p]]);
    const seriesOf = new Int32Array(source.geos.length * C).fill(-1);
    this.markets.geoOf.forEach((g, p) => (seriesOf[g * C + this.markets.channelOf[p]] = p));
    const pairs: [number, number][] = [];
    const pairTerms: { synergy: number; geo: number }[] = [];
    const oneSided = this.channels.map((): { synergy: number; side: 0 | 1 }[] => []);
    source.geos.forEach((_, g) =>
      source.pairs.forEach(([c, d], synergy) => {
        const [a, b] = [seriesOf[g * C + c], seriesOf[g * C + d]];
        if (a >= 0 && b >= 0) {
          pairs.push([a, b]);
          pairTerms.push({ synergy, geo: g });
        } else if (a >= 0) oneSided[a].push({ synergy, side: 0 });
        else if (b >= 0) oneSided[b].push({ synergy, side: 1 });
      }),
    );
    this.pairs = pairs;
    this.pairTerms = pairTerms;
    this.oneSided = oneSided;
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

  /** g_gc(f_i) per draw for every factor of `factors`, out[i * nDraws + d], with the one-sided synergy terms s_gp(f_i, 0). */
  channelContributions(pair: number, factors: Float64Array, out: Float64Array): void {
    this.checkPair(pair);
    const geo = this.markets.geoOf[pair];
    this.source.geoChannelContributions(this.markets.channelOf[pair], geo, factors, out);
    const n = this.nDraws;
    const term = new Float64Array(n);
    for (const { synergy, side } of this.oneSided[pair]) {
      factors.forEach((f, i) => {
        this.source.geoPairContribution(synergy, geo, side === 0 ? f : 0, side === 0 ? 0 : f, term);
        for (let d = 0; d < n; d++) out[i * n + d] += term[d];
      });
    }
  }

  /** s_gp(f_gc, f_gd) per draw for synergy pair `pair` of this source (one of `pairs`). */
  pairContribution(pair: number, factorC: number, factorD: number, out: Float64Array): void {
    this.checkSynergyPair(pair);
    const { synergy, geo } = this.pairTerms[pair];
    this.source.geoPairContribution(synergy, geo, factorC, factorD, out);
  }

  /** s_gp on the grid `factors` x `factors` per draw, out[(i * F + j) * nDraws + d] (one pass over the geo's series). */
  pairContributionGrid(pair: number, factors: Float64Array, out: Float64Array): void {
    this.checkSynergyPair(pair);
    const { synergy, geo } = this.pairTerms[pair];
    this.source.geoPairContributionGrid(synergy, geo, factors, out);
  }

  private checkSynergyPair(pair: number): void {
    if (!(pair >= 0 && pair < this.pairs.length && Number.isInteger(pair))) {
      throw new RangeError(`synergy pair index ${pair} is not one of the ${this.pairs.length} synergy pairs by geo`);
    }
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
