/**
 * The spend factors at which channel response components are stored (DESIGN.md section 4).
 *
 * Nodes are geometric (ratio `ratio`) from `smallest` up to the factor where that spacing reaches `step`,
 * and uniform (`step`) from there to `maxFactor`. Relative spacing bounds the relative error of monotone
 * cubic interpolation where curves behave like powers of the factor (Hill curves near zero spend), and the
 * uniform part bounds it where curves bend. With the defaults (112 nodes) the measured max relative error
 * is 0.33% over factors >= 1e-4 for Hill curves (slope 0.5..4, half-saturation 0.1..10 x history) and
 * logistic curves (rate 0.1..20); test/surface/factor-grid.test.ts re-measures it. Linear interpolation
 * errs by 5.1% on the same nodes and needs over 300 nodes (ratio 1.06, step 0.02) to reach 0.5%, hence
 * monotone cubic.
 */
import { z } from 'zod';

export const factorGridSchema = z
  .object({
    maxFactor: z.number().min(1).default(3),
    ratio: z.number().gt(1).default(1.2),
    step: z.number().positive().default(0.05),
    smallest: z.number().positive().default(1e-5),
  })
  .strict()
  .refine((g) => g.smallest < g.step / (g.ratio - 1) && g.step <= g.maxFactor, {
    message: 'factor grid needs smallest < step / (ratio - 1) and step <= maxFactor',
  });

export type FactorGridOptions = z.infer<typeof factorGridSchema>;

/** Ascending factors: 0, the geometric part, then multiples of `step`; 1 (history) and `maxFactor` always included. */
export function factorGrid(options: FactorGridOptions): Float64Array {
  const { maxFactor, ratio, step, smallest } = options;
  // First uniform node: the multiple k of `step` where the geometric spacing f (ratio - 1) reaches `step`, k = 1 / (ratio - 1).
  const firstUniform = Math.ceil(1 / (ratio - 1) - 1e-9);
  // k * step may miss 1 or maxFactor by an ulp; those two must be exact nodes (the baseline scenario is f = 1).
  const snap = (f: number): number => (Math.abs(f - 1) <= 1e-9 ? 1 : Math.abs(f - maxFactor) <= 1e-9 * maxFactor ? maxFactor : f);
  const nodes = new Set([0, 1, maxFactor]);
  for (let f = (firstUniform * step) / ratio; f >= smallest; f /= ratio) nodes.add(f);
  for (let k = firstUniform; k * step <= maxFactor * (1 + 1e-9); k++) nodes.add(snap(k * step));
  return Float64Array.from([...nodes].filter((f) => f <= maxFactor)).sort();
}

/**
 * The grid of components by market (one curve per (geo, channel) pair, DESIGN.md section 9): pairs outnumber
 * channels by the number of geos, so the grid is coarser — geometric at ratio 1.5 from 1e-3 to 0.4, then steps
 * of 0.2 to 3 (29 nodes against 112). test/run/market-response-source.test.ts measures its error per geo
 * against the model on a real fit.
 */
export const MARKET_FACTOR_GRID: FactorGridOptions = factorGridSchema.parse({ ratio: 1.5, step: 0.2, smallest: 1e-3 });
