/**
 * What every source of data hands the panel assembler (assemble-panel.ts) and the validator
 * (validate-panel.ts): source-neutral observations, one geo-week each, and the spec that names their
 * columns. The CSV reader and the warehouse extract both produce them.
 */
import type { DateFormat } from '../config/csv-formats.ts';
import type { Panel } from './panel.ts';

/** The geo name of national (single-geo) data. */
export const NATIONAL_GEO = 'national';

/** One geo-week as read from a source; numbers that could not be read are NaN. */
export interface Observation {
  /** Geo name; NATIONAL_GEO for national data. */
  geo: string;
  /** The date as written in the source; normalised to yyyy-mm-dd by the assembler. */
  date: string;
  /** 1-based CSV line or table row, for error messages. */
  row: number;
  kpi: number;
  /** Spend per channel, in the order of PanelSpec.channels. */
  spend: number[];
  /** Media units per channel; the spend value for channels without a media column. */
  media: number[];
  /** Control values, in the order of PanelSpec.controlNames. */
  controls: number[];
  /** 1 when the source has no population column. */
  population: number;
  /** Null when the source has no revenue-per-KPI column. */
  revenuePerKpi: number | null;
}

/** Source column behind each panel field, so that messages name what the user can find in their data. */
export interface PanelColumns {
  date: string;
  /** Null for national data. */
  geo: string | null;
  kpi: string;
  spend: string[];
  /** Per channel; null where the channel is modelled on spend. */
  media: (string | null)[];
  controls: string[];
  population: string | null;
  revenuePerKpi: string | null;
}

export interface PanelSpec {
  /** Names the data in error messages (a file path or a table name). */
  source: string;
  channels: string[];
  controlNames: string[];
  kpiType: Panel['kpiType'];
  /** The adstock window; the data must span at least 2 x maxLag + 10 weeks. */
  maxLag: number;
  columns: PanelColumns;
  /** The source text of a cell, so that messages quote what the user wrote rather than NaN. */
  cellText?: (row: number, column: string) => string | undefined;
  /** How the source writes dates, for the hint of an unreadable one (default YYYY-MM-DD). */
  dateFormat?: DateFormat;
}
