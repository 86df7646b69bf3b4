/**
 * The ways of writing a wide CSV that a config can name (`data.csv.decimal`, `data.dateFormat`,
 * `data.frequency`, `data.weekStart`). Declared here, with the config they belong to, so that the
 * config stays below the readers in src/data/ that implement each one.
 */

/** The date formats `data.dateFormat` accepts, named as a user would write them (read in src/data/date-format.ts). */
export const DATE_FORMATS = ['YYYY-MM-DD', 'MM/DD/YYYY', 'DD/MM/YYYY', 'DD.MM.YYYY', 'YYYY-Www'] as const;
export type DateFormat = (typeof DATE_FORMATS)[number];

/** Decimal separators of numbers (read in src/data/number-format.ts). */
export const DECIMAL_SEPARATORS = ['.', ','] as const;
export type DecimalSeparator = (typeof DECIMAL_SEPARATORS)[number];

/** One row per week or per day (daily rows are summed into weeks by src/data/weekly-aggregation.ts). */
export const FREQUENCIES = ['weekly', 'daily'] as const;
export type Frequency = (typeof FREQUENCIES)[number];

/** Week start days for `data.weekStart`, Monday (ISO 8601) first. */
export const WEEKDAYS = ['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday'] as const;
export type Weekday = (typeof WEEKDAYS)[number];
