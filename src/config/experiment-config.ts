/**
 * Experiments (lift tests) as model input (DESIGN.md section 9, "Experiments"): each one an estimate of the
 * incremental outcome a channel's spend caused in a window and geo (or nationally), with its standard error.
 * The config's `experiments` list holds them; `mmm fit --experiments FILE.csv` and a retrain's
 * `mmm_input_experiments` mart fill it. Checks against the data (channels, geos, window, spend) are the
 * model's (src/model/experiments/resolve-experiments.ts); this schema checks each record on its own.
 */
import { z } from 'zod';

/** What the estimate counts: revenue, or KPI units (a non-revenue KPI without a revenue-per-KPI column). */
export const EXPERIMENT_OUTCOME_TYPES = ['revenue', 'kpi'] as const;

export const experimentSchema = z
  .object({
    id: z.string().min(1),
    channel: z.string().min(1),
    /** A geo of the data, or null for a national test (every geo of the data). */
    geo: z.string().min(1).nullable().default(null),
    /** First and last week of the test (ISO dates of weeks in the data, inclusive). */
    start: z.iso.date(),
    end: z.iso.date(),
    /** The test's estimate of the incremental outcome of the channel's spend in the window (and its carry-over). */
    incrementalOutcome: z.number().finite(),
    standardError: z.number().finite().positive(),
    /** The channel's spend in the window and geo(s) during the test, in the data's currency. */
    spend: z.number().finite().nonnegative(),
    /** The spend the test compares against (0: a go-dark holdout). */
    counterfactualSpend: z.number().finite().nonnegative().default(0),
    /** Omitted: the model's outcome. */
    outcomeType: z.enum(EXPERIMENT_OUTCOME_TYPES).optional(),
  })
  .strict()
  .refine((e) => e.start <= e.end, { message: 'start is after end', path: ['end'] });

export const experimentsSchema = z.array(experimentSchema).default([]);

export type Experiment = z.infer<typeof experimentSchema>;
export type ExperimentInput = z.input<typeof experimentSchema>;
