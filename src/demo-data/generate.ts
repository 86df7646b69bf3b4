/**
 * Generates the demo advertiser's raw exports (three years of daily platform reports, TV buys,
 * store sales and calendars) from a known marketing-mix model, the planners' media plan for the
 * weeks after the data, and writes the truth beside them:
 *   OUT/raw/<source>/*.csv   what the loaders deliver (dbt's sources)
 *   OUT/truth.json           the model, the delivered weekly series and the true contributions
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DEFAULT_HORIZON_WEEKS } from '../config/horizon-settings.ts';
import { addDays, normaliseDate } from '../data/dates.ts';
import { createRng } from '../math/rng.ts';
import { consumerConfidence, holidays, promotions, weekday } from './calendars.ts';
import { type DailySales, weekOfSales } from './commerce.ts';
import { loadFxRates } from './fx-rates.ts';
import {
  CAD_ONLY_DAYS,
  CHANNELS,
  type Channel,
  DEMO_GEOS,
  DISPLAY_PAUSE,
  demoCampaigns,
  deliverMediaPlan,
  futureMediaPlan,
  RENAMES,
  TIKTOK_CA_LAUNCH,
} from './media-plan.ts';
import { BASELINE, CHANNEL_RESPONSE, simulateGeoOutcome, type WeekControls } from './outcome-model.ts';
import { demoLiftTests } from './lift-tests.ts';
import {
  writeCalendars,
  writeCommerceExports,
  writeDigitalExports,
  writeLiftTests,
  writeMediaPlanExports,
  writeTvReports,
} from './raw-exports.ts';
import { type DemoTruth, demoTruthSchema, TRUTH_FORMAT, type TruthPlanWeek, type TruthWeek } from './truth.ts';

export interface DemoDataOptions {
  outDir: string;
  seed?: number;
  /** First day, a Monday (ISO week start). */
  start?: string;
  weeks?: number;
  /** Weeks after the data that the media plan export covers (default: a plan horizon's, 13). */
  planWeeks?: number;
}

export interface DemoData {
  rawDir: string;
  truthPath: string;
  truth: DemoTruth;
  files: string[];
}

export const DEMO_DEFAULTS = { seed: 7, start: '2022-01-03', weeks: 156 } as const;
/** Two adstock windows of 8 weeks plus room for the baseline (the model's minimum) . */
export const MIN_DEMO_WEEKS = 26;

export class DemoDataOptionsError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DemoDataOptionsError';
  }
}

/** Independent random streams, so that changing one part of the generator leaves the others' draws alone. */
const STREAM = { media: 0, calendars: 1, outcome: 2, sales: 3, liftTests: 4 } as const;

const zeroByChannel = (): Record<Channel, number> => ({ search: 0, social: 0, video: 0, display: 0, tv: 0 });

export function generateDemoData(options: DemoDataOptions): DemoData {
  const seed = options.seed ?? DEMO_DEFAULTS.seed;
  const start = options.start ?? DEMO_DEFAULTS.start;
  const weeks = options.weeks ?? DEMO_DEFAULTS.weeks;
  const planWeeks = options.planWeeks ?? DEFAULT_HORIZON_WEEKS;
  if (normaliseDate(start) !== start || weekday(start) !== 0)
    throw new DemoDataOptionsError(`start must be a Monday as yyyy-mm-dd, got '${start}'`);
  if (!Number.isInteger(weeks) || weeks < MIN_DEMO_WEEKS)
    throw new DemoDataOptionsError(`weeks must be an integer >= ${MIN_DEMO_WEEKS}, got ${weeks}`);
  if (!Number.isInteger(planWeeks) || planWeeks < 1) throw new DemoDataOptionsError(`planWeeks must be an integer >= 1, got ${planWeeks}`);
  if (!Number.isSafeInteger(seed) || seed < 0) throw new DemoDataOptionsError(`seed must be a non-negative integer, got ${seed}`);

  const fx = loadFxRates();
  const end = addDays(start, 7 * weeks - 1);
  const [firstYear, lastYear] = [Number(start.slice(0, 4)), Number(end.slice(0, 4))];
  const calendarRng = createRng(seed, STREAM.calendars);
  const holidayList = holidays(firstYear, lastYear);
  const promotionList = promotions(firstYear, lastYear, calendarRng);
  const macroList = consumerConfidence(firstYear, lastYear, calendarRng);

  const campaigns = demoCampaigns(start);
  const plan = deliverMediaPlan(start, weeks, campaigns, fx, createRng(seed, STREAM.media));
  const weekIndex = (date: string): number => Math.floor((Date.parse(date) - Date.parse(start)) / (7 * 86_400_000));

  const outcomeRng = createRng(seed, STREAM.outcome);
  const salesRng = createRng(seed, STREAM.sales);
  const weekly: TruthWeek[] = [];
  const sales: DailySales[] = [];
  for (const geo of DEMO_GEOS) {
    const spendCents = Array.from({ length: weeks }, zeroByChannel);
    const units = Array.from({ length: weeks }, zeroByChannel);
    for (const d of plan.deliveries.filter((x) => x.campaign.geo === geo.geo)) {
      spendCents[weekIndex(d.date)][d.campaign.channel] += d.usdCents;
      units[weekIndex(d.date)][d.campaign.channel] += d.impressions;
    }
    for (const b of plan.tvBuys.filter((x) => x.geo === geo.geo)) {
      spendCents[weekIndex(b.weekStart)].tv += b.usdCents;
      // GRPs carry one decimal; summing tenths keeps the weekly total exact.
      units[weekIndex(b.weekStart)].tv += Math.round(b.grps * 10);
    }
    const promoDays = new Set(
      promotionList
        .filter((p) => p.market === geo.geo)
        .flatMap((p) =>
          Array.from({ length: Math.round((Date.parse(p.end) - Date.parse(p.start)) / 86_400_000) + 1 }, (_, i) => addDays(p.start, i)),
        ),
    );
    const holidayDays = new Set(holidayList.filter((h) => h.country === geo.geo).map((h) => h.date));
    const macroOf = new Map(macroList.filter((m) => m.country === geo.geo).map((m) => [m.month, m.consumerConfidence]));
    const controls: WeekControls[] = Array.from({ length: weeks }, (_, w) => {
      const days = Array.from({ length: 7 }, (__, d) => addDays(start, 7 * w + d));
      return {
        promo: days.filter((day) => promoDays.has(day)).length / 7,
        holiday: days.filter((day) => holidayDays.has(day)).length,
        macro: days.reduce((sum, day) => sum + (macroOf.get(day.slice(0, 7)) as number), 0) / 7,
      };
    });
    const spendUsd = Object.fromEntries(CHANNELS.map((c) => [c, spendCents.map((week) => week[c] / 100)])) as Record<Channel, number[]>;
    const outcome = simulateGeoOutcome(geo.scale, spendUsd, controls, outcomeRng);
    for (let w = 0; w < weeks; w++) {
      const weekStart = addDays(start, 7 * w);
      const days = weekOfSales(geo, weekStart, outcome.revenue[w], promoDays, fx, salesRng);
      sales.push(...days);
      weekly.push({
        geo: geo.geo,
        weekStart,
        spend: Object.fromEntries(CHANNELS.map((c) => [c, spendCents[w][c] / 100])),
        mediaUnits: Object.fromEntries(CHANNELS.map((c) => [c, c === 'tv' ? units[w][c] / 10 : units[w][c]])),
        revenue: days.reduce((sum, d) => sum + d.netSalesUsdCents, 0) / 100,
        orders: days.reduce((sum, d) => sum + d.orders, 0),
        expectedRevenue: outcome.expected[w],
        baseline: outcome.baseline[w],
        contributions: Object.fromEntries(CHANNELS.map((c) => [c, outcome.contributions[c][w]])),
        controls: controls[w],
      });
    }
  }

  const liftTests = demoLiftTests(weekly, start, weeks, createRng(seed, STREAM.liftTests));
  const rawDir = join(options.outDir, 'raw');
  rmSync(rawDir, { recursive: true, force: true });
  mkdirSync(rawDir, { recursive: true });
  const digital = writeDigitalExports(rawDir, plan.deliveries, start, weeks, {
    source: 'meta_ads',
    exportDate: addDays(start, 7 * Math.floor(weeks / 2)),
  });
  // The plan in force is exported at the data's end; a draft with 10% more of everything four weeks before it.
  const planLines = futureMediaPlan(start, weeks, planWeeks, campaigns, fx);
  const files = [
    ...digital.files,
    ...writeTvReports(rawDir, plan.tvBuys),
    ...writeMediaPlanExports(rawDir, planLines, [
      { exportDate: addDays(start, 7 * (weeks - 4)), planName: 'Next quarter (draft)', scale: 1.1 },
      { exportDate: addDays(start, 7 * weeks), planName: 'Next quarter', scale: 1 },
    ]),
    ...writeCommerceExports(rawDir, sales, addDays(start, 7 * Math.floor(weeks / 3)).slice(0, 7)),
    ...writeCalendars(rawDir, holidayList, promotionList, macroList),
    ...writeLiftTests(rawDir, liftTests),
  ];

  const channels = CHANNELS.map((channel) => {
    const r = CHANNEL_RESPONSE[channel];
    const totalSpend = weekly.reduce((sum, w) => sum + Math.round(w.spend[channel] * 100), 0) / 100;
    const totalContribution = weekly.reduce((sum, w) => sum + w.contributions[channel], 0);
    return {
      channel,
      adstock: { type: 'geometric' as const, alpha: r.alpha, maxLag: r.maxLag },
      saturation: { type: 'hill' as const, ec: r.ec, slope: r.slope, reference: r.reference },
      maxWeeklyEffect: r.maxWeeklyEffect,
      totalSpend,
      totalContribution,
      roi: totalContribution / totalSpend,
    };
  });
  const planned: TruthPlanWeek[] = DEMO_GEOS.flatMap((geo) =>
    Array.from({ length: planWeeks }, (_, j) => {
      const weekStart = addDays(start, 7 * (weeks + j));
      const lines = planLines.filter((l) => l.geo === geo.geo && l.weekStart === weekStart);
      const ofChannel = (channel: Channel) => lines.filter((l) => l.channel === channel);
      return {
        geo: geo.geo,
        weekStart,
        spend: Object.fromEntries(CHANNELS.map((c) => [c, ofChannel(c).reduce((sum, l) => sum + l.usdCents, 0) / 100])),
        // GRPs carry one decimal; summing tenths keeps the weekly total exact.
        mediaUnits: Object.fromEntries(CHANNELS.map((c) => [c, ofChannel(c).reduce((sum, l) => sum + Math.round(l.units * 10), 0) / 10])),
      };
    }),
  );
  const truth = demoTruthSchema.parse({
    format: TRUTH_FORMAT,
    seed,
    start,
    weeks,
    currency: 'USD',
    geos: DEMO_GEOS.map((g) => ({ ...g })),
    channels,
    baseline: BASELINE,
    weekly,
    plan: planned,
    liftTests,
    rawDataEvents: {
      reExportedDays: digital.reExportedDays,
      duplicatedFiles: digital.duplicatedFiles.map((f) => f.slice(rawDir.length + 1)),
      restatedRows:
        plan.deliveries.filter((d) => d.preliminaryLocalCents !== null).length + plan.tvBuys.filter((b) => b.preliminary !== null).length,
      cadOnlyDays: CAD_ONLY_DAYS.filter((d) => d >= start && d <= end),
      renamedCampaigns: RENAMES.filter((r) => r.renamedOn > start && r.renamedOn <= end),
      pausedFlights: [
        ...DEMO_GEOS.map((g) => ({ source: 'dv360', channel: 'display', geo: g.geo, ...DISPLAY_PAUSE })),
        { source: 'tiktok_ads', channel: 'social', geo: 'CA', from: start, to: addDays(TIKTOK_CA_LAUNCH, -1) },
      ].filter((p) => p.from <= end && p.to >= start),
    },
  });
  const truthPath = join(options.outDir, 'truth.json');
  writeFileSync(truthPath, `${JSON.stringify(truth, null, 1)}\n`);
  return { rawDir, truthPath, truth, files };
}
