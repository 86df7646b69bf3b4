import { describe, expect, it } from 'vitest';
import { detectDateFormat, isoWeekMonday, readDate } from '../../src/data/date-format.ts';

describe('readDate', () => {
  it.each([
    ['2024-01-05', 'YYYY-MM-DD', '2024-01-05'],
    ['2024/01/05', 'YYYY-MM-DD', '2024-01-05'],
    ['2024-01-05T00:00:00Z', 'YYYY-MM-DD', '2024-01-05'],
    ['01/05/2024', 'MM/DD/YYYY', '2024-01-05'],
    ['1/5/2024', 'MM/DD/YYYY', '2024-01-05'],
    ['12-31-2024', 'MM/DD/YYYY', '2024-12-31'],
    ['05/01/2024', 'DD/MM/YYYY', '2024-01-05'],
    ['31-12-2024', 'DD/MM/YYYY', '2024-12-31'],
    ['05.01.2024', 'DD.MM.YYYY', '2024-01-05'],
    ['5.1.2024', 'DD.MM.YYYY', '2024-01-05'],
    ['2024-W05', 'YYYY-Www', '2024-01-29'],
    ['2024W1', 'YYYY-Www', '2024-01-01'],
    ['2020-W53', 'YYYY-Www', '2020-12-28'],
    ['2021-W01', 'YYYY-Www', '2021-01-04'],
    ['2025-W01', 'YYYY-Www', '2024-12-30'],
    [' 2024-w10 ', 'YYYY-Www', '2024-03-04'],
  ] as const)('%s as %s is %s', (text, format, iso) => {
    expect(readDate(text, format)).toBe(iso);
  });

  it.each([
    ['2024-02-30', 'YYYY-MM-DD'],
    ['13/01/2024', 'MM/DD/YYYY'],
    ['01/13/2024', 'DD/MM/YYYY'],
    ['02/30/2024', 'MM/DD/YYYY'],
    ['05/01/2024', 'DD.MM.YYYY'],
    ['2024-W53', 'YYYY-Www'],
    ['2024-W00', 'YYYY-Www'],
    ['2024-01-05', 'MM/DD/YYYY'],
    ['', 'YYYY-MM-DD'],
  ] as const)('%s is not a date as %s', (text, format) => {
    expect(readDate(text, format)).toBeNull();
  });

  it('knows which ISO years have 53 weeks (1 January a Thursday, or a Wednesday in a leap year)', () => {
    expect([2015, 2020, 2026, 2032].map((year) => isoWeekMonday(year, 53) !== null)).toEqual([true, true, true, true]);
    expect([2019, 2021, 2024, 2025].map((year) => isoWeekMonday(year, 53))).toEqual([null, null, null, null]);
  });
});

describe('detectDateFormat', () => {
  const cells = (...texts: string[]) => texts.map((text, i) => ({ row: i + 2, text }));

  it.each([
    [['2024-01-01', '2024-01-08'], 'YYYY-MM-DD'],
    [['01/01/2024', '01/08/2024', '01/15/2024'], 'MM/DD/YYYY'],
    [['01/01/2024', '08/01/2024', '15/01/2024'], 'DD/MM/YYYY'],
    [['01.01.2024', '08.01.2024'], 'DD.MM.YYYY'],
    [['2024-W01', '2024-W02'], 'YYYY-Www'],
    [['01/01/2024', '02/02/2024'], 'MM/DD/YYYY'],
    [[], 'YYYY-MM-DD'],
  ] as const)('%j -> %s', (texts, format) => {
    expect(detectDateFormat(cells(...texts), 'Week')).toEqual({ format });
  });

  it('keeps the format most cells read; the others are left for the validator', () => {
    expect(detectDateFormat(cells('01/15/2024', '01/22/2024', '13/45/2024'), 'Week')).toEqual({ format: 'MM/DD/YYYY' });
  });

  it('refuses once when every date reads both month-first and day-first, with both readings and the key', () => {
    expect(detectDateFormat(cells('01/01/2024', '08/01/2024', '01/03/2024'), 'Week')).toEqual({
      issue: {
        column: 'Week',
        row: 3,
        value: '08/01/2024',
        message:
          "every date reads both as MM/DD/YYYY and as DD/MM/YYYY: '08/01/2024' is 2024-08-01 as MM/DD/YYYY but 2024-01-08 as DD/MM/YYYY; " +
          'set data.dateFormat to "MM/DD/YYYY" or "DD/MM/YYYY"',
      },
    });
  });

  it('refuses once when a column mixes month-first and day-first equally', () => {
    const detection = detectDateFormat(cells('01/13/2024', '13/01/2024'), 'Week');
    expect(detection).toEqual({
      issue: {
        column: 'Week',
        row: 3,
        value: '13/01/2024',
        message:
          "dates are written in two formats: row 2 '01/13/2024' reads only as MM/DD/YYYY, row 3 '13/01/2024' only as DD/MM/YYYY; " +
          'write one format and set data.dateFormat to "MM/DD/YYYY" or "DD/MM/YYYY"',
      },
    });
  });

  it('refuses once when no format reads any date', () => {
    const detection = detectDateFormat(cells('Jan 1, 2024', 'Jan 8, 2024'), 'Week');
    expect(detection).toMatchObject({ issue: { column: 'Week', row: 2, value: 'Jan 1, 2024' } });
    expect('issue' in detection && detection.issue.message).toMatch(
      /"YYYY-MM-DD", "MM\/DD\/YYYY", "DD\/MM\/YYYY", "DD\.MM\.YYYY", "YYYY-Www".*data\.dateFormat/,
    );
  });
});
