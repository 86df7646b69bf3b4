/**
 * One test per data check: each breaks a valid synthetic panel in one place and asserts that the
 * thrown DataValidationError names the column, the CSV line and the value.
 */
import { describe, expect, it } from 'vitest';
import type { MmmConfig } from '../../src/config/schema.ts';
import { DataValidationError } from '../../src/data/errors.ts';
import { panelFromCsv } from '../../src/data/load-fit-inputs.ts';
import { extractSpecFromConfig, panelFromMarts, type MartRows } from '../../src/warehouse/extract.ts';
import { geoConfig, MIN_WEEKS, nationalConfig, syntheticRows, toCsv, type CsvRow } from '../fixtures/data/synthetic-csv.ts';

/** CSV line of 0-based data row i. */
const line = (i: number) => i + 2;

function validationError(rows: CsvRow[], config: MmmConfig, header?: string[]): DataValidationError {
  try {
    panelFromCsv(toCsv(rows, header), config, 'input.csv');
  } catch (error) {
    if (error instanceof DataValidationError) return error;
    throw error;
  }
  throw new Error('expected a DataValidationError');
}

describe('panelFromCsv data checks', () => {
  it('accepts the unbroken synthetic panels', () => {
    expect(panelFromCsv(toCsv(syntheticRows(20)), nationalConfig, 'n.csv').dates).toHaveLength(20);
    expect(panelFromCsv(toCsv(syntheticRows(20, ['A', 'B'])), geoConfig, 'g.csv').geos).toEqual(['A', 'B']);
  });

  it('names every missing column and the config field that refers to it', () => {
    const rows = syntheticRows(20);
    const error = validationError(rows, nationalConfig, ['date', 'sales', 'tv', 'Promo']);
    expect(error.message).toBe(
      [
        'input.csv: 2 problems:',
        "  - column 'radio': column not found in the header (named by data.channels[1].spend)",
        "  - column 'promo': column not found in the header (named by data.controls[0]); did you mean 'Promo'?",
      ].join('\n'),
    );
  });

  it('reports a referenced column that the header holds twice', () => {
    const error = validationError(syntheticRows(20), nationalConfig, ['date', 'sales', 'tv', 'radio', 'promo', 'tv']);
    expect(error.message).toContain(
      "column 'tv': the header has this column 2 times (positions 3, 6); data.channels[0].spend is ambiguous",
    );
  });

  it('reports rows whose field count differs from the header', () => {
    const text = `${toCsv(syntheticRows(20))}2021-06-01,1,2\n`;
    expect(() => panelFromCsv(text, nationalConfig, 'input.csv')).toThrow('row 22: 3 fields, but the header has 7');
  });

  it('turns CSV syntax errors into a data error naming the line', () => {
    const text = `${toCsv(syntheticRows(20))}2021-06-01,"1,2,3,4,5,6\n`;
    expect(() => panelFromCsv(text, nationalConfig, 'input.csv')).toThrow(
      'input.csv: 1 problem:\n  - row 22: CSV syntax: quoted field is never closed',
    );
  });

  it.each([
    ['sales', 'abc', "not a finite number: 'abc'"],
    ['tv', '1,00,0', "not a finite number: '1,00,0'"],
    ['radio_imps', 'NaN', "not a finite number: 'NaN'"],
    ['promo', '', 'missing value'],
    ['population', 'Infinity', "not a finite number: 'Infinity'"],
    ['rpk', 'n/a', "not a finite number: 'n/a'"],
  ])('reports a non-numeric value in numeric column %s', (column, value, message) => {
    const rows = syntheticRows(20, ['A', 'B']);
    rows[23][column] = value;
    const error = validationError(rows, geoConfig);
    expect(error.issues).toEqual([{ column, row: line(23), geo: 'B', date: '2021-01-25', value, message }]);
    expect(error.message).toContain(`column '${column}', row 25 (geo 'B', date 2021-01-25): ${message}`);
  });

  it('reports negative spend and negative media units with their value', () => {
    const rows = syntheticRows(20, ['A', 'B']);
    rows[3].tv = '-3.2';
    rows[4].radio_imps = '-1e3';
    const error = validationError(rows, geoConfig);
    expect(error.message).toContain("column 'tv', row 5 (geo 'A', date 2021-01-25): negative spend -3.2");
    expect(error.message).toContain("column 'radio_imps', row 6 (geo 'A', date 2021-02-01): negative media units -1e3");
    expect(error.issues).toHaveLength(2);
  });

  it('names both rows of a duplicate (geo, date)', () => {
    const rows = syntheticRows(20, ['A', 'B']);
    rows.push({ ...rows[22], sales: '200' });
    const error = validationError(rows, geoConfig);
    expect(error.message).toBe(
      "input.csv: 1 problem:\n  - column 'date', row 42 (geo 'B', date 2021-01-18): " +
        "duplicate row for geo 'B' and date 2021-01-18: rows 24 and 42",
    );
  });

  it('requires national data to have one row per date, also when the dates are written differently', () => {
    const rows = syntheticRows(20);
    rows.push({ ...rows[5], date: rows[5].date.replaceAll('-', '/') });
    expect(validationError(rows, nationalConfig).message).toContain(
      "column 'date', row 22 (date 2021-02-08): duplicate date 2021-02-08: rows 7 and 22; national data needs one row per date",
    );
  });

  it('reports unparseable dates with their text', () => {
    const rows = syntheticRows(20);
    rows[2].date = '01/18/2021';
    rows[3].date = '2021-02-30';
    rows[4].date = '2021-02-01T12:00:00Z';
    const error = validationError(rows, nationalConfig);
    const expected = "unparseable date '01/18/2021' (expected yyyy-mm-dd, yyyy/mm/dd or an ISO date-time at midnight)";
    expect(error.message).toContain(`column 'date', row 4: ${expected}`);
    expect(error.issues.filter((issue) => issue.message.startsWith('unparseable date')).map((issue) => issue.value)).toEqual([
      '01/18/2021',
      '2021-02-30',
      '2021-02-01T12:00:00Z',
    ]);
  });

  it('names a date that breaks the weekly cadence and the gap before it', () => {
    const rows = syntheticRows(20);
    rows[5].date = '2021-02-09';
    const error = validationError(rows, nationalConfig);
    expect(error.message).toBe(
      [
        'input.csv: 2 problems:',
        "  - column 'date', row 7 (date 2021-02-09): 2021-02-09 is 8 days after the previous date 2021-02-01; weekly data needs exactly 7",
        "  - column 'date', row 8 (date 2021-02-15): 2021-02-15 is 6 days after the previous date 2021-02-09; weekly data needs exactly 7",
      ].join('\n'),
    );
  });

  it('reports a week missing from national data as a gap in the cadence', () => {
    const rows = syntheticRows(20);
    rows.splice(6, 1);
    expect(validationError(rows, nationalConfig).message).toContain(
      "column 'date', row 8 (date 2021-02-22): 2021-02-22 is 14 days after the previous date 2021-02-08",
    );
  });

  it('names the geo and the date of a week missing for one geo', () => {
    const rows = syntheticRows(20, ['A', 'B']);
    rows.splice(23, 1);
    expect(validationError(rows, geoConfig).message).toBe(
      "input.csv: 1 problem:\n  - column 'geo' (geo 'B', date 2021-01-25): " +
        "geo 'B' has no row for 1 of the 20 dates other geos have: 2021-01-25",
    );
  });

  it('reports geos with differing date sets', () => {
    const rows = [...syntheticRows(20, ['A']), ...syntheticRows(28, ['B']).slice(8)];
    const error = validationError(
      rows.map((row) => ({ ...row, population: '1000' })),
      geoConfig,
    );
    expect(error.message).toContain(
      "(geo 'A', date 2021-05-24): geo 'A' has no row for 8 of the 28 dates other geos have: " +
        '2021-05-24, 2021-05-31, 2021-06-07, 2021-06-14, 2021-06-21, ... (3 more)',
    );
    expect(error.message).toContain("(geo 'B', date 2021-01-04): geo 'B' has no row for 8 of the 28 dates");
  });

  it('names the KPI column when the KPI is constant', () => {
    const rows = syntheticRows(20).map((row) => ({ ...row, sales: '5' }));
    expect(validationError(rows, nationalConfig).message).toBe(
      "input.csv: 1 problem:\n  - column 'sales': the KPI is constant (every value is 5); there is no variation to explain",
    );
  });

  it('names the channel and column of a channel with zero total spend or media', () => {
    const rows = syntheticRows(20, ['A', 'B']).map((row) => ({ ...row, tv: '0', radio_imps: '0.0' }));
    const error = validationError(rows, geoConfig);
    expect(error.message).toContain("column 'tv': channel 'TV' has zero total spend");
    expect(error.message).toContain("column 'radio_imps': channel 'Radio' has zero total media units");
    expect(error.issues).toHaveLength(2);
  });

  it('names a constant control, which cannot be standardised', () => {
    const rows = syntheticRows(20).map((row) => ({ ...row, promo: '1' }));
    expect(validationError(rows, nationalConfig).message).toContain(
      "column 'promo': control 'promo' is constant (every value is 1); it cannot be standardised",
    );
  });

  it('says how many periods there are and how many 2 x maxLag + 10 needs', () => {
    expect(validationError(syntheticRows(MIN_WEEKS - 1), nationalConfig).message).toBe(
      "input.csv: 1 problem:\n  - column 'date': only 13 weekly periods; maxLag 2 needs at least 14 (2 x maxLag + 10)",
    );
    expect(panelFromCsv(toCsv(syntheticRows(MIN_WEEKS)), nationalConfig, 'n.csv').dates).toHaveLength(MIN_WEEKS);
  });

  it('reports a population that is not positive', () => {
    const rows = syntheticRows(20, ['A', 'B']).map((row) => (row.geo === 'B' ? { ...row, population: '-5' } : row));
    const error = validationError(rows, geoConfig);
    expect(error.issues).toHaveLength(20);
    expect(error.message).toContain("column 'population', row 22 (geo 'B', date 2021-01-04): population must be positive, got -5");
  });

  it('reports a population that varies within a geo, naming both rows', () => {
    const rows = syntheticRows(20, ['A', 'B']);
    rows[25].population = '2000.5';
    expect(validationError(rows, geoConfig).message).toBe(
      "input.csv: 1 problem:\n  - column 'population', row 27 " +
        "(geo 'B', date 2021-02-08): population varies within geo 'B': 2000 on row 22, 2000.5 on row 27",
    );
  });

  it('reports a revenue per KPI that is not positive', () => {
    const rows = syntheticRows(20, ['A', 'B']);
    rows[0].rpk = '0';
    expect(validationError(rows, geoConfig).message).toContain(
      "column 'rpk', row 2 (geo 'A', date 2021-01-04): revenue per KPI must be positive, got 0",
    );
  });

  it('reports a row without a geo', () => {
    const rows = syntheticRows(20, ['A', 'B']);
    rows[7].geo = '';
    const error = validationError(rows, geoConfig);
    expect(error.message).toContain("column 'geo', row 9 (geo '', date 2021-02-22): missing geo");
  });

  it('collects problems of every kind into one error and lists at most 20', () => {
    const rows = syntheticRows(30).map((row): CsvRow => ({ ...row, tv: '-1' }));
    rows[0].sales = 'x';
    const error = validationError(rows, nationalConfig);
    expect(error.issues).toHaveLength(31);
    expect(error.message.startsWith('input.csv: 31 problems:\n')).toBe(true);
    expect(error.message.split('\n')).toHaveLength(1 + 20 + 1);
    expect(error.message.endsWith('\n  ... and 11 more')).toBe(true);
  });
});

/** The long-form mart rows of synthetic geo rows (channels TV and Radio by spend, control promo, KPI sales). */
function martsOf(rows: CsvRow[]): MartRows {
  const geos = [...new Set(rows.map((r) => r.geo))];
  return {
    media: rows.flatMap((r) =>
      [
        ['TV', r.tv],
        ['Radio', r.radio],
      ].map(([channel, spend]) => ({
        geo: r.geo,
        week_start: r.date,
        channel,
        spend: Number(spend),
        media_units: null,
        media_unit: null,
      })),
    ),
    kpi: rows.map((r) => ({ geo: r.geo, week_start: r.date, kpi: 'sales', value: Number(r.sales), days_reported: 7, is_complete: true })),
    controls: rows.map((r) => ({ geo: r.geo, week_start: r.date, control: 'promo', value: Number(r.promo) })),
    geos: geos.map((geo) => ({ geo, population: Number(rows.find((r) => r.geo === geo)?.population), currency: 'USD' })),
    experiments: [],
  };
}

describe('a negative KPI', () => {
  const config: MmmConfig = {
    ...geoConfig,
    data: { ...geoConfig.data, kpiType: 'revenue', revenuePerKpi: null, channels: nationalConfig.data.channels },
  };

  it('is refused on the CSV path and on the warehouse path alike, naming the column, row and value', () => {
    const rows = syntheticRows(20, ['A', 'B']);
    rows[25].sales = '-40';
    const csv = validationError(rows, config);
    expect(csv.issues).toEqual([
      { column: 'sales', row: line(25), geo: 'B', date: '2021-02-08', value: '-40', message: 'negative KPI -40' },
    ]);

    let warehouse: unknown;
    try {
      panelFromMarts(martsOf(rows), extractSpecFromConfig(config));
    } catch (error) {
      warehouse = error;
    }
    expect(warehouse).toBeInstanceOf(DataValidationError);
    expect((warehouse as DataValidationError).issues).toEqual([
      { column: "mmm_input_kpi.value[kpi='sales']", row: 26, geo: 'B', date: '2021-02-08', value: '-40', message: 'negative KPI -40' },
    ]);
  });

  it('is the only defect of those panels (both paths accept them without it)', () => {
    const rows = syntheticRows(20, ['A', 'B']);
    expect(panelFromCsv(toCsv(rows), config, 'g.csv').geos).toEqual(['A', 'B']);
    expect(panelFromMarts(martsOf(rows), extractSpecFromConfig(config)).geos).toEqual(['A', 'B']);
  });
});
