/**
 * A marketer-style export (Week, Sales, "Google Ads Spend", "Meta Spend", "TV GRPs", "TV Cost", a price
 * index, holidays, free-text notes) rendered in the shapes spreadsheets and ad platforms write:
 * delimiters, decimal commas, thousands separators, currency symbols, date formats, BOM, CRLF, quoting.
 * Values are whole cents so that every rendering reads back to the same double.
 */
import { addDays } from '../../../src/data/dates.ts';

export const COLUMNS = {
  date: 'Week',
  kpi: 'Sales',
  google: 'Google Ads Spend',
  meta: 'Meta Spend',
  tvGrps: 'TV GRPs',
  tvCost: 'TV Cost',
  price: 'Price Index',
  holidays: 'Holidays, public',
  notes: 'Notes',
} as const;

export const NUMERIC_COLUMNS = [
  COLUMNS.kpi,
  COLUMNS.google,
  COLUMNS.meta,
  COLUMNS.tvGrps,
  COLUMNS.tvCost,
  COLUMNS.price,
  COLUMNS.holidays,
] as const;

/** One row: an ISO date and the numbers of NUMERIC_COLUMNS, plus a note that may hold delimiters and line breaks. */
export interface MarketerRow {
  date: string;
  values: number[];
  note: string;
}

/** The data section `mmm init` guesses for the export's columns (how the file is written comes on top). */
export const GUESSED_MARKETER_COLUMNS = {
  date: 'Week',
  geo: null,
  population: null,
  kpi: 'Sales',
  kpiType: 'revenue',
  revenuePerKpi: null,
  channels: [
    { name: 'google_ads', spend: 'Google Ads Spend', media: null },
    { name: 'meta', spend: 'Meta Spend', media: null },
    { name: 'tv', spend: 'TV Cost', media: 'TV GRPs' },
  ],
  controls: ['Price Index', 'Holidays, public'],
} as const;

/** The config of the export (a national model with a short adstock window so that 30 weeks suffice). */
export const marketerConfig = (data: Record<string, unknown> = {}) => ({
  data: {
    date: COLUMNS.date,
    kpi: COLUMNS.kpi,
    channels: [
      { name: 'google_ads', spend: COLUMNS.google },
      { name: 'meta', spend: COLUMNS.meta },
      { name: 'tv', spend: COLUMNS.tvCost, media: COLUMNS.tvGrps },
    ],
    controls: [COLUMNS.price, COLUMNS.holidays],
    ...data,
  },
  model: { maxLag: 2 },
  sampler: { chains: 1, warmup: 20, draws: 20 },
});

const cents = (value: number) => Math.round(value * 100) / 100;

/**
 * `count` periods from `start`, `stepDays` apart, with a trend and a wobble so that nothing is constant.
 * Amounts run into the thousands so that thousands separators show.
 */
export function marketerRows(count: number, start = '2024-01-01', stepDays = 7): MarketerRow[] {
  return Array.from({ length: count }, (_, t): MarketerRow => {
    const wave = Math.sin(t / 3);
    return {
      date: addDays(start, t * stepDays),
      values: [
        cents(152_000 + 900 * t + 7_300 * wave),
        cents(12_400 + 310 * ((t * 7) % 11)),
        cents(8_150.5 + 205 * ((t * 5) % 13)),
        cents(40 + 3 * ((t * 3) % 7)),
        cents(21_000 + 1_250 * ((t * 3) % 7)),
        cents(0.97 + 0.01 * (t % 5)),
        t % 9 === 0 ? 1 : 0,
      ],
      note: t % 4 === 1 ? 'promo week, see "plan"\nsecond line' : t % 4 === 2 ? 'store A; store B, closed' : '',
    };
  });
}

export type DateStyle = 'YYYY-MM-DD' | 'MM/DD/YYYY' | 'DD/MM/YYYY' | 'DD.MM.YYYY' | 'M/D/YYYY' | 'YYYY-Www';

/** An ISO date as the style writes it (ISO weeks of Mondays). */
export function writeDate(iso: string, style: DateStyle): string {
  const [y, m, d] = iso.split('-');
  switch (style) {
    case 'YYYY-MM-DD':
      return iso;
    case 'MM/DD/YYYY':
      return `${m}/${d}/${y}`;
    case 'DD/MM/YYYY':
      return `${d}/${m}/${y}`;
    case 'DD.MM.YYYY':
      return `${d}.${m}.${y}`;
    case 'M/D/YYYY':
      return `${Number(m)}/${Number(d)}/${y}`;
    case 'YYYY-Www': {
      // ISO 8601: the week's Thursday decides the year; week 1 holds 4 January.
      const thursday = addDays(iso, 3);
      const year = Number(thursday.slice(0, 4));
      const week = Math.floor((Date.parse(thursday) - Date.parse(`${year}-01-01`)) / 86_400_000 / 7) + 1;
      return `${year}-W${String(week).padStart(2, '0')}`;
    }
  }
}

export interface NumberStyle {
  decimal: '.' | ',';
  /** Thousands separator, '' for none. */
  thousands: string;
  /** Currency per numeric column index (spend columns), written before ('$1') or after ('1 €'). */
  currency?: { symbol: string; position: 'before' | 'after' | 'before-space' | 'after-space' };
}

/** An amount with two decimals as the style writes it; plain amounts (no grouping, no currency, a decimal point) in full precision. */
export function writeAmount(value: number, style: NumberStyle, withCurrency: boolean): string {
  if (style.decimal === '.' && style.thousands === '' && (!withCurrency || style.currency === undefined)) return String(value);
  const [whole, fraction] = Math.abs(value).toFixed(2).split('.');
  const grouped = style.thousands === '' ? whole : whole.replace(/\B(?=(\d{3})+(?!\d))/g, style.thousands);
  const amount = `${value < 0 ? '-' : ''}${grouped}${style.decimal}${fraction}`;
  if (!withCurrency || style.currency === undefined) return amount;
  const { symbol, position } = style.currency;
  return {
    before: `${symbol}${amount}`,
    'before-space': `${symbol} ${amount}`,
    after: `${amount}${symbol}`,
    'after-space': `${amount} ${symbol}`,
  }[position];
}

export interface CsvShape {
  delimiter: string;
  numbers: NumberStyle;
  dates: DateStyle;
  bom?: boolean;
  crlf?: boolean;
  /** Quote every field, not only those that need it. */
  quoteAll?: boolean;
}

export const PLAIN: CsvShape = { delimiter: ',', numbers: { decimal: '.', thousands: '' }, dates: 'YYYY-MM-DD' };

/** Spend columns carry the currency symbol; GRPs, the price index and holidays do not. */
const SPEND_COLUMNS = new Set<string>([COLUMNS.kpi, COLUMNS.google, COLUMNS.meta, COLUMNS.tvCost]);

/** The rows as a CSV file of the given shape; cells are quoted when they hold the delimiter, a quote or a line break. */
export function renderCsv(rows: MarketerRow[], shape: CsvShape): string {
  const quote = (text: string) =>
    shape.quoteAll || text.includes(shape.delimiter) || /["\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
  const header = [COLUMNS.date, ...NUMERIC_COLUMNS, COLUMNS.notes];
  const body = rows.map((row) => [
    writeDate(row.date, shape.dates),
    ...row.values.map((value, i) =>
      Number.isInteger(value) && !SPEND_COLUMNS.has(NUMERIC_COLUMNS[i])
        ? String(value)
        : writeAmount(value, shape.numbers, SPEND_COLUMNS.has(NUMERIC_COLUMNS[i])),
    ),
    row.note,
  ]);
  const eol = shape.crlf ? '\r\n' : '\n';
  const text = [header, ...body].map((cells) => cells.map(quote).join(shape.delimiter)).join(eol) + eol;
  return shape.bom ? `\uFEFF${text}` : text;
}

/** Daily rows summed into Monday weeks the way the product documents it: sums, and the mean of the controls. */
export function weeklySums(days: MarketerRow[]): MarketerRow[] {
  const weeks = new Map<string, MarketerRow[]>();
  for (const day of days) {
    const monday = addDays(day.date, -((new Date(`${day.date}T00:00:00Z`).getUTCDay() + 6) % 7));
    weeks.set(monday, [...(weeks.get(monday) ?? []), day]);
  }
  const averaged = new Set<string>([COLUMNS.price, COLUMNS.holidays]);
  return [...weeks.entries()]
    .filter(([, inWeek]) => inWeek.length === 7)
    .map(([date, inWeek]) => ({
      date,
      values: NUMERIC_COLUMNS.map((column, i) => {
        const total = inWeek.reduce((sum, day) => sum + day.values[i], 0);
        return averaged.has(column) ? total / 7 : total;
      }),
      note: '',
    }));
}
