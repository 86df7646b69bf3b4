/**
 * A starting config guessed from a CSV's header and values, for `mmm init`: the date column, the KPI,
 * spend/media pairs by name ("TV GRPs" + "TV Cost" -> channel tv), the rest as controls, and how the
 * file is written. Pure: a parsed table in, the config and the reason for every guess out.
 */
import { DATE_FORMATS, DECIMAL_SEPARATORS } from '../config/csv-formats.ts';
import { modelSchema, type MmmConfigInput } from '../config/schema.ts';
import type { CsvTable } from './csv.ts';
import { resolveCsvFormat, type CsvFormat, type CsvFormatResolution } from './csv-format.ts';
import { readDate } from './date-format.ts';
import { minimumPeriods } from './validate-panel.ts';
import type { DataIssue } from './errors.ts';
import { parseNumber } from './number-format.ts';

/** One guess and why it was made, as `mmm init` prints it. */
export interface Guess {
  role: 'date' | 'geo' | 'population' | 'kpi' | 'revenue per KPI' | 'channel' | 'control' | 'model' | 'left out';
  subject: string;
  why: string;
}

export type GuessedConfig =
  { config: MmmConfigInput; format: CsvFormat; detected: (keyof CsvFormat)[]; guesses: Guess[] } | { refusal: DataIssue[] };

/** Lower-case words of a column name: "Google Ads Spend" -> google, ads, spend. */
const wordsOf = (name: string) =>
  name
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter((word) => word.length > 0);

/** Words that mark a spend column and the media-unit column of a channel. */
const SPEND_WORDS = new Set(['spend', 'spent', 'cost', 'costs', 'budget', 'investment', 'expense', 'expenses']);
const MEDIA_WORDS = new Set([
  'impressions',
  'impression',
  'imps',
  'impr',
  'grp',
  'grps',
  'trp',
  'trps',
  'clicks',
  'views',
  'reach',
  'insertions',
  'spots',
]);
/** KPI words, most likely first: a file with revenue and orders is about revenue. */
const REVENUE_KPI_WORDS = ['revenue', 'revenues', 'sales', 'gmv', 'turnover', 'income'];
const UNIT_KPI_WORDS = ['conversions', 'orders', 'transactions', 'purchases', 'signups', 'leads', 'installs', 'bookings', 'units', 'kpi'];
const DATE_WORDS = new Set(['date', 'week', 'day', 'period', 'time', 'month', 'wk']);
const GEO_WORDS = new Set(['geo', 'region', 'dma', 'market', 'country', 'state', 'city', 'area', 'territory', 'location', 'province']);
const POPULATION_WORDS = new Set(['population', 'pop']);
/** Words of columns that mention a KPI word but are not the KPI ("competitor_sales_control"). */
const NOT_KPI_WORDS = new Set(['control', 'competitor', 'competitors', 'index', 'forecast', 'target', 'baseline', 'lag', 'lagged']);
/** A ratio ("revenue_per_conversion") is not an outcome to sum; with a revenue word it prices a unit KPI. */
const RATIO_WORDS = new Set(['per', 'avg', 'average', 'ratio', 'rate']);

const hasWord = (name: string, words: Set<string>) => wordsOf(name).some((word) => words.has(word));

/** The channel a spend or media column belongs to: its name without the spend/media words, as an identifier. */
const channelStem = (name: string) =>
  wordsOf(name)
    .filter((word) => !SPEND_WORDS.has(word) && !MEDIA_WORDS.has(word))
    .join('_');

interface ColumnValues {
  name: string;
  cells: string[];
}

const filledCells = (column: ColumnValues) => column.cells.filter((cell) => cell.trim() !== '');

/** Every filled cell reads as a date under one format. */
const isDateColumn = (column: ColumnValues) => {
  const cells = filledCells(column);
  return cells.length > 0 && DATE_FORMATS.some((format) => cells.every((cell) => readDate(cell, format) !== null));
};

/** Every filled cell reads as a number under one decimal separator. */
const isNumericColumn = (column: ColumnValues) => {
  const cells = filledCells(column);
  return cells.length > 0 && DECIMAL_SEPARATORS.some((decimal) => cells.every((cell) => !Number.isNaN(parseNumber(cell, decimal))));
};

/** The KPI: the column `kpiFlag` names, else the numeric column named most like one (revenue words first, then unit words). */
function pickKpi(numeric: string[], kpiFlag: string | undefined): { kpi: string; kpiType: 'revenue' | 'non_revenue'; why: string } | null {
  if (kpiFlag !== undefined) {
    const revenue = wordsOf(kpiFlag).some((word) => REVENUE_KPI_WORDS.includes(word));
    return {
      kpi: kpiFlag,
      kpiType: revenue ? 'revenue' : 'non_revenue',
      why: `named by --kpi; ${revenue ? 'revenue' : 'non_revenue (set data.kpiType to "revenue" if it is money)'} by its name`,
    };
  }
  const ranked = [...REVENUE_KPI_WORDS, ...UNIT_KPI_WORDS];
  const candidates = numeric
    .filter((name) => ![SPEND_WORDS, MEDIA_WORDS, RATIO_WORDS, NOT_KPI_WORDS].some((words) => hasWord(name, words)))
    .flatMap((name) => {
      const words = wordsOf(name);
      const word = ranked.find((kpiWord) => words.includes(kpiWord));
      // A name made of KPI words only ("Sales", "conversions") beats one that merely holds one ("store sales").
      return word === undefined
        ? []
        : [{ name, word, rank: ranked.indexOf(word) + (words.every((w) => ranked.includes(w)) ? 0 : ranked.length) }];
    })
    .sort((a, b) => a.rank - b.rank);
  if (candidates.length > 0) {
    const { name, word } = candidates[0];
    const kpiType = REVENUE_KPI_WORDS.includes(word) ? 'revenue' : 'non_revenue';
    return {
      kpi: name,
      kpiType,
      why: `the name says '${word}'; ${kpiType === 'revenue' ? 'revenue (money)' : 'non_revenue (units, not money)'}`,
    };
  }
  return null;
}

const isConstant = (column: ColumnValues, decimal: CsvFormat['decimal']) => {
  const values = filledCells(column).map((cell) => parseNumber(cell, decimal));
  return values.every((value) => value === values[0]);
};

/**
 * Guesses a config for `table`. `kpiFlag` names the KPI column when its name says nothing.
 * Refuses (a message naming the fix) when no column holds dates, no column looks like the KPI, no
 * column is spend, or the file's format cannot be settled (see csv-format.ts).
 */
export function guessConfig(table: CsvTable, kpiFlag?: string): GuessedConfig {
  const columns: ColumnValues[] = table.header.map((name, i) => ({ name, cells: table.rows.map((record) => record.cells[i] ?? '') }));
  const guesses: Guess[] = [];
  const dateColumns = columns.filter(isDateColumn);
  const date = dateColumns.find((column) => hasWord(column.name, DATE_WORDS)) ?? dateColumns[0];
  if (date === undefined) {
    return {
      refusal: [
        {
          message:
            `no column holds dates in one of the formats ${DATE_FORMATS.join(', ')}; ` +
            `the columns are ${table.header.map((name) => `'${name}'`).join(', ')}`,
        },
      ],
    };
  }
  if (kpiFlag !== undefined && !table.header.includes(kpiFlag)) {
    return { refusal: [{ column: kpiFlag, message: 'named by --kpi, but not a column of the header' }] };
  }

  const others = columns.filter((column) => column !== date && column.name.trim() !== '');
  const numeric = others.filter(isNumericColumn);
  const resolution: CsvFormatResolution = resolveCsvFormat(
    table,
    { date: date.name, numeric: numeric.map((column) => column.name) },
    {},
    false,
  );
  if ('issues' in resolution) return { refusal: resolution.issues };
  const { format, detected } = resolution;
  guesses.push({ role: 'date', subject: `'${date.name}'`, why: `every value reads as ${format.dateFormat}; ${format.frequency} rows` });

  const text = others.filter((column) => !numeric.includes(column));
  const geo = text.find((column) => hasWord(column.name, GEO_WORDS));
  if (geo !== undefined) guesses.push({ role: 'geo', subject: `'${geo.name}'`, why: 'text column named like a region' });
  const population = geo === undefined ? undefined : numeric.find((column) => hasWord(column.name, POPULATION_WORDS));
  if (population !== undefined) guesses.push({ role: 'population', subject: `'${population.name}'`, why: 'named population' });

  const usable = numeric.filter((column) => column !== population);
  const kpi = pickKpi(
    usable.map((column) => column.name),
    kpiFlag,
  );
  if (kpi === null) {
    return {
      refusal: [
        {
          message:
            `no column looks like the KPI (a name with ${[...REVENUE_KPI_WORDS, ...UNIT_KPI_WORDS].join(', ')}); ` +
            'name it with --kpi COLUMN',
        },
      ],
    };
  }
  guesses.push({ role: 'kpi', subject: `'${kpi.kpi}'`, why: kpi.why });

  const revenuePerKpi =
    kpi.kpiType === 'non_revenue'
      ? usable.find((column) => hasWord(column.name, RATIO_WORDS) && wordsOf(column.name).some((word) => REVENUE_KPI_WORDS.includes(word)))
      : undefined;
  if (revenuePerKpi !== undefined) {
    guesses.push({
      role: 'revenue per KPI',
      subject: `'${revenuePerKpi.name}'`,
      why: 'revenue per unit of the KPI, by its name; outcomes are reported in revenue',
    });
  }
  const rest = usable.filter((column) => column.name !== kpi.kpi && column !== revenuePerKpi);
  const spend = rest.filter((column) => hasWord(column.name, SPEND_WORDS));
  const media = rest.filter((column) => hasWord(column.name, MEDIA_WORDS) && !spend.includes(column));
  const channels: { name: string; spend: string; media: string | null }[] = [];
  for (const column of spend) {
    if (isConstant(column, format.decimal)) {
      guesses.push({ role: 'left out', subject: `'${column.name}'`, why: 'spend that never changes; a channel needs varying spend' });
      continue;
    }
    const stem = channelStem(column.name) || wordsOf(column.name).join('_');
    const pair = media.find((candidate) => channelStem(candidate.name) === stem);
    channels.push({ name: stem, spend: column.name, media: pair?.name ?? null });
    guesses.push({
      role: 'channel',
      subject: stem,
      why:
        pair === undefined
          ? `spend '${column.name}'; the response is modelled on spend`
          : `spend '${column.name}', media '${pair.name}' (same name without the spend/media words)`,
    });
  }
  if (channels.length === 0) {
    return {
      refusal: [
        {
          message:
            `no column looks like media spend (a name with ${[...SPEND_WORDS].join(', ')}); ` + "rename the spend columns, e.g. 'TV Spend'",
        },
      ],
    };
  }
  const paired = new Set(channels.map((channel) => channel.media));
  const controls: string[] = [];
  for (const column of rest.filter((candidate) => !spend.includes(candidate))) {
    if (media.includes(column) && !paired.has(column.name)) {
      guesses.push({
        role: 'left out',
        subject: `'${column.name}'`,
        why: `media units without a spend column named like it ('${channelStem(column.name)} spend')`,
      });
    } else if (paired.has(column.name)) {
      continue;
    } else if (isConstant(column, format.decimal)) {
      guesses.push({ role: 'left out', subject: `'${column.name}'`, why: 'constant, so it cannot be a control' });
    } else {
      controls.push(column.name);
      guesses.push({ role: 'control', subject: `'${column.name}'`, why: 'numeric, and not the KPI, spend or media' });
    }
  }
  for (const column of text.filter((candidate) => candidate !== geo)) {
    guesses.push({ role: 'left out', subject: `'${column.name}'`, why: 'not numeric' });
  }

  const config: MmmConfigInput = {
    data: {
      date: date.name,
      geo: geo?.name ?? null,
      population: population?.name ?? null,
      kpi: kpi.kpi,
      kpiType: kpi.kpiType,
      revenuePerKpi: revenuePerKpi?.name ?? null,
      channels,
      controls,
      csv: { delimiter: format.delimiter, decimal: format.decimal },
      dateFormat: format.dateFormat,
      frequency: format.frequency,
    },
  };
  const weeks = weekCount(date, format);
  const defaultLag = modelSchema.parse({}).maxLag;
  if (weeks < minimumPeriods(defaultLag)) {
    // The longest adstock window these weeks identify (weeks >= 2 x maxLag + 10).
    const maxLag = Math.max(0, Math.floor((weeks - 10) / 2));
    config.model = { maxLag };
    guesses.push({
      role: 'model',
      subject: `maxLag ${maxLag}`,
      why: `only ${weeks} weeks; the default adstock window ${defaultLag} needs ${minimumPeriods(defaultLag)}`,
    });
  }
  return { config, format, detected, guesses };
}

/** Weeks of data: distinct dates, or whole weeks of distinct days for daily data. */
function weekCount(date: ColumnValues, format: CsvFormat): number {
  const dates = new Set(filledCells(date).map((cell) => readDate(cell, format.dateFormat)));
  return format.frequency === 'daily' ? Math.floor(dates.size / 7) : dates.size;
}
