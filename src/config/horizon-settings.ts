/**
 * Forward planning (docs/decision-layer.md, "The planning horizon"): how many weeks after the data's end
 * a plan covers, how each channel's horizon budget is spread over its weeks (flighting), how the trend
 * continues, and whether carry-over past the horizon's end counts. Declared once: the config's `plan`
 * section, and what a plan request (CLI flags, a workflow input) overrides, are parsed with it.
 */
import { z } from 'zod';

/** Past a year the seasonal pattern and the trend are extrapolated beyond anything the data show. */
export const MAX_HORIZON_WEEKS = 52;
export const DEFAULT_HORIZON_WEEKS = 13;

/**
 * How a channel's horizon budget is spread over the horizon's weeks: `even` (the same spend every week),
 * `historical` (as the channel spent in the same weeks of the year before, scaled to the budget), or
 * `custom` (the spend per week of a plan spend file, src/data/plan-spend-file.ts).
 */
export const FLIGHTING_KINDS = ['even', 'historical', 'custom'] as const;
export type FlightingKind = (typeof FLIGHTING_KINDS)[number];

/**
 * The trend past the data's end: `last-slope` continues the last knot segment's slope, `flat` holds the
 * value at the data's last week (as the model does over a holdout).
 */
export const TREND_CONTINUATIONS = ['last-slope', 'flat'] as const;
export type TrendContinuation = (typeof TREND_CONTINUATIONS)[number];

export const horizonWeeksSchema = z
  .number()
  .int()
  .min(1)
  .max(MAX_HORIZON_WEEKS, {
    error: (issue) =>
      `a horizon of ${String(issue.input)} weeks is past what the data can support (at most ${MAX_HORIZON_WEEKS}: the seasonal pattern and trend would be extrapolated beyond a year)`,
  });

export const horizonSettingsSchema = z
  .object({
    /** H, the weeks after the data's last week that a plan covers. */
    weeks: horizonWeeksSchema.default(DEFAULT_HORIZON_WEEKS),
    /** Every channel's flighting unless `channelFlighting` names it. */
    flighting: z.enum(FLIGHTING_KINDS).default('even'),
    /** Per-channel flighting, by channel name. */
    channelFlighting: z.record(z.string().min(1), z.enum(FLIGHTING_KINDS)).default({}),
    trend: z.enum(TREND_CONTINUATIONS).default('last-slope'),
    /**
     * false: a plan's outcome counts only inside the horizon (its spend's carry-over past the end is lost,
     * as in the reporting window of the data). true: the horizon is followed by maxLag weeks without spend
     * whose outcome counts too, so a burst in the last weeks is credited with its whole carry-over.
     */
    countCarryover: z.boolean().default(false),
    /**
     * Currency per media unit of channels modelled on impressions or GRPs (a media column), by channel name;
     * default: the channel's average over the data's last 13 weeks (spend / media units).
     */
    costPerUnit: z.record(z.string().min(1), z.number().positive()).default({}),
  })
  .strict();

export type HorizonSettings = z.infer<typeof horizonSettingsSchema>;
export type HorizonSettingsInput = z.input<typeof horizonSettingsSchema>;
