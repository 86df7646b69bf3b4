import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/load-config.ts';
import { parseCsv } from '../../src/data/csv.ts';
import { guessConfig } from '../../src/data/guess-config.ts';
import { panelFromCsv } from '../../src/data/load-fit-inputs.ts';
import { GUESSED_MARKETER_COLUMNS, marketerRows, PLAIN, renderCsv, type CsvShape } from './support/marketer-csv.ts';

const guess = (text: string, kpi?: string) => guessConfig(parseCsv(text, 'export.csv'), kpi);

describe('guessConfig on a marketer-style export', () => {
  const shape: CsvShape = {
    delimiter: ';',
    numbers: { decimal: ',', thousands: '.', currency: { symbol: '€', position: 'after-space' } },
    dates: 'DD.MM.YYYY',
  };
  const text = renderCsv(marketerRows(40), shape);
  const guessed = guess(text);

  it('finds the date, the KPI, spend/media pairs by name and the controls, and how the file is written', () => {
    if ('refusal' in guessed) throw new Error(JSON.stringify(guessed.refusal));
    expect(guessed.config).toEqual({
      data: {
        ...GUESSED_MARKETER_COLUMNS,
        csv: { delimiter: ';', decimal: ',' },
        dateFormat: 'DD.MM.YYYY',
        frequency: 'weekly',
      },
    });
    expect(guessed.guesses).toContainEqual({
      role: 'channel',
      subject: 'tv',
      why: "spend 'TV Cost', media 'TV GRPs' (same name without the spend/media words)",
    });
    expect(guessed.guesses).toContainEqual({ role: 'kpi', subject: "'Sales'", why: "the name says 'sales'; revenue (money)" });
    expect(guessed.guesses).toContainEqual({ role: 'left out', subject: "'Notes'", why: 'not numeric' });
  });

  it('writes a config that reads the file', () => {
    if ('refusal' in guessed) throw new Error('refused');
    const panel = panelFromCsv(text, parseConfig(guessed.config, 'guessed'), 'export.csv');
    expect(panel.dates).toHaveLength(40);
    expect(panel.channels).toEqual(['google_ads', 'meta', 'tv']);
  });

  it('shortens the adstock window for short data, and says so', () => {
    const short = guess(renderCsv(marketerRows(20), PLAIN));
    if ('refusal' in short) throw new Error('refused');
    expect(short.config.model).toEqual({ maxLag: 5 });
    expect(short.guesses).toContainEqual({
      role: 'model',
      subject: 'maxLag 5',
      why: 'only 20 weeks; the default adstock window 8 needs 26',
    });
  });

  it('takes a unit KPI as non-revenue and --kpi over the names', () => {
    const renamed = text.replace('Sales', 'Conversions');
    const units = guess(renamed);
    expect('config' in units && units.config.data.kpiType).toBe('non_revenue');
    const named = guess(text, 'Price Index');
    expect('config' in named && [named.config.data.kpi, named.config.data.controls]).toEqual([
      'Price Index',
      ['Sales', 'Holidays, public'],
    ]);
  });

  it('leaves out media units without a spend column, and constant columns', () => {
    const lines = renderCsv(marketerRows(40), PLAIN).split('\n');
    const withExtra = lines
      .map((line, i) => (line === '' ? line : `${line},${i === 0 ? 'Radio Impressions,Region Flag' : `${100 + i},1`}`))
      .join('\n');
    const guessed2 = guess(withExtra);
    if ('refusal' in guessed2) throw new Error('refused');
    expect(guessed2.guesses).toContainEqual({
      role: 'left out',
      subject: "'Radio Impressions'",
      why: "media units without a spend column named like it ('radio spend')",
    });
    expect(guessed2.guesses).toContainEqual({ role: 'left out', subject: "'Region Flag'", why: 'constant, so it cannot be a control' });
  });
});

describe('guessConfig on a Meridian-style header', () => {
  it('takes the unit KPI over a control that mentions sales, and prices it by the revenue-per-unit column', () => {
    const header = 'time,competitor_sales_control,conversions,revenue_per_conversion,tv_impression,tv_spend,promo';
    const rows = Array.from({ length: 30 }, (_, t) =>
      [
        new Date(Date.UTC(2021, 0, 25 + 7 * t)).toISOString().slice(0, 10),
        (t % 7) / 10,
        1000 + 37 * t,
        0.02 + (t % 3) / 1000,
        500 + 11 * (t % 5),
        50 + (t % 4),
        t % 2,
      ].join(','),
    );
    const guessed = guess([header, ...rows].join('\n'));
    if ('refusal' in guessed) throw new Error(JSON.stringify(guessed.refusal));
    expect(guessed.config.data).toMatchObject({
      date: 'time',
      kpi: 'conversions',
      kpiType: 'non_revenue',
      revenuePerKpi: 'revenue_per_conversion',
      channels: [{ name: 'tv', spend: 'tv_spend', media: 'tv_impression' }],
      controls: ['competitor_sales_control', 'promo'],
    });
  });
});

describe('guessConfig refuses with the fix', () => {
  it.each([
    ['no date column', 'a,Sales,TV Spend\n1,2,3\n', /no column holds dates/],
    ['no KPI', 'Week,Amount,TV Spend\n2024-01-01,2,3\n2024-01-08,3,4\n', /no column looks like the KPI .* --kpi COLUMN/],
    ['no spend', 'Week,Sales,Radio\n2024-01-01,2,3\n2024-01-08,3,4\n', /no column looks like media spend/],
    [
      'ambiguous dates',
      'Week,Sales,TV Spend\n01/01/2024,2,3\n08/01/2024,3,4\n',
      /set data\.dateFormat to "MM\/DD\/YYYY" or "DD\/MM\/YYYY"/,
    ],
  ])('%s', (_, text, message) => {
    const guessed = guess(text);
    expect('refusal' in guessed && guessed.refusal.map((issue) => issue.message).join('\n')).toMatch(message);
  });
});
