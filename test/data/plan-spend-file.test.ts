/** A plan's spend per week from a CSV in the fit's wide format: read, and refused with the row, week or column named. */
import { describe, expect, it } from 'vitest';
import { mmmConfigSchema } from '../../src/config/schema.ts';
import { DataValidationError } from '../../src/data/errors.ts';
import { readPlanSpendFile } from '../../src/data/plan-spend-file.ts';

const config = mmmConfigSchema.parse({
  data: {
    date: 'week',
    kpi: 'sales',
    revenuePerKpi: 'price',
    channels: [
      { name: 'tv', spend: 'tv_spend', media: 'tv_grp' },
      { name: 'search', spend: 'search_spend' },
    ],
    controls: ['temperature', 'promo'],
  },
});
const weeks = ['2025-01-06', '2025-01-13', '2025-01-20'];

const read = (csv: string, channels = ['tv', 'search']) => readPlanSpendFile(csv, 'plan.csv', config, weeks, channels);

function refusal(csv: string, channels?: string[]): string {
  try {
    read(csv, channels);
  } catch (error) {
    expect(error).toBeInstanceOf(DataValidationError);
    return (error as Error).message;
  }
  throw new Error('the file was accepted');
}

describe('readPlanSpendFile', () => {
  it('reads spend, media, controls and revenue per KPI per horizon week, in any row order, ignoring columns the config does not name', () => {
    const file = read(
      [
        'week,tv_spend,tv_grp,search_spend,temperature,promo,price,notes',
        '2025-01-20,300,30,5,1.5,0,2.5,x',
        '2025-01-06,100,10,7,-2,1,2.4,y',
        '2025-01-13,0,0,6,0.5,0,2.6,z',
      ].join('\n'),
    );
    expect([...file.spend.get('tv')!]).toEqual([100, 0, 300]);
    expect([...file.spend.get('search')!]).toEqual([7, 6, 5]);
    expect([...file.media.get('tv')!]).toEqual([10, 0, 30]);
    expect(file.media.has('search')).toBe(false);
    expect([...file.controls!]).toEqual([-2, 1, 0.5, 0, 1.5, 0]);
    expect([...file.revenuePerKpi!]).toEqual([2.4, 2.6, 2.5]);
  });

  it('takes only the channels asked for; controls and revenue per KPI are optional', () => {
    const file = read(['week,search_spend', '2025-01-06,1', '2025-01-13,2', '2025-01-20,3'].join('\n'), ['search']);
    expect([...file.spend.keys()]).toEqual(['search']);
    expect(file.controls).toBeNull();
    expect(file.revenuePerKpi).toBeNull();
  });

  it('refuses weeks outside the horizon, repeated and missing weeks, naming them', () => {
    const message = refusal(['week,search_spend', '2025-01-06,1', '2025-01-06,2', '2025-02-03,3'].join('\n'), ['search']);
    expect(message).toContain("row 4 (date 2025-02-03): week 2025-02-03 is not one of the horizon's weeks 2025-01-06..2025-01-20");
    expect(message).toContain('row 3 (date 2025-01-06): week 2025-01-06 is also given on row 2');
    expect(message).toContain("no row for 2 of the horizon's 3 weeks: 2025-01-13, 2025-01-20");
  });

  it("refuses a custom channel's missing spend column and a partial set of controls, naming the columns", () => {
    const message = refusal(['week,tv_spend,temperature', '2025-01-06,1,3', '2025-01-13,2,3', '2025-01-20,3,3'].join('\n'));
    expect(message).toContain("column 'search_spend': channel 'search' has custom flighting, but its spend column is not in the header");
    expect(message).toContain("column 'promo': future controls are given for 'temperature' but not for this one");
  });

  it('refuses negative and unreadable spend, naming row and column', () => {
    const message = refusal(['week,search_spend', '2025-01-06,-1', '2025-01-13,abc', '2025-01-20,3'].join('\n'), ['search']);
    expect(message).toContain("column 'search_spend', row 2 (date 2025-01-06): negative value -1");
    expect(message).toContain("column 'search_spend', row 3 (date 2025-01-13): 'abc' is not a number");
  });
});
