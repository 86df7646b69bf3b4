/**
 * The advertiser's reference calendars: public holidays per country, the promotions calendar and a
 * monthly consumer-confidence series. They feed both the raw exports and the weekly controls of the truth.
 */
import type { Rng } from '../math/rng.ts';
import { addDays, dayNumber, weekday } from '../data/dates.ts';

export { weekday };

export interface Holiday {
  date: string;
  country: string;
  name: string;
}
export interface Promotion {
  promoId: string;
  name: string;
  market: string;
  start: string;
  end: string;
  discountPct: number;
}
export interface MacroPoint {
  month: string;
  country: string;
  consumerConfidence: number;
}

const iso = (year: number, month: number, day: number): string =>
  `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;

/** The n-th (1-based) given weekday (0 = Monday) of a month; n = -1 is the last one. */
function nthWeekday(year: number, month: number, target: number, n: number): string {
  if (n > 0) {
    const first = iso(year, month, 1);
    return addDays(first, ((target - weekday(first) + 7) % 7) + 7 * (n - 1));
  }
  const last = addDays(iso(month === 12 ? year + 1 : year, month === 12 ? 1 : month + 1, 1), -1);
  return addDays(last, -((weekday(last) - target + 7) % 7));
}

const MONDAY = 0;
const THURSDAY = 3;

/** Public holidays (and Black Friday, which retail treats as one) of the US and Canada. */
export function holidays(firstYear: number, lastYear: number): Holiday[] {
  const list: Holiday[] = [];
  for (let year = firstYear; year <= lastYear; year++) {
    const thanksgivingUs = nthWeekday(year, 11, THURSDAY, 4);
    // Victoria Day: the last Monday before May 25.
    const victoriaDay = addDays(iso(year, 5, 24), -((weekday(iso(year, 5, 24)) - MONDAY + 7) % 7));
    list.push(
      { date: iso(year, 1, 1), country: 'US', name: "New Year's Day" },
      { date: nthWeekday(year, 5, MONDAY, -1), country: 'US', name: 'Memorial Day' },
      { date: iso(year, 7, 4), country: 'US', name: 'Independence Day' },
      { date: nthWeekday(year, 9, MONDAY, 1), country: 'US', name: 'Labor Day' },
      { date: thanksgivingUs, country: 'US', name: 'Thanksgiving Day' },
      { date: addDays(thanksgivingUs, 1), country: 'US', name: 'Black Friday' },
      { date: iso(year, 12, 25), country: 'US', name: 'Christmas Day' },
      { date: iso(year, 1, 1), country: 'CA', name: "New Year's Day" },
      { date: victoriaDay, country: 'CA', name: 'Victoria Day' },
      { date: iso(year, 7, 1), country: 'CA', name: 'Canada Day' },
      { date: nthWeekday(year, 10, MONDAY, 2), country: 'CA', name: 'Thanksgiving' },
      { date: addDays(thanksgivingUs, 1), country: 'CA', name: 'Black Friday' },
      { date: iso(year, 12, 25), country: 'CA', name: 'Christmas Day' },
      { date: iso(year, 12, 26), country: 'CA', name: 'Boxing Day' },
    );
  }
  return list.sort((a, b) => a.date.localeCompare(b.date) || a.country.localeCompare(b.country));
}

/** Seasonal sales (spring, summer, Black Friday week, boxing week) per market, with random lengths and depths. */
export function promotions(firstYear: number, lastYear: number, rng: Rng): Promotion[] {
  const list: Promotion[] = [];
  for (let year = firstYear; year <= lastYear; year++) {
    const windows = [
      { name: 'Spring Sale', start: addDays(iso(year, 3, 15), Math.floor(rng.uniform() * 10)), days: 5 + Math.floor(rng.uniform() * 5) },
      { name: 'Summer Sale', start: addDays(iso(year, 7, 10), Math.floor(rng.uniform() * 10)), days: 7 + Math.floor(rng.uniform() * 4) },
      { name: 'Black Friday', start: addDays(nthWeekday(year, 11, THURSDAY, 4), 1), days: 4 },
      { name: 'Boxing Week', start: iso(year, 12, 26), days: 6 },
    ];
    for (const market of ['US', 'CA']) {
      windows.forEach((window, i) => {
        list.push({
          promoId: `P${year}${i + 1}${market}`,
          name: `${window.name} ${year}`,
          market,
          start: window.start,
          end: addDays(window.start, window.days - 1),
          discountPct: 10 + 5 * Math.floor(rng.uniform() * 4),
        });
      });
    }
  }
  return list;
}

/** Monthly consumer confidence (index, 100 = long-run average): a slow cycle plus noise per country. */
export function consumerConfidence(firstYear: number, lastYear: number, rng: Rng): MacroPoint[] {
  const list: MacroPoint[] = [];
  for (const [country, phase] of [
    ['US', 0],
    ['CA', 0.8],
  ] as const) {
    for (let year = firstYear; year <= lastYear; year++) {
      for (let month = 1; month <= 12; month++) {
        const t = (year - firstYear) * 12 + month - 1;
        const value = 100 + 4 * Math.sin(t / 7 + phase) + 0.8 * rng.normal();
        list.push({ month: iso(year, month, 1).slice(0, 7), country, consumerConfidence: Math.round(value * 10) / 10 });
      }
    }
  }
  return list;
}
