/**
 * Per-draw channel response curves read from stored components: g_{c,d}(spend) by monotone cubic
 * interpolation in the spend factor f = spend / historical spend (DESIGN.md section 4), and its
 * derivative (the marginal return). Spend outside [0, cap x history] is refused, never extrapolated; the
 * cap (the query's per-channel limit, `--cap`) defaults to the grid's largest factor and may not exceed it
 * (components-extension.ts extends the grid first).
 *
 * Synergy pairs add s_p(f_c, f_d) by bicubic interpolation of their per-draw 2-D grids (components.ts,
 * PairGrids): the tensor product of two cubic stencils (cubic-stencil.ts; cubic Hermite with three-point
 * slopes), s = sum_a sum_b u_a v_b s_{i+a, j+b} over the 4 x 4 nodes around (f_c, f_d), exact at the nodes and
 * linear in the node values. Every query (outcomeDraws, the weighted curves the optimiser reads) includes them,
 * and the marginal return of a channel at an allocation (addMarginal, WeightedCurves.marginalAt) adds each
 * term's slope along the channel, the same sum with the derivative's stencil along that channel.
 */
import type { PairGrids, ResponseComponents, ReportingWindow } from './components.ts';
import { cubicStencil, newCubicStencil, type CubicStencil } from './cubic-stencil.ts';
import type { MarketIndex } from './markets.ts';
import { hermiteWeights, monotoneSlopes, newHermiteWeights, type HermiteWeights } from './monotone-cubic.ts';

export class SpendOutOfRangeError extends Error {
  constructor(
    readonly channel: string,
    readonly spend: number,
    readonly maxSpend: number,
    readonly cap: number,
  ) {
    const shown = (v: number): number => Number(v.toPrecision(6));
    super(
      `spend ${shown(spend)} on channel '${channel}' is outside [0, ${shown(maxSpend)}], the per-channel cap of ${cap} x current spend (raise it with --cap)`,
    );
    this.name = 'SpendOutOfRangeError';
  }
}

/** Tolerance for spends computed by arithmetic that land an ulp beyond the top of the range. */
const RANGE_SLACK = 1e-9;

export class CapBeyondGridError extends Error {
  constructor(
    readonly cap: number,
    readonly maxFactor: number,
  ) {
    super(`cap ${cap} x current spend exceeds the stored factor grid (up to ${maxFactor} x); extend the components first`);
    this.name = 'CapBeyondGridError';
  }
}

export class ResponseCurves {
  readonly channels: readonly string[];
  readonly historicalSpend: Float64Array;
  readonly nDraws: number;
  readonly factors: Float64Array;
  readonly baseline: Float64Array;
  readonly window: ReportingWindow;
  readonly observedTotal: number;
  /** The geo and channel of each series of curves by market (its `channels` are then pairs). */
  readonly markets?: MarketIndex;
  /** Largest spend factor any query may use, per channel: spend <= cap x historical spend. */
  readonly cap: number;
  /** Posterior-mean curves: the draw average of the per-draw curves. */
  readonly mean: WeightedCurves;
  /** The synergy pairs' grids; absent: the outcome is separable. */
  readonly pairGrids?: PairGrids;
  private readonly values: Float32Array;
  private readonly slopes: Float64Array;
  private readonly weights: HermiteWeights = newHermiteWeights();
  private readonly rowStencil: CubicStencil = newCubicStencil();
  private readonly columnStencil: CubicStencil = newCubicStencil();

  /** `cap` (default the grid's largest factor) must lie in [1, largest factor]: current spend is always allowed. */
  constructor(components: ResponseComponents, options: { cap?: number } = {}) {
    const maxFactor = components.factors[components.factors.length - 1];
    this.cap = options.cap ?? maxFactor;
    if (!(this.cap >= 1)) throw new RangeError(`cap ${this.cap} is below 1: every channel must be able to keep its current spend`);
    if (this.cap > maxFactor) throw new CapBeyondGridError(this.cap, maxFactor);
    this.channels = components.channels;
    this.historicalSpend = components.historicalSpend;
    this.nDraws = components.nDraws;
    this.factors = components.factors;
    this.baseline = components.baseline;
    this.window = components.window;
    this.observedTotal = components.observedTotal;
    this.markets = components.markets;
    this.values = components.values;
    if (components.pairGrids) {
      const top = components.pairGrids.factors[components.pairGrids.factors.length - 1];
      if (this.cap > top) throw new CapBeyondGridError(this.cap, top);
      this.pairGrids = components.pairGrids;
    }
    const block = this.factors.length * this.nDraws;
    this.slopes = new Float64Array(this.values.length);
    for (let c = 0; c < this.channels.length; c++) {
      this.slopes.set(monotoneSlopes(this.factors, this.values.subarray(c * block, (c + 1) * block), this.nDraws), c * block);
    }
    this.mean = this.weighted(new Float64Array(this.nDraws).fill(1 / this.nDraws));
  }

  /** The same curves with a zero baseline: the outcome of an allocation is then its paid-media (incremental) outcome. */
  withoutBaseline(): ResponseCurves {
    const { channels, historicalSpend, nDraws, window, observedTotal, factors, values, cap, markets, pairGrids } = this;
    return new ResponseCurves(
      { channels, historicalSpend, nDraws, window, observedTotal, factors, baseline: new Float64Array(nDraws), values, markets, pairGrids },
      { cap },
    );
  }

  get totalHistoricalSpend(): number {
    return this.historicalSpend.reduce((sum, s) => sum + s, 0);
  }

  maxSpend(channel: number): number {
    return this.cap * this.historicalSpend[channel];
  }

  /** f = spend / historical spend, clamped onto the grid when within rounding of its ends. */
  factorOf(channel: number, spend: number): number {
    const max = this.maxSpend(channel);
    if (!(spend >= -RANGE_SLACK * max && spend <= max * (1 + RANGE_SLACK))) {
      throw new SpendOutOfRangeError(this.channels[channel], spend, max, this.cap);
    }
    return Math.min(Math.max(spend / this.historicalSpend[channel], 0), this.cap);
  }

  /** out[d] += g_{c,d}(spend), or with `marginal` out[d] += d g_{c,d} / d spend. */
  addChannel(channel: number, spend: number, out: Float64Array, marginal = false): void {
    const w = hermiteWeights(this.factors, this.factorOf(channel, spend), marginal, this.weights);
    const scale = marginal ? 1 / this.historicalSpend[channel] : 1;
    const a0 = w.a0 * scale;
    const b0 = w.b0 * scale;
    const a1 = w.a1 * scale;
    const b1 = w.b1 * scale;
    const n = this.nDraws;
    const at = (channel * this.factors.length + w.interval) * n;
    const { values, slopes } = this;
    for (let d = 0; d < n; d++) {
      out[d] += a0 * values[at + d] + b0 * slopes[at + d] + a1 * values[at + n + d] + b1 * slopes[at + n + d];
    }
  }

  /** out[d] = baseline_d + sum_c g_{c,d}(spend_c) + sum_p s_{p,d}(spend_c, spend_d): the outcome of an allocation per draw. */
  outcomeDraws(spend: Float64Array, out: Float64Array): void {
    out.set(this.baseline);
    for (let c = 0; c < this.channels.length; c++) this.addChannel(c, spend[c], out);
    this.pairGrids?.pairs.forEach(([c, e], p) => this.addPair(p, spend[c], spend[e], out));
  }

  /**
   * out[d] += s_{p,d}(spendC, spendD), bicubic on pair p's grid; with `along` (0: the pair's first channel,
   * 1: its second) out[d] += d s_{p,d} / d spend of that channel instead.
   */
  addPair(pair: number, spendC: number, spendD: number, out: Float64Array, along?: 0 | 1): void {
    const grids = this.pairGrids;
    if (!grids) throw new RangeError('these curves hold no synergy pairs');
    const { rows, columns, scale } = this.pairStencils(pair, spendC, spendD, along);
    const n = this.nDraws;
    const F = grids.factors.length;
    const v = grids.values;
    for (let a = 0; a < 4; a++) {
      for (let b = 0; b < 4; b++) {
        const w = scale * rows.weights[a] * columns.weights[b];
        // At a node most of the 16 weights are zero; the grid's values are finite, so skipping them changes nothing.
        if (w === 0) continue;
        const at = ((pair * F + rows.first + a) * F + columns.first + b) * n;
        for (let d = 0; d < n; d++) out[d] += w * v[at + d];
      }
    }
  }

  /**
   * The stencils of pair p's grid at (spendC, spendD): rows along its first channel, columns along its second;
   * with `along`, that channel's is the derivative's and `scale` turns d/d factor into d/d spend. The stencils are
   * this object's scratch (no allocation per query): read them before the next call.
   */
  pairStencils(pair: number, spendC: number, spendD: number, along?: 0 | 1): { rows: CubicStencil; columns: CubicStencil; scale: number } {
    const grids = this.pairGrids!;
    const [c, e] = grids.pairs[pair];
    cubicStencil(grids.factors, this.factorOf(c, spendC), along === 0, this.rowStencil, this.weights);
    cubicStencil(grids.factors, this.factorOf(e, spendD), along === 1, this.columnStencil, this.weights);
    const scale = along === undefined ? 1 : 1 / this.historicalSpend[along === 0 ? c : e];
    return { rows: this.rowStencil, columns: this.columnStencil, scale };
  }

  /**
   * out[d] += the contribution of `channel` at the allocation `spend`: g_{c,d} plus half of every synergy term it
   * is part of (the Shapley split of a bilinear term, as the fit reports it), so contributions add up.
   */
  addContribution(channel: number, spend: Float64Array, out: Float64Array): void {
    this.addChannel(channel, spend[channel], out);
    const pairs = (this.pairGrids?.pairs ?? []).flatMap(([c, e], p) => (c === channel || e === channel ? [p] : []));
    if (pairs.length === 0) return;
    const terms = new Float64Array(this.nDraws);
    for (const p of pairs) {
      const [c, e] = this.pairGrids!.pairs[p];
      this.addPair(p, spend[c], spend[e], terms);
    }
    for (let d = 0; d < this.nDraws; d++) out[d] += 0.5 * terms[d];
  }

  /** out[d] += d outcome_d / d spend of `channel` at the allocation `spend`: its curve's slope and every synergy term's it is part of. */
  addMarginal(channel: number, spend: Float64Array, out: Float64Array): void {
    this.addChannel(channel, spend[channel], out, true);
    this.pairGrids?.pairs.forEach(([c, e], p) => {
      if (c === channel || e === channel) this.addPair(p, spend[c], spend[e], out, c === channel ? 0 : 1);
    });
  }

  /** The curves sum_d w_d g_{c,d}: node values and slopes are summed once, queries then cost O(1). */
  weighted(drawWeights: Float64Array): WeightedCurves {
    const nFactors = this.factors.length;
    const values = new Float64Array(this.channels.length * nFactors);
    const slopes = new Float64Array(this.channels.length * nFactors);
    // Only draws of non-zero weight are summed (a quantile's tail weights leave most at zero); the sums
    // run in draw order either way, so they are the same numbers.
    const used: number[] = [];
    drawWeights.forEach((w, d) => {
      if (w !== 0) used.push(d);
    });
    const drawsUsed = Int32Array.from(used);
    const weightsUsed = Float64Array.from(drawsUsed, (d) => drawWeights[d]);
    const { nDraws, values: nodeValues, slopes: nodeSlopes } = this;
    for (let node = 0; node < values.length; node++) {
      const at = node * nDraws;
      let v = 0;
      let s = 0;
      for (let i = 0; i < drawsUsed.length; i++) {
        const w = weightsUsed[i];
        const d = at + drawsUsed[i];
        v += w * nodeValues[d];
        s += w * nodeSlopes[d];
      }
      values[node] = v;
      slopes[node] = s;
    }
    const grids = this.pairGrids;
    const pairValues = new Float64Array(grids ? grids.values.length / nDraws : 0);
    for (let node = 0; node < pairValues.length; node++) {
      let v = 0;
      for (let i = 0; i < drawsUsed.length; i++) v += weightsUsed[i] * grids!.values[node * nDraws + drawsUsed[i]];
      pairValues[node] = v;
    }
    return new WeightedCurves(this, values, slopes, pairValues);
  }
}

/** A draw-weighted sum of the per-draw curves (the Hermite interpolant is linear in node values and slopes). */
export class WeightedCurves {
  private readonly weights: HermiteWeights = newHermiteWeights();

  constructor(
    private readonly curves: ResponseCurves,
    private readonly values: Float64Array,
    private readonly slopes: Float64Array,
    /** sum_d w_d s_{p,d} at pair p's grid nodes, laid out as PairGrids.values without the draw axis. */
    private readonly pairValues: Float64Array,
  ) {}

  /** sum_d w_d s_{p,d}(spendC, spendD), bicubic on the pair's grid; with `along`, its slope along that channel (as addPair). */
  pairValue(pair: number, spendC: number, spendD: number, along?: 0 | 1): number {
    const F = this.curves.pairGrids!.factors.length;
    const { rows, columns, scale } = this.curves.pairStencils(pair, spendC, spendD, along);
    const v = this.pairValues;
    let sum = 0;
    for (let a = 0; a < 4; a++) {
      const at = (pair * F + rows.first + a) * F + columns.first;
      for (let b = 0; b < 4; b++) sum += rows.weights[a] * columns.weights[b] * v[at + b];
    }
    return scale * sum;
  }

  /** sum_d w_d g_{c,d}(spend) */
  value(channel: number, spend: number): number {
    return this.evaluate(channel, spend, false);
  }

  /** sum_d w_d d g_{c,d} / d spend: the channel's own curve alone. */
  marginal(channel: number, spend: number): number {
    return this.evaluate(channel, spend, true) / this.curves.historicalSpend[channel];
  }

  /** sum_d w_d d outcome_d / d spend of `channel` at the allocation `spend`, synergy terms included (as addMarginal). */
  marginalAt(channel: number, spend: Float64Array): number {
    return (this.curves.pairGrids?.pairs ?? []).reduce(
      (sum, [c, e], p) => (c === channel || e === channel ? sum + this.pairValue(p, spend[c], spend[e], c === channel ? 0 : 1) : sum),
      this.marginal(channel, spend[channel]),
    );
  }

  private evaluate(channel: number, spend: number, derivative: boolean): number {
    const { factors } = this.curves;
    const w = hermiteWeights(factors, this.curves.factorOf(channel, spend), derivative, this.weights);
    const at = channel * factors.length + w.interval;
    return w.a0 * this.values[at] + w.b0 * this.slopes[at] + w.a1 * this.values[at + 1] + w.b1 * this.slopes[at + 1];
  }
}
