/**
 * Custom flighting from the warehouse: mmm_input_plan_spend written into a real DuckDB file as dbt leaves it,
 * read over a horizon, summed over geos into the plan spend a CSV would give; every bad case refused with the
 * table, row, week, key or channel named.
 */
import { sql } from 'kysely';
import { describe, expect, test } from 'vitest';
import { mmmConfigSchema } from '../../src/config/schema.ts';
import { DataValidationError } from '../../src/data/errors.ts';
import { PLAN_SPEND_SOURCE } from '../../src/warehouse/plan-spend.ts';
import type { InputPlanSpendRow } from '../../src/warehouse/tables.ts';
import { duckdbHarness, suiteHarness } from './support/harness.ts';
import { writeMart } from './support/marts.ts';

const config = mmmConfigSchema.parse({
  data: {
    date: 'week',
    kpi: 'revenue',
    channels: [
      { name: 'search', spend: 'search' },
      { name: 'tv', spend: 'tv', media: 'tv_grps' },
      { name: 'display', spend: 'display' },
    ],
    controls: ['promo'],
  },
});
const WEEKS = ['2025-01-06', '2025-01-13', '2025-01-20'];
const GEOS = ['CA', 'US'];
const CHANNELS = ['display', 'search', 'tv'];
/** search and tv have custom flighting; display does not. */
const CUSTOM = ['search', 'tv'];

/** Distinct per geo, week and channel, in cents, so that a misplaced or unsummed value shows. */
const spendOf = (g: number, t: number, c: number): number => 1000 + 100 * c + 10 * t + g + 0.25;
const grpsOf = (g: number, t: number): number => 40 + t + 0.5 * g;

function cleanPlan(): InputPlanSpendRow[] {
  return WEEKS.flatMap((week_start, t) =>
    GEOS.flatMap((geo, g) =>
      CHANNELS.map((channel, c) => ({
        geo,
        week_start,
        channel,
        spend: spendOf(g, t, c),
        media_units: channel === 'tv' ? grpsOf(g, t) : 10_000 + t,
        media_unit: channel === 'tv' ? 'grps' : 'impressions',
      })),
    ),
  );
}

const at = (rows: InputPlanSpendRow[], geo: string, week: string, channel: string): number =>
  rows.findIndex((r) => r.geo === geo && r.week_start === week && r.channel === channel);

describe('mmm_input_plan_spend read over a plan horizon (DuckDB file)', { timeout: 60_000 }, () => {
  const h = suiteHarness(duckdbHarness);
  const read = async (rows: InputPlanSpendRow[], channels = CUSTOM) => {
    await writeMart(h.warehouse, h.schema, 'mmm_input_plan_spend', rows);
    return h.warehouse.readPlanSpend(config, WEEKS, channels);
  };
  const refusal = async (rows: InputPlanSpendRow[]): Promise<string> => {
    const error = await read(rows).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DataValidationError);
    expect((error as DataValidationError).source).toBe('mmm_input_plan_spend');
    return (error as Error).message;
  };

  test('sums each custom channel over the geos per horizon week, with the media units of a channel modelled on them', async () => {
    const plan = await read(cleanPlan());
    expect(plan.spendSource).toBe(PLAN_SPEND_SOURCE);
    expect([...plan.spend.keys()]).toEqual(CUSTOM);
    for (const [name, series] of plan.spend) {
      const c = CHANNELS.indexOf(name);
      expect([...series]).toEqual(WEEKS.map((_, t) => spendOf(0, t, c) + spendOf(1, t, c)));
    }
    // search is modelled on spend: its impressions are not media units of the model.
    expect([...plan.media.keys()]).toEqual(['tv']);
    expect([...(plan.media.get('tv') ?? [])]).toEqual(WEEKS.map((_, t) => grpsOf(0, t) + grpsOf(1, t)));
    expect(plan.controls).toBeNull();
    expect(plan.revenuePerKpi).toBeNull();
  });

  test('without media units the channel takes its cost per unit; a dark week without units is no gap', async () => {
    const none = cleanPlan().map((r) => (r.channel === 'tv' ? { ...r, media_units: null } : r));
    expect((await read(none)).media.has('tv')).toBe(false);
    const dark = cleanPlan();
    const i = at(dark, 'CA', WEEKS[1], 'tv');
    dark[i] = { ...dark[i], spend: 0, media_units: null };
    expect([...((await read(dark)).media.get('tv') ?? [])]).toEqual([
      grpsOf(0, 0) + grpsOf(1, 0),
      grpsOf(1, 1),
      grpsOf(0, 2) + grpsOf(1, 2),
    ]);
  });

  const badCases: { name: string; mutate: (rows: InputPlanSpendRow[]) => InputPlanSpendRow[]; expected: RegExp[] }[] = [
    {
      name: 'a week outside the horizon',
      mutate: (rows) => [...rows, { ...rows[0], week_start: '2025-01-27' }],
      expected: [
        /column 'mmm_input_plan_spend\.week_start', row 19 \(date 2025-01-27\): week 2025-01-27 is not one of the horizon's weeks 2025-01-06\.\.2025-01-20/,
      ],
    },
    {
      name: 'a missing week of a channel with custom flighting',
      mutate: (rows) => rows.filter((_, i) => i !== at(rows, 'US', WEEKS[1], 'tv')),
      expected: [
        /\(geo 'US', date 2025-01-13\): missing row for key \(geo='US', week_start=2025-01-13, channel='tv'\): channel 'tv' has custom flighting/,
      ],
    },
    {
      name: 'a horizon week without any row',
      mutate: (rows) => rows.filter((r) => r.week_start !== WEEKS[2]),
      expected: [/no row for 1 of the horizon's 3 weeks: 2025-01-20/],
    },
    {
      name: 'a channel the config does not have',
      mutate: (rows) => [...rows, { ...rows[0], channel: 'radio' }],
      expected: [
        /column 'mmm_input_plan_spend\.channel', row \d+ \(geo 'CA', date 2025-01-06\): channel 'radio' at key \(geo='CA', week_start=2025-01-06, channel='radio'\) is not one of the config's channels 'search', 'tv', 'display'/,
      ],
    },
    {
      name: 'negative spend',
      mutate: (rows) => rows.map((r, i) => (i === at(rows, 'US', WEEKS[1], 'search') ? { ...r, spend: -5 } : r)),
      expected: [
        /column 'mmm_input_plan_spend\.spend', row 11 \(geo 'US', date 2025-01-13\): negative spend -5 at key \(geo='US', week_start=2025-01-13, channel='search'\)/,
      ],
    },
    {
      name: 'NULL spend',
      mutate: (rows) => rows.map((r, i) => (i === at(rows, 'CA', WEEKS[0], 'tv') ? { ...r, spend: null } : r)),
      expected: [/row 3 \(geo 'CA', date 2025-01-06\): spend is NULL at key \(geo='CA', week_start=2025-01-06, channel='tv'\)/],
    },
    {
      name: 'a duplicate key',
      mutate: (rows) => [...rows, { ...rows[at(rows, 'US', WEEKS[2], 'tv')], spend: 1 }],
      expected: [/duplicate key \(geo='US', week_start=2025-01-20, channel='tv'\): rows 18 and 19/],
    },
    {
      name: "media units on some of a channel's weeks with spend and not on others",
      mutate: (rows) => rows.map((r, i) => (i === at(rows, 'CA', WEEKS[2], 'tv') ? { ...r, media_units: null } : r)),
      expected: [
        /column 'mmm_input_plan_spend\.media_units', row 15 \(geo 'CA', date 2025-01-20\): media_units is NULL at key \(geo='CA', week_start=2025-01-20, channel='tv'\), but channel 'tv' has them on 5 other row\(s\) with spend/,
      ],
    },
    {
      name: 'an empty table',
      mutate: () => [],
      expected: [/no rows: the warehouse holds no plan for the horizon's weeks 2025-01-06\.\.2025-01-20/],
    },
  ];

  test.each(badCases)('refuses $name, naming it', async ({ mutate, expected }) => {
    const message = await refusal(mutate(cleanPlan()));
    for (const pattern of expected) expect(message).toMatch(pattern);
  });

  test('refuses a warehouse without the mart, saying what builds it', async () => {
    await sql`drop table if exists ${sql.table(`${h.schema}.mmm_input_plan_spend`)}`.execute(h.warehouse.db);
    const error = await h.warehouse.readPlanSpend(config, WEEKS, CUSTOM).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DataValidationError);
    expect((error as Error).message).toMatch(
      /^mmm_input_plan_spend: 1 problem:\n {2}- the warehouse has no table mmm_input_plan_spend \(.*\); dbt builds it from the planners' media plan exports/,
    );
  });

  test('lists every problem at once', async () => {
    const rows = cleanPlan().map((r) => (r.geo === 'US' && r.channel === 'search' ? { ...r, spend: -1 } : r));
    const message = await refusal([...rows, { ...rows[0], channel: 'radio' }, { ...rows[0], week_start: '2024-12-30' }]);
    expect(message).toMatch(/^mmm_input_plan_spend: 5 problems:/);
  });
});
