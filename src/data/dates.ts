/**
 * Calendar dates of weekly data. Dates are plain calendar days (no time zone); they are handled as
 * whole days since 1970-01-01 so that week arithmetic never meets daylight-saving shifts.
 */

const MS_PER_DAY = 86_400_000;

// yyyy-mm-dd or yyyy/mm/dd, optionally followed by an ISO time of exactly midnight in any zone; the calendar day is the date part.
const DATE_PATTERN = /^(\d{4})([-/])(\d{2})\2(\d{2})(?:[T ]00:00(?::00(?:\.0+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?$/;

/**
 * Normalises a date cell to yyyy-mm-dd. Accepts yyyy-mm-dd, yyyy/mm/dd and ISO date-times at
 * midnight; returns null for anything else, including impossible days such as 2021-02-30.
 */
export function normaliseDate(text: string): string | null {
  const match = DATE_PATTERN.exec(text.trim());
  if (match === null) return null;
  const [, year, , month, day] = match;
  const iso = `${year}-${month}-${day}`;
  const parsed = new Date(`${iso}T00:00:00Z`);
  // Date rolls 2021-02-30 over to March; comparing back rejects days that do not exist.
  if (Number.isNaN(parsed.getTime()) || parsed.toISOString().slice(0, 10) !== iso) return null;
  return iso;
}

/** Whole days since 1970-01-01 of a normalised yyyy-mm-dd date. */
export function dayNumber(isoDate: string): number {
  return Date.parse(`${isoDate}T00:00:00Z`) / MS_PER_DAY;
}

/** The yyyy-mm-dd date `days` days after a normalised date. */
export function addDays(isoDate: string, days: number): string {
  return new Date((dayNumber(isoDate) + days) * MS_PER_DAY).toISOString().slice(0, 10);
}

/** Day of week of a normalised date, 0 = Monday ... 6 = Sunday (1970-01-01 was a Thursday). */
export const weekday = (isoDate: string): number => (((dayNumber(isoDate) + 3) % 7) + 7) % 7;
