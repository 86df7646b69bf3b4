/**
 * Daily rows summed into weeks, so that daily exports fit the weekly model. Pure: daily observations
 * (dates already yyyy-mm-dd) in, weekly observations, the partial edge weeks dropped and the
 * incomplete inner weeks out.
 */
import { WEEKDAYS, type Frequency, type Weekday } from '../config/csv-formats.ts';
import type { Observation } from './observation.ts';
import { addDays, dayNumber, weekday } from './dates.ts';
import type { DataIssue } from './errors.ts';

const DAYS_PER_WEEK = 7;
/** How many missing days of an incomplete week are spelled out. */
const LISTED_MISSING_DAYS = 5;
/** More incomplete weeks than this are one issue (a file of weekdays only lacks every weekend). */
const LISTED_INCOMPLETE_WEEKS = 3;

/** Daily when consecutive distinct dates are most often one day apart, else weekly. */
export function detectFrequency(isoDates: string[]): Frequency {
  const days = [...new Set(isoDates)].map(dayNumber).sort((a, b) => a - b);
  const gaps = new Map<number, number>();
  for (let i = 1; i < days.length; i += 1) gaps.set(days[i] - days[i - 1], (gaps.get(days[i] - days[i - 1]) ?? 0) + 1);
  const modal = [...gaps.entries()].sort((a, b) => b[1] - a[1] || a[0] - b[0])[0];
  return modal !== undefined && modal[0] === 1 ? 'daily' : 'weekly';
}

/** The first day of the week (starting on `weekStart`) that holds `isoDate`. */
export function startOfWeek(isoDate: string, weekStart: Weekday): string {
  return addDays(isoDate, -((weekday(isoDate) - WEEKDAYS.indexOf(weekStart) + DAYS_PER_WEEK) % DAYS_PER_WEEK));
}

/** A first or last week of a geo with fewer than seven days, left out of the weekly data. */
export interface PartialWeek {
  geo: string;
  weekStart: string;
  firstDay: string;
  lastDay: string;
  days: number;
}

export interface WeeklyAggregation {
  weeks: Observation[];
  dropped: PartialWeek[];
  /** Weeks between the first and the last that lack days: the weekly sum would undercount them. */
  issues: DataIssue[];
}

const sum = (values: number[]) => values.reduce((total, value) => total + value, 0);
const mean = (values: number[]) => sum(values) / values.length;

/** One week of one geo: KPI, spend and media summed, controls averaged, revenue per KPI weighted by KPI. */
function weekOf(days: Observation[], weekStart: string): Observation {
  const first = days[0];
  const kpi = sum(days.map((day) => day.kpi));
  const rpk =
    first.revenuePerKpi === null
      ? null
      : kpi !== 0
        ? sum(days.map((day) => day.kpi * (day.revenuePerKpi as number))) / kpi
        : mean(days.map((day) => day.revenuePerKpi as number));
  return {
    geo: first.geo,
    date: weekStart,
    row: Math.min(...days.map((day) => day.row)),
    kpi,
    spend: first.spend.map((_, c) => sum(days.map((day) => day.spend[c]))),
    media: first.media.map((_, c) => sum(days.map((day) => day.media[c]))),
    controls: first.controls.map((_, k) => mean(days.map((day) => day.controls[k]))),
    population: first.population,
    revenuePerKpi: rpk,
  };
}

/**
 * Groups daily observations (one per geo and day, dates yyyy-mm-dd) into weeks starting on `weekStart`.
 * A geo's first and last weeks are dropped when they have fewer than seven days; an inner week that
 * lacks days is an issue naming the missing days.
 */
export function aggregateDailyToWeeks(
  days: Observation[],
  weekStart: Weekday,
  columns: { date: string; geo: string | null },
): WeeklyAggregation {
  const byGeo = new Map<string, Map<string, Observation[]>>();
  for (const day of days) {
    const weeks = byGeo.get(day.geo) ?? new Map<string, Observation[]>();
    const start = startOfWeek(day.date, weekStart);
    weeks.set(start, [...(weeks.get(start) ?? []), day]);
    byGeo.set(day.geo, weeks);
  }
  const weeksOut: Observation[] = [];
  const dropped: PartialWeek[] = [];
  const incomplete: { geo: string; start: string; row: number; missing: string[] }[] = [];
  for (const [geo, weeks] of byGeo) {
    const starts = [...weeks.keys()].sort();
    starts.forEach((start, i) => {
      const inWeek = (weeks.get(start) as Observation[]).sort((a, b) => (a.date < b.date ? -1 : 1));
      if (inWeek.length === DAYS_PER_WEEK) {
        weeksOut.push(weekOf(inWeek, start));
      } else if (i === 0 || i === starts.length - 1) {
        dropped.push({ geo, weekStart: start, firstDay: inWeek[0].date, lastDay: inWeek[inWeek.length - 1].date, days: inWeek.length });
      } else {
        const present = new Set(inWeek.map((day) => day.date));
        const missing = Array.from({ length: DAYS_PER_WEEK }, (_, d) => addDays(start, d)).filter((date) => !present.has(date));
        incomplete.push({ geo, start, row: inWeek[0].row, missing });
      }
    });
  }
  const describe = (week: (typeof incomplete)[number]) =>
    `the week starting ${week.start} has ${DAYS_PER_WEEK - week.missing.length} of 7 days (missing ${week.missing.slice(0, LISTED_MISSING_DAYS).join(', ')})`;
  const issue = (week: (typeof incomplete)[number], message: string): DataIssue => ({
    column: columns.date,
    row: week.row,
    geo: columns.geo === null ? undefined : week.geo,
    date: week.start,
    message,
  });
  const fix = 'daily data needs every day to sum whole weeks';
  const issues =
    incomplete.length > LISTED_INCOMPLETE_WEEKS
      ? [issue(incomplete[0], `${incomplete.length} weeks lack days, the first: ${describe(incomplete[0])}; ${fix}`)]
      : incomplete.map((week) => issue(week, `${describe(week)}; ${fix}`));
  return { weeks: weeksOut, dropped, issues };
}

/** "dropped the partial week starting 2024-01-01 (5 of 7 days, 2024-01-03 to 2024-01-07)", once per distinct week. */
export function describeDroppedWeeks(dropped: PartialWeek[]): string[] {
  const seen = new Map<string, PartialWeek>();
  for (const week of dropped) seen.set(`${week.weekStart}/${week.days}`, week);
  return [...seen.values()]
    .sort((a, b) => (a.weekStart < b.weekStart ? -1 : 1))
    .map((week) => `dropped the partial week starting ${week.weekStart} (${week.days} of 7 days, ${week.firstDay} to ${week.lastDay})`);
}
