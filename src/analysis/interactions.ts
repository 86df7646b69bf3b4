/**
 * What the fit reports about each synergy pair (model.interactions; DESIGN.md section 3, "Synergies"): the
 * coefficient theta_p, the term's own incremental outcome over the data window (outcome units; the channels'
 * contributions hold half of it each) and the posterior probability that the pair amplifies each other.
 */
import { z } from 'zod';
import { interval, intervalSchema } from './interval.ts';

export const interactionResultSchema = z
  .object({
    /** The two channel names, in config order. */
    pair: z.tuple([z.string(), z.string()]),
    /** theta_p: KPI standard deviations per unit of h_c h_d (each saturation between 0 and 1). */
    theta: intervalSchema,
    /** The term's total incremental outcome over the data window, sum_{g,t} outcomeScale theta_p h_c h_d. */
    contribution: intervalSchema,
    /** Share of draws with theta_p > 0: the evidence of synergy (near 0: the channels cannibalise each other). */
    pPositive: z.number(),
  })
  .strict();
export type InteractionResult = z.infer<typeof interactionResultSchema>;

/** One pair's summary from its per-draw coefficient and term outcome. */
export function interactionResult(pair: [string, string], theta: Float64Array, contribution: Float64Array): InteractionResult {
  let positive = 0;
  for (let i = 0; i < theta.length; i++) if (theta[i] > 0) positive++;
  return { pair, theta: interval(theta), contribution: interval(contribution), pPositive: positive / theta.length };
}
