/**
 * The truth file written beside the demo raw data (`truth.json`): the generating model's parameters,
 * the weekly series as delivered (what the marts must reproduce) and the true contributions the
 * model's estimates are checked against. Money is in US dollars with exact cents.
 */
import { z } from 'zod';

export const TRUTH_FORMAT = 'mmm-demo-truth/2';

const channelRecord = z.record(z.string(), z.number());

export const truthChannelSchema = z
  .object({
    channel: z.string(),
    adstock: z.object({ type: z.literal('geometric'), alpha: z.number(), maxLag: z.number().int() }).strict(),
    /** Hill saturation of adstocked spend relative to `reference` x the geo's scale. */
    saturation: z.object({ type: z.literal('hill'), ec: z.number(), slope: z.number(), reference: z.number() }).strict(),
    /** Weekly revenue at full saturation in a geo of scale 1. */
    maxWeeklyEffect: z.number(),
    totalSpend: z.number(),
    totalContribution: z.number(),
    /** totalContribution / totalSpend. */
    roi: z.number(),
  })
  .strict();

export const truthWeekSchema = z
  .object({
    geo: z.string(),
    /** Monday of the ISO week. */
    weekStart: z.iso.date(),
    /** Spend per channel in USD as delivered after de-duplication and conversion (the marts' values). */
    spend: channelRecord,
    /** Impressions (digital) or GRPs (tv) per channel. */
    mediaUnits: channelRecord,
    /** Observed revenue in USD (net sales), as the commerce export reports it after conversion. */
    revenue: z.number(),
    orders: z.number().int(),
    /** The model's expected revenue before noise. */
    expectedRevenue: z.number(),
    baseline: z.number(),
    /** True incremental revenue per channel (each channel's term of the generating model). */
    contributions: channelRecord,
    controls: z.object({ promo: z.number(), holiday: z.number(), macro: z.number() }).strict(),
  })
  .strict();

/** One geo-week of the media plan in force for the weeks after the data (what mmm_input_plan_spend must hold). */
export const truthPlanWeekSchema = z
  .object({
    geo: z.string(),
    /** Monday of the ISO week. */
    weekStart: z.iso.date(),
    /** Planned spend per channel in USD as the warehouse converts it (0 for a channel planned dark). */
    spend: channelRecord,
    /** Planned impressions (digital) or GRPs (tv) per channel. */
    mediaUnits: channelRecord,
  })
  .strict();

export const demoTruthSchema = z
  .object({
    format: z.literal(TRUTH_FORMAT),
    seed: z.number().int(),
    start: z.iso.date(),
    weeks: z.number().int(),
    currency: z.literal('USD'),
    geos: z.array(z.object({ geo: z.string(), currency: z.string(), population: z.number(), scale: z.number() }).strict()),
    channels: z.array(truthChannelSchema),
    baseline: z
      .object({
        weeklyLevel: z.number(),
        trendPerYear: z.number(),
        /** Yearly Fourier terms, relative to the level: sum_k a_k sin(2 pi k t / period) + b_k cos(...). */
        seasonality: z.array(z.object({ sin: z.number(), cos: z.number() }).strict()),
        seasonalPeriodWeeks: z.number(),
        promoEffect: z.number(),
        holidayEffect: z.number(),
        macroEffect: z.number(),
        macroReference: z.number(),
        noiseSd: z.number(),
      })
      .strict(),
    weekly: z.array(truthWeekSchema),
    /** The final media plan for the weeks after the data (a draft exported before it is superseded). */
    plan: z.array(truthPlanWeekSchema),
    /** The lift tests written to raw/experiments (src/demo-data/lift-tests.ts), each with the incremental revenue its estimate was drawn around. */
    liftTests: z
      .array(
        z
          .object({
            experimentId: z.string(),
            channel: z.string(),
            geo: z.string(),
            startDate: z.iso.date(),
            endDate: z.iso.date(),
            incrementalOutcome: z.number(),
            standardError: z.number(),
            spend: z.number(),
            counterfactualSpend: z.number(),
            outcomeType: z.literal('revenue'),
            trueIncrementalOutcome: z.number(),
          })
          .strict(),
      )
      .default([]),
    /** What makes the raw data messy, so tests and readers know what the warehouse must cope with. */
    rawDataEvents: z
      .object({
        reExportedDays: z.number().int(),
        duplicatedFiles: z.array(z.string()),
        restatedRows: z.number().int(),
        cadOnlyDays: z.array(z.iso.date()),
        renamedCampaigns: z.array(
          z
            .object({
              source: z.string(),
              campaignId: z.string(),
              from: z.string(),
              to: z.string(),
              renamedOn: z.iso.date(),
            })
            .strict(),
        ),
        /** Periods in which a source delivered nothing in a geo, so whole weeks have no rows to aggregate. */
        pausedFlights: z.array(
          z.object({ source: z.string(), channel: z.string(), geo: z.string(), from: z.iso.date(), to: z.iso.date() }).strict(),
        ),
      })
      .strict(),
  })
  .strict();

export type TruthChannel = z.infer<typeof truthChannelSchema>;
export type TruthWeek = z.infer<typeof truthWeekSchema>;
export type TruthPlanWeek = z.infer<typeof truthPlanWeekSchema>;
export type DemoTruth = z.infer<typeof demoTruthSchema>;
