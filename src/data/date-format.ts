/**
 * How a date column is written, read into yyyy-mm-dd. Pure functions: the formats a user can name
 * in `data.dateFormat`, reading one cell with a format, and detecting the format of a whole column.
 */
import { DATE_FORMATS, type DateFormat } from '../config/csv-formats.ts';
import { addDays, dayNumber, normaliseDate, weekday } from './dates.ts';
import type { DataIssue } from './errors.ts';

/** A date cell with where it came from, for messages. */
export interface DateCell {
  row: number;
  text: string;
}

/** yyyy-mm-dd of a calendar day, or null when the day does not exist (2024-02-30). */
function calendarDay(year: number, month: number, day: number): string | null {
  const iso = `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
  return normaliseDate(iso) === iso ? iso : null;
}

/** Weeks in an ISO-8601 year (52 or 53): the distance between its week 1 and the next year's. */
const isoWeeksInYear = (year: number): number => (isoWeek1Monday(year + 1) - isoWeek1Monday(year)) / 7;

/** Day number of the Monday of ISO week 1: the week holding 4 January (ISO 8601). */
function isoWeek1Monday(year: number): number {
  const jan4 = `${year}-01-04`;
  return dayNumber(jan4) - weekday(jan4);
}

/** The Monday of ISO week `week` of `year`, or null when the year has no such week. */
export function isoWeekMonday(year: number, week: number): string | null {
  if (week < 1 || week > isoWeeksInYear(year)) return null;
  return addDays('1970-01-01', isoWeek1Monday(year) + (week - 1) * 7);
}

const DAY_MONTH_SLASH = /^(\d{1,2})[/-](\d{1,2})[/-](\d{4})$/;
const DAY_MONTH_DOT = /^(\d{1,2})\.(\d{1,2})\.(\d{4})$/;
const ISO_WEEK = /^(\d{4})-?W(\d{1,2})$/i;

interface FormatReader {
  read(text: string): string | null;
  /** What the format looks like, for the hint of a cell it cannot read. */
  description: string;
}

/** Reads `pattern`'s three numeric groups as (month, day, year) or (day, month, year) into an ISO date. */
const numericDate =
  (pattern: RegExp, order: 'month-first' | 'day-first') =>
  (text: string): string | null => {
    const m = pattern.exec(text);
    if (m === null) return null;
    const [first, second, year] = [Number(m[1]), Number(m[2]), Number(m[3])];
    return order === 'month-first' ? calendarDay(year, first, second) : calendarDay(year, second, first);
  };

const READERS: Record<DateFormat, FormatReader> = {
  'YYYY-MM-DD': { read: normaliseDate, description: 'yyyy-mm-dd, yyyy/mm/dd or an ISO date-time at midnight' },
  'MM/DD/YYYY': {
    read: numericDate(DAY_MONTH_SLASH, 'month-first'),
    description: 'MM/DD/YYYY, month first',
  },
  'DD/MM/YYYY': {
    read: numericDate(DAY_MONTH_SLASH, 'day-first'),
    description: 'DD/MM/YYYY, day first',
  },
  'DD.MM.YYYY': {
    read: numericDate(DAY_MONTH_DOT, 'day-first'),
    description: 'DD.MM.YYYY, day first',
  },
  'YYYY-Www': {
    read: (text) => {
      const m = ISO_WEEK.exec(text);
      return m === null ? null : isoWeekMonday(Number(m[1]), Number(m[2]));
    },
    description: 'an ISO week such as 2024-W05',
  },
};

/** The cell as yyyy-mm-dd under `format` (an ISO week as its Monday), or null when the format cannot read it. */
export function readDate(text: string, format: DateFormat): string | null {
  return READERS[format].read(text.trim());
}

/** What the format looks like ("MM/DD/YYYY, month first"), for the hint of a cell it cannot read. */
export function describeDateFormat(format: DateFormat): string {
  return READERS[format].description;
}

export type DateFormatDetection = { format: DateFormat } | { issue: DataIssue };

const quote = (format: DateFormat) => `"${format}"`;

/**
 * The one format that reads the most cells of a date column. Refuses once (one issue, naming a value
 * and `data.dateFormat`) when no format reads any cell, when month-first and day-first read every cell
 * alike well (01/02/2024 ...), or when they tie because the column mixes both.
 * Cells the chosen format cannot read are left for the validator to report row by row.
 */
export function detectDateFormat(cells: DateCell[], column: string): DateFormatDetection {
  const filled = cells.filter((cell) => cell.text.trim() !== '');
  if (filled.length === 0) return { format: 'YYYY-MM-DD' };
  const readCount = (format: DateFormat) => filled.filter((cell) => readDate(cell.text, format) !== null).length;
  const counts = DATE_FORMATS.map((format) => ({ format, count: readCount(format) }));
  const best = Math.max(...counts.map((c) => c.count));
  const tied = counts.filter((c) => c.count === best).map((c) => c.format);
  const first = filled[0];
  if (best === 0) {
    return {
      issue: {
        column,
        row: first.row,
        value: first.text,
        message:
          `no supported date format reads '${first.text}' or any other date of this column; ` +
          `write dates as ${DATE_FORMATS.map(quote).join(', ')} and set data.dateFormat to the one used`,
      },
    };
  }
  if (tied.length === 1) return { format: tied[0] };
  const [a, b] = tied;
  if (best === filled.length) {
    // Every cell reads both ways; the format only matters if some cell reads differently.
    const differing = filled.find((cell) => readDate(cell.text, a) !== readDate(cell.text, b));
    if (differing === undefined) return { format: a };
    return {
      issue: {
        column,
        row: differing.row,
        value: differing.text,
        message:
          `every date reads both as ${a} and as ${b}: '${differing.text}' is ${readDate(differing.text, a)} as ${a} ` +
          `but ${readDate(differing.text, b)} as ${b}; set data.dateFormat to ${quote(a)} or ${quote(b)}`,
      },
    };
  }
  const onlyA = filled.find((cell) => readDate(cell.text, a) !== null && readDate(cell.text, b) === null) as DateCell;
  const onlyB = filled.find((cell) => readDate(cell.text, b) !== null && readDate(cell.text, a) === null) as DateCell;
  return {
    issue: {
      column,
      row: onlyB.row,
      value: onlyB.text,
      message:
        `dates are written in two formats: row ${onlyA.row} '${onlyA.text}' reads only as ${a}, row ${onlyB.row} ` +
        `'${onlyB.text}' only as ${b}; write one format and set data.dateFormat to ${quote(a)} or ${quote(b)}`,
    },
  };
}
