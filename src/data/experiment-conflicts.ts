/**
 * Experiments that disagree (DESIGN.md section 9, "Experiments"): two tests of the same channel over the same
 * window and geo whose estimates lie more than CONFLICT_STANDARD_ERRORS combined standard errors apart cannot
 * both be right. They are flagged, not averaged away: the likelihood keeps both (the posterior then sits
 * between them with a width that ignores the disagreement), and the warning says which to check.
 */
import type { Experiment } from '../config/experiment-config.ts';

/** Combined standard errors sqrt(se_a^2 + se_b^2) beyond which two estimates of one quantity conflict (p < 0.003 under either). */
export const CONFLICT_STANDARD_ERRORS = 3;

export function experimentConflicts(experiments: readonly Experiment[]): string[] {
  const warnings: string[] = [];
  experiments.forEach((a, i) => {
    for (const b of experiments.slice(i + 1)) {
      if (a.channel !== b.channel || a.start !== b.start || a.end !== b.end || a.geo !== b.geo) continue;
      const combined = Math.sqrt(a.standardError ** 2 + b.standardError ** 2);
      const apart = Math.abs(a.incrementalOutcome - b.incrementalOutcome) / combined;
      if (apart <= CONFLICT_STANDARD_ERRORS) continue;
      warnings.push(
        `experiments '${a.id}' and '${b.id}' (channel '${a.channel}', ${a.start}..${a.end}${a.geo === null ? '' : `, geo '${a.geo}'`}) conflict: ` +
          `estimates ${a.incrementalOutcome} and ${b.incrementalOutcome} are ${apart.toFixed(1)} combined standard errors apart ` +
          `(more than ${CONFLICT_STANDARD_ERRORS}); both are kept, not averaged — check which test is right and drop the other`,
      );
    }
  });
  return warnings;
}
