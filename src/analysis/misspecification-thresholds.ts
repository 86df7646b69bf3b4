/**
 * When the misspecification checks (./misspecification.ts) warn and fail. Kept apart from the
 * statistics so that the benchmark that sets them (test/bench/misspecification.bench.ts) can judge
 * stored fits against new thresholds without refitting; docs/model.md gives the figures behind them.
 */
import { z } from 'zod';

export const misspecificationThresholdsSchema = z
  .object({
    /** Ljung-Box p-value below which the verdict warns, and below which it fails. */
    ljungBoxWarnP: z.number().gt(0).lt(1),
    ljungBoxFailP: z.number().gt(0).lt(1),
    /** Share of observed weeks inside their 90% predictive intervals below which the verdict warns, and fails. */
    coverageWarn: z.number().min(0).max(1),
    coverageFail: z.number().min(0).max(1),
  })
  .strict()
  .refine((t) => t.ljungBoxFailP <= t.ljungBoxWarnP, { message: 'ljungBoxFailP must not exceed ljungBoxWarnP', path: ['ljungBoxFailP'] })
  .refine((t) => t.coverageFail <= t.coverageWarn, { message: 'coverageFail must not exceed coverageWarn', path: ['coverageFail'] });

export type MisspecificationThresholds = z.infer<typeof misspecificationThresholdsSchema>;

/** Set by the misspecification benchmark (docs/model.md, "Misspecification checks"). */
export const defaultMisspecificationThresholds: MisspecificationThresholds = Object.freeze({
  ljungBoxWarnP: 1e-3,
  ljungBoxFailP: 1e-8,
  coverageWarn: 0.8,
  coverageFail: 0.7,
});
