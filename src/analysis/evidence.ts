/**
 * Evidence per channel (DESIGN.md section 9, "Experiments"; docs/model.md, "Evidence"): how much the data
 * (and the experiments) moved the channel's ROI away from its prior, measured on the log scale, where the
 * ROI prior is Normal (LogNormal ROI; heavy-tailed on the ROI scale, so sds there are dominated by the tail):
 *
 *   contraction = 1 - sd_posterior(log roi) / sd_prior(log roi)      (Betancourt 2018, "posterior contraction")
 *   shift       = (mean_posterior(log roi) - mean_prior(log roi)) / sd_prior(log roi)
 *
 * Both from draws: the prior's by forward sampling with every fit (src/model/prior-sampling.ts), so a
 * coefficient prior's implied ROI prior counts alike. A channel whose contraction is below
 * EVIDENCE_THRESHOLD is labelled "not informed by the data": its interval is mostly the prior's.
 */
import { z } from 'zod';

/**
 * Below this contraction the data did not inform the channel. Under a Normal prior and a Normal likelihood,
 * contraction 1 - (1 + I_data / I_prior)^(-1/2) is 0.1 when the data hold a quarter of the prior's
 * information (I = 1 / variance). The study behind the choice (test/bench/evidence-threshold.bench.ts,
 * docs/model.md, "Evidence"): channels whose contribution is far below the noise (1/500 of their budget)
 * contracted by -0.016 to 0.056 (sampling noise of the two sds), channels at ordinary budgets by 0.361 to
 * 0.962; 0.1 is above the first with room for that noise and far below the second.
 */
export const EVIDENCE_THRESHOLD = 0.1;

export const NOT_INFORMED_LABEL = 'not informed by the data';

export const channelEvidenceSchema = z
  .object({
    /** 1 - posterior sd / prior sd of log ROI. */
    contraction: z.number(),
    /** Posterior mean minus prior mean of log ROI, in prior sds. */
    shift: z.number(),
    informed: z.boolean(),
    label: z.string(),
  })
  .strict();
export type ChannelEvidence = z.infer<typeof channelEvidenceSchema>;

function moments(values: ArrayLike<number>): { mean: number; sd: number } {
  let sum = 0;
  for (let i = 0; i < values.length; i++) sum += values[i];
  const mean = sum / values.length;
  let ss = 0;
  for (let i = 0; i < values.length; i++) ss += (values[i] - mean) ** 2;
  return { mean, sd: Math.sqrt(ss / (values.length - 1)) };
}

/** Evidence of one channel from draws of its log ROI under the prior and the posterior. */
export function channelEvidence(priorLogRoi: ArrayLike<number>, posteriorLogRoi: ArrayLike<number>): ChannelEvidence {
  const prior = moments(priorLogRoi);
  const posterior = moments(posteriorLogRoi);
  const contraction = 1 - posterior.sd / prior.sd;
  const informed = contraction >= EVIDENCE_THRESHOLD;
  return {
    contraction,
    shift: (posterior.mean - prior.mean) / prior.sd,
    informed,
    label: informed ? 'informed by the data' : NOT_INFORMED_LABEL,
  };
}

/** Draws of coordinate `offset` of parameter vectors laid out `dim` apart. */
export function coordinateDraws(theta: Float64Array, dim: number, offset: number): Float64Array {
  const n = theta.length / dim;
  const out = new Float64Array(n);
  for (let d = 0; d < n; d++) out[d] = theta[d * dim + offset];
  return out;
}
