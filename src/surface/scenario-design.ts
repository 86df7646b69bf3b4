/**
 * Which scenarios the enumerated surface holds (DESIGN.md section 4): budget levels (fractions of the
 * historical total) crossed with allocation mixes — the current mix, local perturbations of it,
 * low-discrepancy samples over the simplex, and channel-heavy corners. The design's schema is the
 * model config's `surface` section (src/config/schema.ts).
 */
import { z } from 'zod';
import type { SurfaceDesign } from '../config/schema.ts';
import { haltonPoints } from './halton.ts';

// The design is part of the model config (its `surface` section); declared there, used here.
export { surfaceDesignSchema, type SurfaceDesign } from '../config/schema.ts';

export const mixDesignSchema = z.enum(['current', 'perturbation', 'simplex', 'corner']);
export type MixDesign = z.infer<typeof mixDesignSchema>;

export interface AllocationMix {
  mixId: number;
  design: MixDesign;
  /** e.g. "x1 +10%", "simplex 17", "x1 corner 100%". */
  label: string;
  /** Shares of the budget per channel, summing to 1. */
  shares: Float64Array;
}

/** Halton points skipped at the start: the first few are strongly correlated across dimensions. */
const HALTON_SKIP = 20;

export function budgetLevels(design: SurfaceDesign): number[] {
  const { from, to, step } = design.budgetLevels;
  const count = Math.floor((to - from) / step + 1e-9) + 1;
  // Rounded so that levels read as the decimals a user typed (0.15, not 0.15000000000000002).
  return Array.from({ length: count }, (_, i) => Number((from + i * step).toFixed(12)));
}

export function designMixes(channels: readonly string[], historicalSpend: Float64Array, design: SurfaceDesign): AllocationMix[] {
  const total = historicalSpend.reduce((sum, s) => sum + s, 0);
  const current = historicalSpend.map((s) => s / total);
  const mixes: Omit<AllocationMix, 'mixId'>[] = [{ design: 'current', label: 'current', shares: current }];
  if (channels.length > 1) {
    channels.forEach((channel, c) => {
      for (const change of design.perturbations) {
        const share = Math.min(current[c] * (1 + change), 1);
        const rest = (1 - share) / (1 - current[c]);
        const shares = current.map((s, j) => (j === c ? share : s * rest));
        mixes.push({ design: 'perturbation', label: `${channel} ${change > 0 ? '+' : ''}${Math.round(change * 100)}%`, shares });
      }
    });
    // Normalised exponentials of uniforms are uniform on the simplex (Dirichlet(1, ..., 1)).
    haltonPoints(design.simplexSamples, channels.length, HALTON_SKIP).forEach((u, i) => {
      const e = u.map((v) => -Math.log(v));
      const sum = e.reduce((a, b) => a + b, 0);
      mixes.push({ design: 'simplex', label: `simplex ${i + 1}`, shares: e.map((v) => v / sum) });
    });
    channels.forEach((channel, c) => {
      for (const weight of design.cornerWeights) {
        const shares = current.map((s, j) => (1 - weight) * s + (j === c ? weight : 0));
        mixes.push({ design: 'corner', label: `${channel} corner ${Math.round(weight * 100)}%`, shares });
      }
    });
  }
  return mixes.map((mix, mixId) => ({ mixId, ...mix }));
}

/**
 * Spend per channel for `budget` in the mix `shares`, capped at `maxSpend` by water-filling: capped
 * channels stay at their cap and the excess goes to the others in proportion to their shares (to
 * `fallback` when those are all zero). Requires budget <= sum(maxSpend).
 */
export function spendForBudget(shares: Float64Array, budget: number, maxSpend: Float64Array, fallback: Float64Array): Float64Array {
  const spend = shares.map((s) => s * budget);
  const capped = new Array<boolean>(spend.length).fill(false);
  // Each round caps at least one more channel, so this ends within channels + 1 rounds.
  for (;;) {
    let excess = 0;
    spend.forEach((s, c) => {
      if (!capped[c] && s > maxSpend[c]) {
        excess += s - maxSpend[c];
        spend[c] = maxSpend[c];
        capped[c] = true;
      }
    });
    if (excess === 0) break;
    const open = spend.map((_, c) => (capped[c] ? 0 : shares[c]));
    const weights = open.some((w) => w > 0) ? open : fallback.map((w, c) => (capped[c] ? 0 : w));
    const weightSum = weights.reduce((a, b) => a + b, 0);
    if (!(weightSum > 0))
      throw new RangeError(`budget ${budget} exceeds the total stored response range ${maxSpend.reduce((a, b) => a + b, 0)}`);
    spend.forEach((_, c) => {
      spend[c] += (excess * weights[c]) / weightSum;
    });
  }
  return spend;
}
