import { describe, expect, it } from 'vitest';
import type { ChannelEvidence } from '../../src/analysis/evidence.ts';
import { feasibleBounds } from '../../src/explore/constraints.ts';
import { optimizeMarkets } from '../../src/explore/market-optimizer.ts';
import { channelMoves, counterfactualWithout, pairEvidence } from '../../src/explore/move-evidence.ts';
import { optimize } from '../../src/explore/optimizer.ts';
import { calibratedRun, FIVE_CHANNELS, knownMarketRun, randomCurveSource, type KnownCurveSource } from '../support/known-curve-source.ts';

const total = (spend: Float64Array): number => spend.reduce((a, b) => a + b, 0);

describe('the counterfactual of one channel move', () => {
  const run = calibratedRun(randomCurveSource({ channels: FIVE_CHANNELS, nDraws: 50, seed: 2 }));
  const current = run.curves.historicalSpend;

  it('puts the channel back at current spend and spreads the difference over the others in proportion, budget kept', () => {
    const bounds = feasibleBounds(run.curves, {}, 100_000);
    const recommended = Float64Array.from([40_000, 30_000, 15_000, 10_000, 5_000]); // search +10,000, tv -10,000
    const withoutSearch = counterfactualWithout(recommended, current, bounds, 1);
    expect(withoutSearch[1]).toBe(20_000);
    expect(total(withoutSearch)).toBeCloseTo(100_000, 8);
    // The 10,000 search took goes back to the others in proportion to their recommended 40 : 15 : 10 : 5.
    [0, 2, 3, 4].forEach((c) => expect(withoutSearch[c] - recommended[c]).toBeCloseTo((10_000 * recommended[c]) / 70_000, 8));
    const withoutTv = counterfactualWithout(recommended, current, bounds, 0);
    expect(withoutTv[0]).toBe(50_000);
    expect(total(withoutTv)).toBeCloseTo(100_000, 8);
    [1, 2, 3, 4].forEach((c) => expect(recommended[c] - withoutTv[c]).toBeCloseTo((10_000 * recommended[c]) / 60_000, 8));
  });

  it('keeps the others within their bounds, a locked channel untouched, and leaves unspent what none can take', () => {
    const bounds = feasibleBounds(run.curves, { radio: { locked: true }, social: { maxRelative: 1.1 } }, 100_000);
    const recommended = Float64Array.from([20_000, 50_000, 16_000, 9_000, 5_000]); // search +30,000
    const without = counterfactualWithout(recommended, current, bounds, 1);
    expect(without[4]).toBe(5_000);
    expect(without[2]).toBeCloseTo(16_500, 8); // social capped at 1.1 x 15,000
    expect(total(without)).toBeCloseTo(100_000, 8);
    without.forEach((s, c) => {
      expect(s).toBeLessThanOrEqual(Math.max(bounds.upper[c], c === 1 ? current[1] : 0) + 1e-9);
      expect(s).toBeGreaterThanOrEqual(Math.min(bounds.lower[c], c === 1 ? current[1] : Infinity) - 1e-9);
    });
    // Two channels, the other at its cap: the money cannot go anywhere and stays unspent.
    const pair = calibratedRun(randomCurveSource({ channels: FIVE_CHANNELS.slice(0, 2), nDraws: 20, seed: 1 }));
    const pairBounds = feasibleBounds(pair.curves, { tv: { maxRelative: 1 } }, 80_000);
    const unspent = counterfactualWithout(Float64Array.from([50_000, 30_000]), pair.curves.historicalSpend, pairBounds, 1);
    expect([...unspent]).toEqual([50_000, 20_000]);
  });
});

describe('P(the move helps)', () => {
  /** Exact per-draw outcome from the known curves (no interpolation): the check on the components' answer. */
  const exactOutcome = (source: KnownCurveSource, spend: Float64Array, d: number): number =>
    source.baselineDraws[d] + spend.reduce((sum, s, c) => sum + source.contribution(c, s / source.historicalSpend[c], d), 0);

  it('is the share of draws in which the plan beats its counterfactual, as the exact curves give it', () => {
    for (const seed of [3, 4, 5]) {
      const source = randomCurveSource({ channels: FIVE_CHANNELS, nDraws: 400, seed, spread: 0.4 });
      const run = calibratedRun(source);
      const budget = 1.2 * run.curves.totalHistoricalSpend;
      const result = optimize(run, { budget });
      const moves = channelMoves(
        run,
        result.plan.spend,
        result.bounds,
        result.gridStep,
        FIVE_CHANNELS.map(() => null),
      );
      moves.forEach((move, c) => {
        if (!move.moved) return;
        const without = counterfactualWithout(result.plan.spend, run.curves.historicalSpend, result.bounds, c);
        let wins = 0;
        for (let d = 0; d < source.nDraws; d++) if (exactOutcome(source, result.plan.spend, d) > exactOutcome(source, without, d)) wins++;
        // The components interpolate the curves (relative error ~1e-6): only near-ties could differ.
        expect(Math.abs(move.pMoveHelps! - wins / source.nDraws), `seed ${seed} ${move.channel}`).toBeLessThanOrEqual(0.01);
      });
    }
  });

  it('is near 1 for a move the posterior agrees on and falls toward 1/2 as the posterior widens', () => {
    // The same optimum on a narrow and on a wide posterior around the same curves: a wider posterior
    // leaves more draws in which undoing a channel's move would do better.
    const mean = (spread: number) => {
      const run = calibratedRun(randomCurveSource({ channels: FIVE_CHANNELS, nDraws: 400, seed: 9, spread }));
      const result = optimize(run, {});
      const moves = channelMoves(
        run,
        result.plan.spend,
        result.bounds,
        result.gridStep,
        FIVE_CHANNELS.map(() => null),
      );
      const moved = moves.filter((m) => m.moved);
      return moved.reduce((sum, m) => sum + m.pMoveHelps!, 0) / moved.length;
    };
    const narrow = mean(0.02);
    const wide = mean(0.6);
    console.log(`mean P(move helps) over moved channels: spread 0.02 -> ${narrow.toFixed(3)}, spread 0.6 -> ${wide.toFixed(3)}`);
    expect(narrow).toBeGreaterThan(0.97);
    expect(wide).toBeLessThan(narrow - 0.1);
  });

  it('carries each channel its evidence label, and leaves P blank where the channel did not move', () => {
    const run = calibratedRun(randomCurveSource({ channels: FIVE_CHANNELS, nDraws: 100, seed: 6 }));
    const result = optimize(run, { channels: { radio: { locked: true } } });
    const informed: ChannelEvidence = { contraction: 0.6, shift: 0.2, informed: true, label: 'informed by the data' };
    const prior: ChannelEvidence = { contraction: 0.02, shift: 0, informed: false, label: 'not informed by the data' };
    const moves = channelMoves(run, result.plan.spend, result.bounds, result.gridStep, [informed, prior, informed, null, prior]);
    expect(moves.map((m) => m.evidenceLabel)).toEqual([
      'informed by the data',
      'not informed by the data',
      'informed by the data',
      null,
      'not informed by the data',
    ]);
    expect(moves.map((m) => m.informed)).toEqual([true, false, true, null, false]);
    expect(moves[4]).toMatchObject({ channel: 'radio', moved: false, pMoveHelps: null });
    for (const move of moves) expect(move.pMoveHelps === null).toBe(!move.moved);
  });
});

describe('P(the move helps) by market, per (geo, channel) pair', () => {
  const informed: ChannelEvidence = { contraction: 0.6, shift: 0.2, informed: true, label: 'informed by the data' };
  const prior: ChannelEvidence = { contraction: 0.02, shift: 0, informed: false, label: 'not informed by the data' };
  // tv and radio rest on their prior in every geo; the others are informed.
  const byChannel = FIVE_CHANNELS.map((c) => (c.name === 'tv' || c.name === 'radio' ? prior : informed));

  it("gives each pair its channel's evidence and the share of draws the exact curves by market give", () => {
    const geos = ['A', 'B', 'C'];
    const { source, run } = knownMarketRun({
      geos,
      // Geo g's curves a larger, less saturated copy of geo A's, so the plan moves budget between geos.
      perGeo: (g) => FIVE_CHANNELS.map((c) => ({ ...c, spend: c.spend * (1 + 0.5 * g), beta: c.beta * (1 + g) })),
      nDraws: 400,
      seed: 11,
      spread: 0.3,
    });
    const index = run.curves.markets!;
    const markets = Object.fromEntries(geos.map((geo) => [geo, { minRelative: 0.8, maxRelative: 1.2 }]));
    const result = optimizeMarkets(run, { constraints: { markets } });
    const moves = channelMoves(run, result.plan.spend, result.bounds.pairs, result.gridStep, pairEvidence(index, byChannel));
    expect(moves.map((m) => m.evidenceLabel)).toEqual(index.channelOf.map((c) => byChannel[c].label));
    expect(moves.some((m) => m.moved)).toBe(true);
    // Independent per-draw computation: the known curves evaluated directly (not the components), each pair's
    // counterfactual within its bounds; the baseline is common to both plans.
    const paidMedia = (spend: Float64Array, d: number): number =>
      spend.reduce((sum, s, p) => sum + source.contribution(p, s / source.historicalSpend[p], d), 0);
    // A draw can fall the other way only where the plan and its counterfactual nearly tie: within the components'
    // interpolation error on the markets' 29-node grid, bounded here by 0.2% of the paid-media outcome.
    const report = moves.flatMap((move, p) => {
      if (!move.moved) return [];
      const without = counterfactualWithout(result.plan.spend, run.curves.historicalSpend, result.bounds.pairs, p);
      let wins = 0;
      let nearTies = 0;
      for (let d = 0; d < source.nDraws; d++) {
        const [withMove, withoutMove] = [paidMedia(result.plan.spend, d), paidMedia(without, d)];
        if (withMove > withoutMove) wins++;
        if (Math.abs(withMove - withoutMove) <= 2e-3 * withMove) nearTies++;
      }
      return [{ pair: move.channel, reported: move.pMoveHelps!, exact: wins / source.nDraws, nearTies: nearTies / source.nDraws }];
    });
    const worst = Math.max(...report.map((r) => Math.abs(r.reported - r.exact)));
    console.log(
      `by market (${result.method}): ${report.length} of ${moves.length} pairs moved; P(move helps) reported / exact (near-tie share): ${report.map((r) => `${r.pair} ${r.reported.toFixed(3)} / ${r.exact.toFixed(3)} (${r.nearTies.toFixed(3)})`).join(', ')}; worst difference ${worst.toFixed(4)}`,
    );
    for (const r of report) expect(Math.abs(r.reported - r.exact), r.pair).toBeLessThanOrEqual(r.nearTies);
  });
});
