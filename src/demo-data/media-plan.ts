/**
 * The advertiser's media plan and what the platforms delivered: campaigns per platform and geo, the
 * daily spend of each campaign in its account currency, and the weekly TV buys. This is the final,
 * de-duplicated record of delivery; the raw exports are rendered from it with their usual mess.
 */
import { addDays, dayNumber } from '../data/dates.ts';
import type { Rng } from '../math/rng.ts';
import { weekday } from './calendars.ts';
import type { FxRates } from './fx-rates.ts';
import { convertCents } from './money.ts';

export type DigitalSource = 'google_ads' | 'microsoft_ads' | 'meta_ads' | 'tiktok_ads' | 'dv360';
export type Channel = 'search' | 'social' | 'video' | 'display' | 'tv';
export const CHANNELS: readonly Channel[] = ['search', 'social', 'video', 'display', 'tv'];

export interface DemoGeo {
  geo: 'US' | 'CA';
  currency: 'USD' | 'CAD';
  population: number;
  /** Market size relative to the US: scales budgets, baseline and media effects. */
  scale: number;
}

export const DEMO_GEOS: readonly DemoGeo[] = [
  { geo: 'US', currency: 'USD', population: 334_900_000, scale: 1 },
  { geo: 'CA', currency: 'CAD', population: 40_100_000, scale: 0.13 },
];

export interface Campaign {
  source: DigitalSource;
  accountId: string;
  geo: DemoGeo['geo'];
  currency: DemoGeo['currency'];
  campaignId: string;
  /** The platform's campaign type (or objective / line-item type) that dbt's channel_mapping seed maps. */
  campaignType: string;
  channel: Exclude<Channel, 'tv'>;
  /** Share of the channel's budget in this geo. */
  share: number;
  /** Names over time: the platform reports the name current at export time for every day. */
  names: { from: string; name: string }[];
  /** First day with delivery; null when live from the start. */
  launch: string | null;
}

export interface Delivery {
  campaign: Campaign;
  date: string;
  localCents: number;
  usdCents: number;
  impressions: number;
  clicks: number;
  /** Set when the first export of this day reported a higher cost that a later export corrected. */
  preliminaryLocalCents: number | null;
}

export interface TvBuy {
  weekStart: string;
  geo: DemoGeo['geo'];
  currency: DemoGeo['currency'];
  network: string;
  grps: number;
  localCents: number;
  usdCents: number;
  /** Set when the agency's first report of the quarter had other figures (a re-issued report corrected them). */
  preliminary: { grps: number; localCents: number } | null;
}

/** Weekly US budget per channel in USD at seasonal index 1 (TV: per on-air week). */
const WEEKLY_BUDGET_USD: Record<Channel, number> = { search: 70_000, social: 55_000, video: 35_000, display: 25_000, tv: 90_000 };
const CPM_USD: Record<Exclude<Channel, 'tv'>, number> = { search: 45, social: 9, video: 13, display: 3.5 };
const CTR: Record<Exclude<Channel, 'tv'>, number> = { search: 0.05, social: 0.011, video: 0.004, display: 0.0015 };
/** Relative spend per weekday, Monday first. */
const WEEKDAY_WEIGHTS: Record<Exclude<Channel, 'tv'>, number[]> = {
  search: [1.1, 1.1, 1.05, 1.05, 1, 0.85, 0.85],
  social: [0.95, 0.95, 0.95, 1, 1.05, 1.05, 1.05],
  video: [0.9, 0.9, 0.95, 1, 1.05, 1.1, 1.1],
  display: [1, 1, 1, 1, 1, 1, 1],
};
const TV_NETWORKS: Record<DemoGeo['geo'], { network: string; share: number }[]> = {
  US: [
    { network: 'NBC', share: 0.4 },
    { network: 'CBS', share: 0.35 },
    { network: 'ESPN', share: 0.25 },
  ],
  CA: [
    { network: 'CTV', share: 0.6 },
    { network: 'Global', share: 0.4 },
  ],
};
/** Cost per gross rating point in the market's currency. */
const TV_CPP: Record<DemoGeo['geo'], number> = { US: 820, CA: 150 };
/** Display is off for five weeks in spring 2023 in both markets (a creative refresh): whole weeks without rows. */
export const DISPLAY_PAUSE = { from: '2023-05-01', to: '2023-06-04' };
/** Canada's TikTok account starts delivering on this day; before it, the channel has no rows there. */
export const TIKTOK_CA_LAUNCH = '2023-03-06';
/** Days on which every US digital account paused delivery (a compliance review): only Canadian (CAD) rows exist. */
export const CAD_ONLY_DAYS = ['2022-07-05', '2023-02-14', '2024-05-21'];

function campaign(
  source: DigitalSource,
  geo: DemoGeo,
  id: number,
  campaignType: string,
  channel: Exclude<Channel, 'tv'>,
  share: number,
  names: { from: string; name: string }[],
  launch: string | null = null,
): Campaign {
  const accountIds: Record<DigitalSource, string> = {
    google_ads: geo.geo === 'US' ? '123-456-7890' : '123-456-7891',
    microsoft_ads: geo.geo === 'US' ? '151000001' : '151000002',
    meta_ads: geo.geo === 'US' ? 'act_2001' : 'act_2002',
    tiktok_ads: geo.geo === 'US' ? '7001000001' : '7001000002',
    dv360: geo.geo === 'US' ? '900101' : '900102',
  };
  return {
    source,
    accountId: accountIds[source],
    geo: geo.geo,
    currency: geo.currency,
    campaignId: `${id}`,
    campaignType,
    channel,
    share,
    names,
    launch,
  };
}

/** The renamed campaigns; every other campaign keeps its first name. */
export const RENAMES = [
  {
    source: 'google_ads' as const,
    campaignId: '1711',
    from: 'US | Search | Brand',
    to: 'US | Search | Brand | Always-on',
    renamedOn: '2023-06-12',
  },
  {
    source: 'meta_ads' as const,
    campaignId: '23850002',
    from: 'CA_Prospecting_Broad',
    to: 'CA_Prospecting_Advantage+',
    renamedOn: '2024-02-05',
  },
];

function namesOf(source: DigitalSource, campaignId: string, name: string, start: string): { from: string; name: string }[] {
  const rename = RENAMES.find((r) => r.source === source && r.campaignId === campaignId);
  return rename === undefined
    ? [{ from: start, name }]
    : [
        { from: start, name: rename.from },
        { from: rename.renamedOn, name: rename.to },
      ];
}

/** Campaign ids per geo; ids are stable for a campaign's life while its name may change. */
const CAMPAIGN_IDS: Record<DemoGeo['geo'], Record<string, number>> = {
  US: {
    brand: 1711,
    generic: 1712,
    bing: 5101,
    sales: 23850001,
    broad: 23850003,
    tiktok: 1780001,
    awareness: 1751,
    action: 1752,
    display: 61001,
    native: 61003,
  },
  CA: {
    brand: 1811,
    generic: 1812,
    bing: 5201,
    sales: 23850004,
    broad: 23850002,
    tiktok: 1780002,
    awareness: 1851,
    action: 1852,
    display: 61002,
    native: 61004,
  },
};

/** Every digital campaign of the demo advertiser. */
export function demoCampaigns(start: string): Campaign[] {
  return DEMO_GEOS.flatMap((geo) => {
    const g = geo.geo;
    const ids = CAMPAIGN_IDS[g];
    const make = (
      source: DigitalSource,
      key: string,
      type: string,
      channel: Exclude<Channel, 'tv'>,
      share: number,
      name: string,
      launch: string | null = null,
    ) => campaign(source, geo, ids[key], type, channel, share, namesOf(source, `${ids[key]}`, name, start), launch);
    return [
      make('google_ads', 'brand', 'SEARCH', 'search', 0.3, `${g} | Search | Brand`),
      make('google_ads', 'generic', 'SEARCH', 'search', 0.45, `${g} | Search | Generic`),
      make('microsoft_ads', 'bing', 'Search', 'search', 0.25, `${g}-Bing-Search-All`),
      make('meta_ads', 'sales', 'OUTCOME_SALES', 'social', 0.55, `${g}_Retargeting_Sales`),
      make('meta_ads', 'broad', 'OUTCOME_AWARENESS', 'social', 0.2, `${g}_Prospecting_Broad`),
      make('tiktok_ads', 'tiktok', 'CONVERSIONS', 'social', 0.25, `${g} TT Spark Conversions`, g === 'CA' ? TIKTOK_CA_LAUNCH : null),
      make('google_ads', 'awareness', 'VIDEO', 'video', 0.7, `${g} | YouTube | Awareness`),
      make('google_ads', 'action', 'VIDEO', 'video', 0.3, `${g} | YouTube | Action`),
      make('dv360', 'display', 'Display', 'display', 0.75, `${g}_Programmatic_Display`),
      make('dv360', 'native', 'Native', 'display', 0.25, `${g}_Programmatic_Native`),
    ];
  });
}

/** The name a platform shows for a campaign in an export made on `exportDate`. */
export function campaignNameAt(c: Campaign, exportDate: string): string {
  return c.names.filter((n) => n.from <= exportDate).at(-1)?.name ?? c.names[0].name;
}

/** Seasonal budget index of a week: Q4 push peaking late November, a mild summer lift. */
function seasonalIndex(weekStart: string): number {
  const dayOfYear = dayNumber(weekStart) - dayNumber(`${weekStart.slice(0, 4)}-01-01`);
  return 1 + 0.35 * Math.exp(-(((dayOfYear - 328) / 25) ** 2)) + 0.1 * Math.sin((2 * Math.PI * (dayOfYear - 100)) / 365);
}

/** Lognormal multiplicative noise with median 1. */
const jitter = (rng: Rng, sd: number): number => Math.exp(sd * rng.normal());

const inRange = (date: string, range: { from: string; to: string }): boolean => date >= range.from && date <= range.to;

/** The planned weekly budget in USD of a channel in a geo: base x scale x season x flighting (0 when off air). */
function plannedBudgetUsd(channel: Channel, geo: DemoGeo, weekStart: string, weekIndex: number): number {
  if (channel === 'video' && weekIndex % 9 >= 6) return 0;
  if (channel === 'tv' && weekIndex % 8 >= 4) return 0;
  if (channel === 'display' && inRange(weekStart, DISPLAY_PAUSE)) return 0;
  return WEEKLY_BUDGET_USD[channel] * geo.scale * seasonalIndex(weekStart);
}

/** What was bought: the planned budget x noise (drawn for every week, on air or not, so the random stream stays aligned). */
function weeklyBudgetUsd(channel: Channel, geo: DemoGeo, weekStart: string, weekIndex: number, rng: Rng): number {
  const noise = jitter(rng, 0.15);
  return plannedBudgetUsd(channel, geo, weekStart, weekIndex) * noise;
}

/** Local-currency cents that cost `usd` dollars at the day's rate (what the account is billed). */
const localCentsFor = (usd: number, rateMicros: number): number => Math.round((usd * 100 * 1_000_000) / rateMicros);

export interface MediaPlan {
  deliveries: Delivery[];
  tvBuys: TvBuy[];
}

/** Delivers the plan over `weeks` ISO weeks from `start` (a Monday). */
export function deliverMediaPlan(start: string, weeks: number, campaigns: Campaign[], fx: FxRates, rng: Rng): MediaPlan {
  const deliveries: Delivery[] = [];
  const tvBuys: TvBuy[] = [];
  for (let w = 0; w < weeks; w++) {
    const weekStart = addDays(start, 7 * w);
    for (const geo of DEMO_GEOS) {
      for (const channel of CHANNELS) {
        const budget = weeklyBudgetUsd(channel, geo, weekStart, w, rng);
        if (budget === 0) continue;
        if (channel === 'tv') {
          tvBuys.push(...tvWeek(weekStart, geo, budget, fx, rng, w));
          continue;
        }
        const weights = WEEKDAY_WEIGHTS[channel];
        const weightSum = weights.reduce((a, b) => a + b, 0);
        for (const c of campaigns.filter((x) => x.geo === geo.geo && x.channel === channel)) {
          for (let d = 0; d < 7; d++) {
            const date = addDays(weekStart, d);
            if (c.launch !== null && date < c.launch) continue;
            if (geo.geo === 'US' && CAD_ONLY_DAYS.includes(date)) continue;
            const usd = budget * c.share * (weights[weekday(date)] / weightSum) * jitter(rng, 0.08);
            const rate = fx.rateMicros(c.currency, date);
            const localCents = localCentsFor(usd, rate);
            const usdCents = convertCents(localCents, rate);
            const impressions = Math.round((usdCents / 100 / CPM_USD[channel]) * 1000 * jitter(rng, 0.1));
            const clicks = Math.round(impressions * CTR[channel] * jitter(rng, 0.15));
            // Google Ads credits invalid clicks days later: about 2% of rows are first reported 1-4% higher
            // and corrected by the next export (the last week has no next export, so it is never restated).
            const restated = c.source === 'google_ads' && w < weeks - 1 && rng.uniform() < 0.02;
            const preliminaryLocalCents = restated
              ? localCents + Math.max(1, Math.round(localCents * (0.01 + 0.03 * rng.uniform())))
              : null;
            deliveries.push({ campaign: c, date, localCents, usdCents, impressions, clicks, preliminaryLocalCents });
          }
        }
      }
    }
  }
  return { deliveries, tvBuys };
}

/** One on-air week of TV in a market, split over its networks; GRPs have one decimal. */
function tvWeek(weekStart: string, geo: DemoGeo, budgetUsd: number, fx: FxRates, rng: Rng, weekIndex: number): TvBuy[] {
  const rate = fx.rateMicros(geo.currency, weekStart);
  // Quarter 2 of 2023 is re-issued by the agency with corrected figures for a few of its weeks.
  const reissuedQuarter = weekStart >= '2023-04-03' && weekStart < '2023-07-03';
  return TV_NETWORKS[geo.geo].map(({ network, share }) => {
    const localBudget = (budgetUsd * share * 1_000_000) / rate;
    const grps = Math.round((localBudget / TV_CPP[geo.geo]) * 10) / 10;
    const localCents = Math.round(grps * TV_CPP[geo.geo] * jitter(rng, 0.03) * 100);
    const corrected = reissuedQuarter && weekIndex % 2 === 0;
    const preliminary = corrected ? { grps: Math.round(grps * 11) / 10, localCents: Math.round(localCents * 1.07) } : null;
    return {
      weekStart,
      geo: geo.geo,
      currency: geo.currency,
      network,
      grps,
      localCents,
      usdCents: convertCents(localCents, rate),
      preliminary,
    };
  });
}

/** One line of the planners' media plan: a week, market, media type and platform, in the market's currency. */
export interface PlanLine {
  weekStart: string;
  geo: DemoGeo['geo'];
  currency: DemoGeo['currency'];
  channel: Channel;
  /** The plan's name for the channel (dbt's channel_mapping maps it, source 'media_plan'). */
  mediaType: string;
  platform: string;
  localCents: number;
  /** The warehouse's conversion of localCents (one row, the month's rate, rounded to the cent). */
  usdCents: number;
  /** Planned impressions (digital, whole) or GRPs (TV, one decimal). */
  units: number;
}

const PLAN_MEDIA_TYPE: Record<Channel, string> = {
  search: 'Paid Search',
  social: 'Paid Social',
  video: 'Online Video',
  display: 'Display',
  tv: 'Linear TV',
};
const PLATFORM_NAME: Record<DigitalSource, string> = {
  google_ads: 'Google Ads',
  microsoft_ads: 'Microsoft Advertising',
  meta_ads: 'Meta',
  tiktok_ads: 'TikTok',
  dv360: 'Display & Video 360',
};

/**
 * The media plan for the `planWeeks` weeks after the data's `weeks`: each channel's planned budget (the
 * budget deliveries are drawn around, without their noise), split over the platforms by the campaigns' shares
 * and billed in the market's currency; impressions at the channel's CPM, TV's GRPs at the market's cost per point.
 */
export function futureMediaPlan(start: string, weeks: number, planWeeks: number, campaigns: Campaign[], fx: FxRates): PlanLine[] {
  const lines: PlanLine[] = [];
  for (let w = weeks; w < weeks + planWeeks; w++) {
    const weekStart = addDays(start, 7 * w);
    for (const geo of DEMO_GEOS) {
      const rate = fx.rateMicros(geo.currency, weekStart);
      for (const channel of CHANNELS) {
        const budget = plannedBudgetUsd(channel, geo, weekStart, w);
        if (budget === 0) continue;
        const line = (platform: string, usd: number, units: (localCents: number, usdCents: number) => number): PlanLine => {
          const localCents = localCentsFor(usd, rate);
          const usdCents = convertCents(localCents, rate);
          const { currency } = geo;
          return {
            weekStart,
            geo: geo.geo,
            currency,
            channel,
            mediaType: PLAN_MEDIA_TYPE[channel],
            platform,
            localCents,
            usdCents,
            units: units(localCents, usdCents),
          };
        };
        if (channel === 'tv') {
          lines.push(line('TV agency', budget, (localCents) => Math.round((localCents / 100 / TV_CPP[geo.geo]) * 10) / 10));
          continue;
        }
        const cpm = CPM_USD[channel];
        const live = campaigns.filter((c) => c.geo === geo.geo && c.channel === channel && (c.launch === null || c.launch <= weekStart));
        for (const source of [...new Set(live.map((c) => c.source))]) {
          const share = live.filter((c) => c.source === source).reduce((sum, c) => sum + c.share, 0);
          lines.push(line(PLATFORM_NAME[source], budget * share, (_, usdCents) => Math.round((usdCents / 100 / cpm) * 1000)));
        }
      }
    }
  }
  return lines;
}
