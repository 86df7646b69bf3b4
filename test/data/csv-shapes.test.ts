/**
 * Acceptance (issue 11, item 5): the CSV shapes marketers export are read to exactly the panel of the
 * plain ISO file, or refused once with a message naming the column, row and value and the config key
 * that settles it.
 */
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/load-config.ts';
import { DataValidationError } from '../../src/data/errors.ts';
import { panelFromCsv } from '../../src/data/load-fit-inputs.ts';
import type { Panel } from '../../src/data/panel.ts';
import {
  COLUMNS,
  marketerConfig,
  marketerRows,
  NUMERIC_COLUMNS,
  PLAIN,
  renderCsv,
  weeklySums,
  type CsvShape,
  type MarketerRow,
} from './support/marketer-csv.ts';

const WEEKS = 30;
const weeks = marketerRows(WEEKS);

function read(text: string, data: Record<string, unknown> = {}): { panel: Panel; notes: string[] } {
  const notes: string[] = [];
  const panel = panelFromCsv(text, parseConfig(marketerConfig(data), 'config.json'), 'export.csv', (note) => notes.push(note));
  return { panel, notes };
}

function refusal(text: string, data: Record<string, unknown> = {}): DataValidationError {
  try {
    read(text, data);
  } catch (error) {
    if (error instanceof DataValidationError) return error;
    throw error;
  }
  throw new Error('expected the file to be refused');
}

const column = (name: string) => NUMERIC_COLUMNS.indexOf(name as (typeof NUMERIC_COLUMNS)[number]);

/** The panel fields the rows should become: channels google_ads, meta, tv (spend TV Cost, media TV GRPs). */
function expectedValues(rows: MarketerRow[]) {
  const pick = (name: string) => rows.map((row) => row.values[column(name)]);
  const interleave = (...series: number[][]) => rows.flatMap((_, t) => series.map((values) => values[t]));
  return {
    dates: rows.map((row) => row.date),
    kpi: pick(COLUMNS.kpi),
    spend: interleave(pick(COLUMNS.google), pick(COLUMNS.meta), pick(COLUMNS.tvCost)),
    media: interleave(pick(COLUMNS.google), pick(COLUMNS.meta), pick(COLUMNS.tvGrps)),
    controls: interleave(pick(COLUMNS.price), pick(COLUMNS.holidays)),
  };
}

const valuesOf = (panel: Panel) => ({
  dates: panel.dates,
  kpi: Array.from(panel.kpi),
  spend: Array.from(panel.spend),
  media: Array.from(panel.media),
  controls: Array.from(panel.controls),
});

const reference = read(renderCsv(weeks, PLAIN)).panel;

describe('the plain ISO reference', () => {
  it('holds exactly the generated numbers', () => {
    expect(valuesOf(reference)).toEqual(expectedValues(weeks));
    expect(reference.channels).toEqual(['google_ads', 'meta', 'tv']);
  });
});

interface ReadCase {
  label: string;
  shape: CsvShape;
  data?: Record<string, unknown>;
  note: RegExp;
}

const readCases: ReadCase[] = [
  {
    label: "';' delimiter, decimal comma, '.' thousands, '€' after with a space, DD.MM.YYYY",
    shape: {
      delimiter: ';',
      numbers: { decimal: ',', thousands: '.', currency: { symbol: '€', position: 'after-space' } },
      dates: 'DD.MM.YYYY',
    },
    note: /delimiter ';' \(detected\), decimal ',' \(detected\), dates DD\.MM\.YYYY \(detected\), weekly rows \(detected\)/,
  },
  { label: 'tab delimiter, plain numbers', shape: { ...PLAIN, delimiter: '\t' }, note: /delimiter tab \(detected\)/ },
  {
    label: "',' thousands in quoted fields, '$' before, US dates MM/DD/YYYY",
    shape: {
      delimiter: ',',
      numbers: { decimal: '.', thousands: ',', currency: { symbol: '$', position: 'before' } },
      dates: 'MM/DD/YYYY',
    },
    note: /decimal '\.' \(detected\), dates MM\/DD\/YYYY \(detected\)/,
  },
  {
    label: "US dates without leading zeros (M/D/YYYY), 'CA$ ' before",
    shape: {
      delimiter: ',',
      numbers: { decimal: '.', thousands: ',', currency: { symbol: 'CA$', position: 'before-space' } },
      dates: 'M/D/YYYY',
    },
    note: /dates MM\/DD\/YYYY/,
  },
  {
    label: 'decimal commas in quoted fields of a comma-delimited file, DD/MM/YYYY',
    shape: { delimiter: ',', numbers: { decimal: ',', thousands: '' }, dates: 'DD/MM/YYYY' },
    note: /delimiter ',' \(detected\), decimal ',' \(detected\), dates DD\/MM\/YYYY/,
  },
  {
    label: "';' delimiter, space thousands, decimal comma, '£' before",
    shape: {
      delimiter: ';',
      numbers: { decimal: ',', thousands: ' ', currency: { symbol: '£', position: 'before' } },
      dates: 'DD/MM/YYYY',
    },
    note: /decimal ','/,
  },
  {
    label: "ISO weeks (2024-W05), 'US$' before, ',' thousands",
    shape: {
      delimiter: ',',
      numbers: { decimal: '.', thousands: ',', currency: { symbol: 'US$', position: 'before' } },
      dates: 'YYYY-Www',
    },
    note: /dates YYYY-Www \(detected\)/,
  },
  {
    label: "'C$' after the amount (trailing currency)",
    shape: {
      delimiter: ',',
      numbers: { decimal: '.', thousands: ',', currency: { symbol: 'C$', position: 'after' } },
      dates: 'YYYY-MM-DD',
    },
    note: /dates YYYY-MM-DD \(detected\)/,
  },
  { label: "'|' delimiter", shape: { ...PLAIN, delimiter: '|' }, note: /delimiter '\|' \(detected\)/ },
  { label: 'UTF-8 byte-order mark and CRLF line ends', shape: { ...PLAIN, bom: true, crlf: true }, note: /delimiter ','/ },
  {
    label: "every field quoted, ';' delimiter, decimal comma, '€' before",
    shape: {
      delimiter: ';',
      quoteAll: true,
      numbers: { decimal: ',', thousands: '.', currency: { symbol: '€', position: 'before' } },
      dates: 'DD.MM.YYYY',
    },
    note: /decimal ','/,
  },
  {
    label: 'apostrophe thousands (Swiss), CRLF',
    shape: { delimiter: ';', crlf: true, numbers: { decimal: '.', thousands: "'" }, dates: 'DD.MM.YYYY' },
    note: /decimal '\.' \(detected\)/,
  },
  {
    label: 'the format stated in the config instead of detected',
    shape: { delimiter: ';', numbers: { decimal: ',', thousands: '.' }, dates: 'DD.MM.YYYY' },
    data: { csv: { delimiter: ';', decimal: ',' }, dateFormat: 'DD.MM.YYYY', frequency: 'weekly' },
    note: /delimiter ';' \(from the config\), decimal ',' \(from the config\), dates DD\.MM\.YYYY \(from the config\), weekly rows \(from the config\)/,
  },
];

describe('CSV shapes read to the plain ISO panel', () => {
  it.each(readCases)('$label', ({ shape, data, note }) => {
    const { panel, notes } = read(renderCsv(weeks, shape), data);
    expect(valuesOf(panel)).toEqual(valuesOf(reference));
    expect(notes.join('\n')).toMatch(note);
  });
});

describe('daily files are summed into ISO weeks', () => {
  it('full weeks of ISO-dated days: KPI, spend and media summed, controls averaged', () => {
    const days = marketerRows(7 * WEEKS, '2024-01-01', 1);
    const { panel, notes } = read(renderCsv(days, PLAIN));
    const weekly = weeklySums(days);
    expect(weekly).toHaveLength(WEEKS);
    expect(valuesOf(panel)).toEqual(valuesOf(read(renderCsv(weekly, PLAIN)).panel));
    expect(valuesOf(panel)).toEqual(expectedValues(weekly));
    expect(notes.join('\n')).toMatch(/daily rows \(detected\)/);
    expect(notes.join('\n')).toMatch(/210 daily rows summed into 30 weeks starting on mondays/);
  });

  it('US-dated days with thousands separators: partial first and last weeks dropped with a note', () => {
    // Wednesday 2024-01-03 to Tuesday 2024-08-06: 5 days before the first whole week, 2 after the last.
    const days = marketerRows(5 + 7 * WEEKS + 2, '2024-01-03', 1);
    const shape: CsvShape = {
      delimiter: ',',
      numbers: { decimal: '.', thousands: ',', currency: { symbol: '$', position: 'before' } },
      dates: 'MM/DD/YYYY',
    };
    const { panel, notes } = read(renderCsv(days, shape));
    const weekly = weeklySums(days);
    expect(weekly).toHaveLength(WEEKS);
    expect(panel.dates[0]).toBe('2024-01-08');
    expect(valuesOf(panel).dates).toEqual(expectedValues(weekly).dates);
    // The daily amounts were rounded to cents when written with separators; sums agree to float precision.
    const got = valuesOf(panel);
    const want = expectedValues(weekly);
    for (const key of ['kpi', 'spend', 'media', 'controls'] as const) {
      got[key].forEach((value, i) => expect(value).toBeCloseTo(want[key][i], 6));
    }
    expect(notes).toContain('export.csv: dropped the partial week starting 2024-01-01 (5 of 7 days, 2024-01-03 to 2024-01-07)');
    expect(notes).toContain('export.csv: dropped the partial week starting 2024-08-05 (2 of 7 days, 2024-08-05 to 2024-08-06)');
  });

  it('weeks start on the day data.weekStart names', () => {
    const days = marketerRows(7 * WEEKS + 1, '2024-01-01', 1);
    const { panel, notes } = read(renderCsv(days, PLAIN), { weekStart: 'sunday', frequency: 'daily' });
    expect(panel.dates[0]).toBe('2024-01-07');
    expect(panel.dates).toHaveLength(WEEKS - 1);
    expect(notes.join('\n')).toMatch(/starting on sundays/);
    expect(notes.join('\n')).toMatch(/dropped the partial week starting 2023-12-31 \(6 of 7 days/);
  });
});

interface RefusalCase {
  label: string;
  text: () => string;
  data?: Record<string, unknown>;
  issue: { column: string; row?: number; value?: string };
  message: RegExp[];
}

const euWeeks = (rows: MarketerRow[]) => renderCsv(rows, { ...PLAIN, dates: 'DD/MM/YYYY' });

const refusalCases: RefusalCase[] = [
  {
    label: 'dates that read both month-first and day-first (01/01/2024, 08/01/2024)',
    text: () => euWeeks(marketerRows(2)),
    issue: { column: COLUMNS.date, row: 3, value: '08/01/2024' },
    message: [/2024-08-01 as MM\/DD\/YYYY/, /2024-01-08 as DD\/MM\/YYYY/, /set data\.dateFormat to "MM\/DD\/YYYY" or "DD\/MM\/YYYY"/],
  },
  {
    label: 'numbers with both decimal separators',
    text: () => renderCsv(weeks, PLAIN).replace('12400', '"12400,5"'),
    issue: { column: COLUMNS.google, row: 2, value: '12400,5' },
    message: [/only with a decimal comma/, /only with a decimal point/, /set data\.csv\.decimal to "\." or ","/],
  },
  {
    label: 'a date column in no supported format',
    text: () =>
      renderCsv(weeks, PLAIN)
        .replace(/^2024-01-01/m, '"Jan 1, 2024"')
        .replace(/^\d{4}-\d{2}-\d{2}/gm, 'week'),
    issue: { column: COLUMNS.date, row: 2, value: 'Jan 1, 2024' },
    message: [/no supported date format reads/, /data\.dateFormat/],
  },
  {
    label: "an accounting negative '(1,234.50)' spend",
    text: () =>
      renderCsv(weeks, { delimiter: ',', numbers: { decimal: '.', thousands: ',' }, dates: 'YYYY-MM-DD' }).replace(
        '"8,150.50"',
        '"(1,234.50)"',
      ),
    issue: { column: COLUMNS.meta, row: 2, value: '(1,234.50)' },
    message: [/negative spend \(1,234\.50\)/],
  },
  {
    label: 'a daily file missing a day inside a week',
    text: () =>
      renderCsv(
        marketerRows(7 * WEEKS, '2024-01-01', 1).filter((day) => day.date !== '2024-02-07'),
        PLAIN,
      ),
    issue: { column: COLUMNS.date },
    message: [/the week starting 2024-02-05 has 6 of 7 days \(missing 2024-02-07\)/],
  },
];

describe('CSV shapes that cannot be read are refused once, with the fix', () => {
  it.each(refusalCases)('$label', ({ text, data, issue, message }) => {
    const error = refusal(text(), data);
    expect(error.issues).toHaveLength(1);
    expect(error.issues[0]).toMatchObject(issue);
    for (const pattern of message) expect(error.message).toMatch(pattern);
  });

  it('reads the ambiguous dates once data.dateFormat settles them (then counts the weeks)', () => {
    const error = refusal(euWeeks(marketerRows(2)), { dateFormat: 'DD/MM/YYYY' });
    expect(error.message).not.toMatch(/reads both/);
    expect(error.message).toMatch(/only 2 weekly periods/);
  });

  it('names a mistyped date of a US-dated file with the format the rest of the column uses', () => {
    const error = refusal(renderCsv(weeks, { ...PLAIN, dates: 'MM/DD/YYYY' }).replace('01/15/2024', '01/45/2024'));
    // Week 3 is on line 5: the two-line note of week 2 pushes it down by one.
    expect(error.issues[0]).toMatchObject({
      column: COLUMNS.date,
      row: 5,
      value: '01/45/2024',
      message: "unparseable date '01/45/2024' (expected MM/DD/YYYY, month first)",
    });
    // The week it should have been is then missing from the cadence, as for any unreadable date.
    expect(error.issues.slice(1)).toEqual([expect.objectContaining({ message: expect.stringMatching(/2024-01-22 is 14 days after/) })]);
  });

  it('refuses a daily file where a day is wrong, naming the day and its line', () => {
    const days = marketerRows(7 * WEEKS, '2024-01-01', 1);
    const text = renderCsv(days, PLAIN).replace(/^(2024-01-10,[^,]*,)[^,]*/m, '$1-5');
    const error = refusal(text);
    // Day 10 is on line 13: the two-line notes of days 2 and 6 push it down by two.
    expect(error.issues).toEqual([
      expect.objectContaining({ column: COLUMNS.google, row: 13, date: '2024-01-10', value: '-5', message: 'negative spend -5' }),
    ]);
  });
});

describe('daily geo files', () => {
  it('are summed into weeks per geo', () => {
    const geoRows = (geo: string, scale: number) =>
      marketerRows(7 * 20, '2024-01-01', 1).map((day) => ({
        ...day,
        values: day.values.map((value, i) => (i === column(COLUMNS.holidays) ? value : value * scale)),
        note: '',
      }));
    const perGeo = [
      ['North', geoRows('North', 1)],
      ['South', geoRows('South', 2)],
    ] as const;
    const [header, ...north] = renderCsv(perGeo[0][1], PLAIN).trimEnd().split('\n');
    const south = renderCsv(perGeo[1][1], PLAIN).trimEnd().split('\n').slice(1);
    const text = [`Region,${header}`, ...north.map((line) => `North,${line}`), ...south.map((line) => `South,${line}`)].join('\n');
    const { panel } = read(text, { geo: 'Region' });
    expect(panel.geos).toEqual(['North', 'South']);
    expect(panel.dates).toHaveLength(20);
    const T = panel.dates.length;
    const southWeeks = expectedValues(weeklySums(perGeo[1][1]));
    expect(Array.from(panel.kpi.subarray(T, 2 * T))).toEqual(southWeeks.kpi);
    expect(Array.from(panel.controls.subarray(2 * T, 4 * T))).toEqual(southWeeks.controls);
  });
});
