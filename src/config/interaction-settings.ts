/**
 * Channel synergies (DESIGN.md sections 3 and 9, "Synergies"): the pairs of channels whose saturated,
 * adstocked media interact, `model.interactions: [["tv", "search"]]`, and the prior of each pair's
 * coefficient, `model.priors.interaction`. Declared once: the config schema takes both from here, and the
 * same pair rules serve the config loader (which knows the channels) and the model's data (which also
 * knows the training weeks), so a pair is refused with the same words wherever it comes from.
 */
import { z } from 'zod';

/**
 * Each pair needs this many training weeks: the pair's coefficient is learned from how the two channels'
 * spend moves together, which a few months of data barely show, and every pair adds a term that competes
 * with both channels' own effects. With 20 weeks a pair, two years of data carry at most 5 pairs.
 */
export const WEEKS_PER_INTERACTION = 20;

/** Two channel names, in either order. */
export const interactionPairSchema = z.tuple([z.string().min(1), z.string().min(1)]);
export type InteractionPair = z.infer<typeof interactionPairSchema>;

export const interactionsSchema = z.array(interactionPairSchema).default([]);

/**
 * The prior of a pair's coefficient theta_cd (in KPI standard deviations per unit of h_c h_d, each h between
 * 0 and 1): Normal(0, scale) when the sign is free, HalfNormal(scale) when it is constrained to >= 0. Both
 * shrink to zero. The default scale 0.5 says that, with both channels fully saturated, a synergy moves the KPI
 * by about half its standard deviation or less (95% within one): the size of a channel's own coefficient in
 * simulated data (median about 1, from 0.03 to 13 under the default ROI prior), so the data can show a real
 * synergy, while noise alone rarely moves theta's interval off zero (test/bench/synergy-recovery.bench.ts,
 * docs/model.md "Synergies").
 */
export const interactionPriorSchema = z
  .object({
    scale: z.number().positive().default(0.5),
    /** 'free' (default): synergy or cannibalisation; 'non_negative': the pair can only amplify each other. */
    sign: z.enum(['free', 'non_negative']).default('free'),
  })
  .strict();
export type InteractionPrior = z.infer<typeof interactionPriorSchema>;

const describePair = (pair: InteractionPair): string => `["${pair[0]}", "${pair[1]}"]`;

/**
 * What is wrong with the configured pairs: a pair naming an unknown channel or the same channel twice, a
 * pair given twice (in either order) and, when the training weeks are known, more pairs than
 * floor(weeks / WEEKS_PER_INTERACTION). Each problem names the pair and its path in the config.
 */
export function interactionPairProblems(
  pairs: readonly InteractionPair[],
  channelNames: readonly string[],
  trainingWeeks?: number,
): string[] {
  const problems: string[] = [];
  const known = new Set(channelNames);
  const seen = new Map<string, number>();
  pairs.forEach((pair, i) => {
    const at = `model.interactions[${i}] ${describePair(pair)}`;
    const unknown = pair.filter((name) => !known.has(name));
    if (unknown.length > 0) {
      problems.push(`${at}: unknown channel ${unknown.map((name) => `'${name}'`).join(' and ')}; channels are ${channelNames.join(', ')}`);
      return;
    }
    if (pair[0] === pair[1]) {
      problems.push(`${at}: names channel '${pair[0]}' twice; a synergy is between two different channels`);
      return;
    }
    const key = [...pair].sort().join('\u0000');
    const earlier = seen.get(key);
    if (earlier !== undefined) {
      problems.push(`${at}: the same pair as model.interactions[${earlier}] ${describePair(pairs[earlier])}; give each pair once`);
      return;
    }
    seen.set(key, i);
  });
  if (trainingWeeks !== undefined) {
    const limit = Math.floor(trainingWeeks / WEEKS_PER_INTERACTION);
    if (pairs.length > limit) {
      problems.push(
        `model.interactions[${limit}] ${describePair(pairs[limit])}: ${pairs.length} pairs need at least ${pairs.length * WEEKS_PER_INTERACTION} training weeks (${WEEKS_PER_INTERACTION} a pair), the data have ${trainingWeeks}, so at most ${limit} pair${limit === 1 ? '' : 's'}; drop pairs or use more weeks`,
      );
    }
  }
  return problems;
}
