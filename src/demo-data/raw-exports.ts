/**
 * Renders delivered media, TV buys, sales and calendars as the files an advertiser's loaders receive:
 * one folder per source, each platform with its own column names, date format and currency, and
 * export files named by export date. Digital platforms are exported every Monday for the trailing
 * 14 days, so every day arrives twice; the first export of a day may carry a cost the second corrects.
 */
import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { addDays } from '../data/dates.ts';
import type { Holiday, MacroPoint, Promotion } from './calendars.ts';
import type { DailySales } from './commerce.ts';
import { campaignNameAt, type Delivery, type DigitalSource, type PlanLine, type TvBuy } from './media-plan.ts';
import { formatCents } from './money.ts';
import type { LiftTest } from './lift-tests.ts';

const EXPORT_WINDOW_DAYS = 14;

/** RFC 4180: quote a field holding a comma, quote or line break, doubling its quotes. */
const csvField = (value: string | number): string => {
  const text = String(value);
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
};
const csvText = (header: string[], rows: (string | number)[][]): string =>
  [header, ...rows].map((row) => row.map(csvField).join(',')).join('\n') + '\n';

const mdy = (isoDate: string): string => `${isoDate.slice(5, 7)}/${isoDate.slice(8, 10)}/${isoDate.slice(0, 4)}`;

/**
 * A platform's export: its header and the cells in which it differs. Every platform writes the same
 * fields in the same order (date, account, currency, campaign id, name and type, country, cost,
 * impressions, clicks), under its own names and formats.
 */
interface ExportFormat {
  header: string[];
  /** The leading date cell(s) of a day's row. */
  dates(isoDate: string): string[];
  /** The country cell of a campaign's geo. */
  country(geo: string): string;
  /** The cost cell of local-currency cents. */
  cost(localCents: number): string | number;
}

/** One delivery as a row of `format`, with the campaign name it had on `exportDate`. */
const exportRow = (format: ExportFormat, d: Delivery, exportDate: string, localCents: number): (string | number)[] => [
  ...format.dates(d.date),
  d.campaign.accountId,
  d.campaign.currency,
  d.campaign.campaignId,
  campaignNameAt(d.campaign, exportDate),
  d.campaign.campaignType,
  format.country(d.campaign.geo),
  format.cost(localCents),
  d.impressions,
  d.clicks,
];

const GOOGLE_COUNTRY_CRITERION: Record<string, string> = { US: '2840', CA: '2124' };
const COUNTRY_NAME: Record<string, string> = { US: 'United States', CA: 'Canada' };

const FORMATS: Record<DigitalSource, ExportFormat> = {
  // Google Ads API report, flattened by the loader (resource.field -> resource_field); cost in micros.
  google_ads: {
    header: [
      'segments_date',
      'customer_id',
      'customer_currency_code',
      'campaign_id',
      'campaign_name',
      'campaign_advertising_channel_type',
      'geographic_view_country_criterion_id',
      'metrics_cost_micros',
      'metrics_impressions',
      'metrics_clicks',
    ],
    dates: (day) => [day],
    country: (geo) => GOOGLE_COUNTRY_CRITERION[geo],
    cost: (cents) => cents * 10_000,
  },
  // Microsoft Advertising campaign performance report: PascalCase columns, MM/DD/YYYY dates.
  microsoft_ads: {
    header: [
      'TimePeriod',
      'AccountId',
      'CurrencyCode',
      'CampaignId',
      'CampaignName',
      'CampaignType',
      'Country',
      'Spend',
      'Impressions',
      'Clicks',
    ],
    dates: (day) => [mdy(day)],
    country: (geo) => COUNTRY_NAME[geo],
    cost: formatCents,
  },
  // Meta Marketing API insights at campaign level with the country breakdown.
  meta_ads: {
    header: [
      'date_start',
      'date_stop',
      'account_id',
      'account_currency',
      'campaign_id',
      'campaign_name',
      'objective',
      'country',
      'spend',
      'impressions',
      'clicks',
    ],
    dates: (day) => [day, day],
    country: (geo) => geo,
    cost: formatCents,
  },
  // TikTok reporting API, daily campaign report with a country dimension; the day is a midnight timestamp.
  tiktok_ads: {
    header: [
      'stat_time_day',
      'advertiser_id',
      'currency',
      'campaign_id',
      'campaign_name',
      'objective_type',
      'country_code',
      'spend',
      'impressions',
      'clicks',
    ],
    dates: (day) => [`${day} 00:00:00`],
    country: (geo) => geo,
    cost: formatCents,
  },
  // Display & Video 360 offline report by insertion order: YYYY/MM/DD dates, cost in advertiser currency.
  dv360: {
    header: [
      'date',
      'advertiser_id',
      'advertiser_currency',
      'insertion_order_id',
      'insertion_order',
      'line_item_type',
      'country',
      'media_cost_advertiser_currency',
      'impressions',
      'clicks',
    ],
    dates: (day) => [day.replaceAll('-', '/')],
    country: (geo) => geo,
    cost: formatCents,
  },
};

export interface WrittenExports {
  files: string[];
  rows: number;
  /** Days that appear in more than one export file of a source. */
  reExportedDays: number;
  duplicatedFiles: string[];
}

/**
 * Weekly trailing-window exports of every digital platform, plus one export file delivered twice
 * (a loader retry) for `duplicateOf` = { source, exportDate }.
 */
export function writeDigitalExports(
  rawDir: string,
  deliveries: Delivery[],
  start: string,
  weeks: number,
  duplicateOf: { source: DigitalSource; exportDate: string },
): WrittenExports {
  const end = addDays(start, 7 * weeks - 1);
  const bySourceDay = new Map<string, Delivery[]>();
  for (const d of deliveries) {
    const key = `${d.campaign.source}|${d.date}`;
    const list = bySourceDay.get(key);
    if (list === undefined) bySourceDay.set(key, [d]);
    else list.push(d);
  }
  const result: WrittenExports = { files: [], rows: 0, reExportedDays: 0, duplicatedFiles: [] };
  const timesExported = new Map<string, number>();
  for (const source of Object.keys(FORMATS) as DigitalSource[]) {
    const format = FORMATS[source];
    mkdirSync(join(rawDir, source), { recursive: true });
    for (let k = 1; k <= weeks; k++) {
      const exportDate = addDays(start, 7 * k);
      const rows: (string | number)[][] = [];
      for (let back = EXPORT_WINDOW_DAYS; back >= 1; back--) {
        const day = addDays(exportDate, -back);
        if (day < start || day > end) continue;
        const dayKey = `${source}|${day}`;
        const firstExport = !timesExported.has(dayKey);
        timesExported.set(dayKey, (timesExported.get(dayKey) ?? 0) + 1);
        for (const d of bySourceDay.get(dayKey) ?? []) {
          const cents = firstExport && d.preliminaryLocalCents !== null ? d.preliminaryLocalCents : d.localCents;
          rows.push(exportRow(format, d, exportDate, cents));
        }
      }
      const file = join(rawDir, source, `${source}_export_${exportDate}.csv`);
      writeFileSync(file, csvText(format.header, rows));
      result.files.push(file);
      result.rows += rows.length;
      if (source === duplicateOf.source && exportDate === duplicateOf.exportDate) {
        const retry = join(rawDir, source, `${source}_export_${exportDate}_retry.csv`);
        copyFileSync(file, retry);
        result.files.push(retry);
        result.duplicatedFiles.push(retry);
        result.rows += rows.length;
      }
    }
  }
  result.reExportedDays = [...timesExported.values()].filter((n) => n > 1).length;
  return result;
}

const TV_MARKET: Record<string, string> = { US: 'US National', CA: 'Canada National' };
const TV_HEADER = ['week_commencing', 'market', 'network', 'daypart', 'grps', 'net_cost', 'currency'];

/** The agency's quarterly TV buy reports; quarters with corrected weeks are re-issued as `_v2`. */
export function writeTvReports(rawDir: string, buys: TvBuy[]): string[] {
  mkdirSync(join(rawDir, 'tv'), { recursive: true });
  const quarterOf = (weekStart: string): string => `${weekStart.slice(0, 4)}Q${Math.floor((Number(weekStart.slice(5, 7)) - 1) / 3) + 1}`;
  const quarters = [...new Set(buys.map((b) => quarterOf(b.weekStart)))];
  const files: string[] = [];
  for (const quarter of quarters) {
    const inQuarter = buys.filter((b) => quarterOf(b.weekStart) === quarter);
    const row = (b: TvBuy, figures: { grps: number; localCents: number }) => [
      mdy(b.weekStart),
      TV_MARKET[b.geo],
      b.network,
      'All Day',
      figures.grps.toFixed(1),
      formatCents(figures.localCents),
      b.currency,
    ];
    const first = join(rawDir, 'tv', `tv_buys_${quarter}.csv`);
    writeFileSync(
      first,
      csvText(
        TV_HEADER,
        inQuarter.map((b) => row(b, b.preliminary ?? b)),
      ),
    );
    files.push(first);
    if (inQuarter.some((b) => b.preliminary !== null)) {
      const reissue = join(rawDir, 'tv', `tv_buys_${quarter}_v2.csv`);
      writeFileSync(
        reissue,
        csvText(
          TV_HEADER,
          inQuarter.map((b) => row(b, b)),
        ),
      );
      files.push(reissue);
    }
  }
  return files;
}

const SALES_HEADER = ['day', 'store', 'currency', 'orders', 'gross_sales', 'discounts', 'returns', 'net_sales', 'taxes', 'total_sales'];

/** Monthly sales exports (made on the 1st of the next month); `reExportMonth` is exported again a month later. */
export function writeCommerceExports(rawDir: string, sales: DailySales[], reExportMonth: string): string[] {
  mkdirSync(join(rawDir, 'commerce'), { recursive: true });
  const months = [...new Set(sales.map((s) => s.day.slice(0, 7)))];
  const nextMonth = (month: string, n: number): string => {
    const index = Number(month.slice(0, 4)) * 12 + Number(month.slice(5, 7)) - 1 + n;
    return `${Math.floor(index / 12)}-${String((index % 12) + 1).padStart(2, '0')}-01`;
  };
  const files: string[] = [];
  const write = (month: string, exportDate: string) => {
    const rows = sales
      .filter((s) => s.day.startsWith(month))
      .map((s) => [
        s.day,
        s.store,
        s.currency,
        s.orders,
        formatCents(s.grossSales),
        formatCents(s.discounts),
        formatCents(s.returns),
        formatCents(s.netSales),
        formatCents(s.taxes),
        formatCents(s.totalSales),
      ]);
    const file = join(rawDir, 'commerce', `shopify_sales_${month}_exported_${exportDate}.csv`);
    writeFileSync(file, csvText(SALES_HEADER, rows));
    files.push(file);
  };
  for (const month of months) write(month, nextMonth(month, 1));
  if (months.includes(reExportMonth)) write(reExportMonth, nextMonth(reExportMonth, 2));
  return files;
}

const MEDIA_PLAN_HEADER = [
  'plan_name',
  'week_commencing',
  'market',
  'media_type',
  'platform',
  'currency',
  'planned_spend',
  'planned_units',
];

/**
 * The planners' media plan exports, each the whole plan (named by export date, so the latest sorts last): every
 * export's lines are `lines` with spend and units scaled by its `scale` (a draft before the final plan).
 */
export function writeMediaPlanExports(
  rawDir: string,
  lines: PlanLine[],
  exports: { exportDate: string; planName: string; scale: number }[],
): string[] {
  mkdirSync(join(rawDir, 'media_plan'), { recursive: true });
  return exports.map(({ exportDate, planName, scale }) => {
    const file = join(rawDir, 'media_plan', `media_plan_${exportDate}.csv`);
    const units = (line: PlanLine) => (line.channel === 'tv' ? (line.units * scale).toFixed(1) : Math.round(line.units * scale));
    writeFileSync(
      file,
      csvText(
        MEDIA_PLAN_HEADER,
        lines.map((line) => [
          planName,
          line.weekStart,
          line.geo,
          line.mediaType,
          line.platform,
          line.currency,
          formatCents(Math.round(line.localCents * scale)),
          units(line),
        ]),
      ),
    );
    return file;
  });
}

/** Holidays, promotions and consumer confidence as single reference files. */
export function writeCalendars(rawDir: string, holidays: Holiday[], promotions: Promotion[], macro: MacroPoint[]): string[] {
  const dir = join(rawDir, 'calendars');
  mkdirSync(dir, { recursive: true });
  const files = [join(dir, 'holidays.csv'), join(dir, 'promotions.csv'), join(dir, 'consumer_confidence.csv')];
  writeFileSync(
    files[0],
    csvText(
      ['date', 'country_code', 'holiday_name'],
      holidays.map((h) => [h.date, h.country, h.name]),
    ),
  );
  writeFileSync(
    files[1],
    csvText(
      ['promo_id', 'promo_name', 'market', 'start_date', 'end_date', 'discount_pct'],
      promotions.map((p) => [p.promoId, p.name, p.market, p.start, p.end, p.discountPct]),
    ),
  );
  writeFileSync(
    files[2],
    csvText(
      ['month', 'country_code', 'consumer_confidence'],
      macro.map((m) => [m.month, m.country, m.consumerConfidence.toFixed(1)]),
    ),
  );
  return files;
}

/** The measurement partner's lift-test results (dbt source `experiments`): one row per test, national tests with an empty geo. */
export function writeLiftTests(rawDir: string, tests: LiftTest[]): string[] {
  const dir = join(rawDir, 'experiments');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, 'lift_tests.csv');
  writeFileSync(
    file,
    csvText(
      [
        'experiment_id',
        'channel',
        'geo',
        'start_date',
        'end_date',
        'incremental_outcome',
        'standard_error',
        'spend',
        'counterfactual_spend',
        'outcome_type',
      ],
      tests.map((t) => [
        t.experimentId,
        t.channel,
        t.geo,
        t.startDate,
        t.endDate,
        t.incrementalOutcome,
        t.standardError,
        t.spend,
        t.counterfactualSpend,
        t.outcomeType,
      ]),
    ),
  );
  return [file];
}
