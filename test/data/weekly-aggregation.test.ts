import { describe, expect, it } from 'vitest';
import type { Observation } from '../../src/data/observation.ts';
import { addDays } from '../../src/data/dates.ts';
import { aggregateDailyToWeeks, describeDroppedWeeks, detectFrequency, startOfWeek } from '../../src/data/weekly-aggregation.ts';

const day = (date: string, i: number, revenuePerKpi: number | null = null): Observation => ({
  geo: 'national',
  date,
  row: i + 2,
  kpi: 10 + i,
  spend: [i, 2 * i],
  media: [i, 100 + i],
  controls: [i % 2],
  population: 1,
  revenuePerKpi,
});
const days = (start: string, count: number, rpk: (i: number) => number | null = () => null) =>
  Array.from({ length: count }, (_, i) => day(addDays(start, i), i, rpk(i)));
const columns = { date: 'date', geo: null };

describe('detectFrequency', () => {
  it('is daily when consecutive dates are mostly one day apart, else weekly', () => {
    expect(detectFrequency(['2024-01-01', '2024-01-02', '2024-01-03', '2024-01-05'])).toBe('daily');
    expect(detectFrequency(['2024-01-01', '2024-01-08', '2024-01-15', '2024-01-16'])).toBe('weekly');
    expect(detectFrequency(['2024-01-01'])).toBe('weekly');
  });
});

describe('startOfWeek', () => {
  it('is the Monday (ISO) or the named day on or before the date', () => {
    expect(startOfWeek('2024-01-07', 'monday')).toBe('2024-01-01');
    expect(startOfWeek('2024-01-08', 'monday')).toBe('2024-01-08');
    expect(startOfWeek('2024-01-06', 'sunday')).toBe('2023-12-31');
    expect(startOfWeek('2024-01-07', 'sunday')).toBe('2024-01-07');
  });
});

describe('aggregateDailyToWeeks', () => {
  it('sums KPI, spend and media, averages controls, and labels the week by its first day and first row', () => {
    const { weeks, dropped, issues } = aggregateDailyToWeeks(days('2024-01-01', 14), 'monday', columns);
    expect(dropped).toEqual([]);
    expect(issues).toEqual([]);
    expect(weeks[1]).toEqual({
      geo: 'national',
      date: '2024-01-08',
      row: 9,
      kpi: 7 * 10 + 7 + 8 + 9 + 10 + 11 + 12 + 13,
      spend: [70, 140],
      media: [70, 770],
      controls: [4 / 7],
      population: 1,
      revenuePerKpi: null,
    });
  });

  it('weights revenue per KPI by the KPI', () => {
    const { weeks } = aggregateDailyToWeeks(
      days('2024-01-01', 7, (i) => (i === 0 ? 2 : 1)),
      'monday',
      columns,
    );
    const kpis = [10, 11, 12, 13, 14, 15, 16];
    expect(weeks[0].revenuePerKpi).toBeCloseTo((2 * 10 + 11 + 12 + 13 + 14 + 15 + 16) / kpis.reduce((a, b) => a + b), 12);
  });

  it('drops partial first and last weeks and says which', () => {
    const { weeks, dropped } = aggregateDailyToWeeks(days('2024-01-03', 5 + 14 + 2), 'monday', columns);
    expect(weeks.map((week) => week.date)).toEqual(['2024-01-08', '2024-01-15']);
    expect(describeDroppedWeeks(dropped)).toEqual([
      'dropped the partial week starting 2024-01-01 (5 of 7 days, 2024-01-03 to 2024-01-07)',
      'dropped the partial week starting 2024-01-22 (2 of 7 days, 2024-01-22 to 2024-01-23)',
    ]);
  });

  it('reports an inner week with missing days, per geo', () => {
    const geoDays = [
      ...days('2024-01-01', 21).map((d) => ({ ...d, geo: 'A' })),
      ...days('2024-01-01', 21)
        .filter((d) => d.date !== '2024-01-10' && d.date !== '2024-01-11')
        .map((d) => ({ ...d, geo: 'B' })),
    ];
    const { issues } = aggregateDailyToWeeks(geoDays, 'monday', { date: 'day', geo: 'region' });
    expect(issues).toEqual([
      {
        column: 'day',
        row: 9,
        geo: 'B',
        date: '2024-01-08',
        message:
          'the week starting 2024-01-08 has 5 of 7 days (missing 2024-01-10, 2024-01-11); daily data needs every day to sum whole weeks',
      },
    ]);
  });
});

describe('aggregateDailyToWeeks on weekdays-only data', () => {
  it('is one issue, not one per week (the 8 inner weeks; the first and last are dropped as partial)', () => {
    const weekdays = days('2024-01-01', 70).filter((d) => new Date(`${d.date}T00:00:00Z`).getUTCDay() % 6 !== 0);
    const { issues } = aggregateDailyToWeeks(weekdays, 'monday', columns);
    expect(issues).toEqual([
      {
        column: 'date',
        row: 9,
        geo: undefined,
        date: '2024-01-08',
        message:
          '8 weeks lack days, the first: the week starting 2024-01-08 has 5 of 7 days (missing 2024-01-13, 2024-01-14); ' +
          'daily data needs every day to sum whole weeks',
      },
    ]);
  });
});
