/**
 * When the misspecification checks (./misspecification.ts) warn and fail. Kept apart from the
 * statistics so that the benchmark (test/bench/misspecification.bench.ts) can judge stored fits
 * against them without refitting; docs/model.md gives the figures.
 */
import { z } from 'zod';

export const misspecificationThresholdsSchema = z
  .object({
    /** Slow-drift p-value below which the verdict warns, and below which it fails. */
    slowDriftWarnP: z.number().gt(0).lt(1),
    slowDriftFailP: z.number().gt(0).lt(1),
    /** Residual-outliers p-value below which the verdict warns, and below which it fails. */
    outliersWarnP: z.number().gt(0).lt(1),
    outliersFailP: z.number().gt(0).lt(1),
    /** Share of observed weeks inside their 90% predictive intervals below which the verdict warns, and fails. */
    coverageWarn: z.number().min(0).max(1),
    coverageFail: z.number().min(0).max(1),
  })
  .strict()
  .refine((t) => t.slowDriftFailP <= t.slowDriftWarnP, {
    message: 'slowDriftFailP must not exceed slowDriftWarnP',
    path: ['slowDriftFailP'],
  })
  .refine((t) => t.outliersFailP <= t.outliersWarnP, {
    message: 'outliersFailP must not exceed outliersWarnP',
    path: ['outliersFailP'],
  })
  .refine((t) => t.coverageFail <= t.coverageWarn, { message: 'coverageFail must not exceed coverageWarn', path: ['coverageFail'] });

export type MisspecificationThresholds = z.infer<typeof misspecificationThresholdsSchema>;

/**
 * Conventional levels of each test's null distribution, fixed before the benchmark judged them (docs/model.md,
 * "Misspecification checks"): warn at p < 1e-3, fail at p < 1e-8, so that a well-specified model with white
 * normal noise warns in about 2 fits of 1,000 (two tests) and fails almost never. Coverage has no exact null
 * here (it stayed between 0.90 and 0.96 in every benchmark fit): 0.80 is 3.4 binomial standard errors below
 * 0.90 at 104 weeks, 0.70 far beyond.
 */
export const defaultMisspecificationThresholds: MisspecificationThresholds = Object.freeze({
  slowDriftWarnP: 1e-3,
  slowDriftFailP: 1e-8,
  outliersWarnP: 1e-3,
  outliersFailP: 1e-8,
  coverageWarn: 0.8,
  coverageFail: 0.7,
});
