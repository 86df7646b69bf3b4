/**
 * Numbers as spreadsheets export them: a decimal point or comma, thousands separators, currency
 * symbols before or after the amount (with or without a space) and accounting negatives "(1,234.50)".
 * Pure functions: reading one cell under a decimal separator, and detecting the separator of a file.
 */
import { DECIMAL_SEPARATORS, type DecimalSeparator } from '../config/csv-formats.ts';
import type { DataIssue } from './errors.ts';

/** A numeric cell with where it came from, for messages. */
export interface NumberCell {
  column: string;
  row: number;
  text: string;
}

// Longest first so that "CA$" is not read as "CA" + "$".
const CURRENCY = String.raw`(?:US\$|CA\$|AU\$|NZ\$|HK\$|C\$|A\$|R\$|\$|€|£|¥|USD|EUR|GBP|CAD|AUD|CHF|JPY)`;
const LEADING_CURRENCY = new RegExp(`^${CURRENCY}\\s*`, 'i');
const TRAILING_CURRENCY = new RegExp(`\\s*${CURRENCY}$`, 'i');
/** Spaces a locale may group thousands with: space, no-break space, narrow no-break space, apostrophe (Swiss). */
const SPACE_GROUPS = " \u00a0\u202f'";

/** The unsigned amount of a cell with currency, sign and accounting parentheses taken off; null when it has none. */
function amountOf(text: string): { negative: boolean; body: string } | null {
  let rest = text.trim();
  const parenthesised = /^\((.*)\)$/.exec(rest);
  if (parenthesised !== null) rest = parenthesised[1].trim();
  let sign = '';
  const takeSign = () => {
    const match = /^([+\-\u2212])\s*/.exec(rest);
    if (match === null || sign !== '') return;
    sign = match[1];
    rest = rest.slice(match[0].length);
  };
  takeSign();
  rest = rest.replace(LEADING_CURRENCY, '');
  takeSign();
  rest = rest.replace(TRAILING_CURRENCY, '');
  if (rest === '' || (parenthesised !== null && sign !== '')) return null;
  return { negative: parenthesised !== null || sign === '-' || sign === '\u2212', body: rest };
}

/** Characters escaped for use inside a regular-expression character class. */
const inClass = (chars: string) => chars.replace(/[\\\]^-]/g, '\\$&');

/** The grammar of an unsigned amount under one decimal separator: plain digits with an exponent, or consistently grouped thousands. */
function amountPattern(decimal: DecimalSeparator): RegExp {
  const d = `[${inClass(decimal)}]`;
  const groups = inClass(`${decimal === '.' ? ',' : '.'}${SPACE_GROUPS}`);
  const plain = `(?:\\d+(?:${d}\\d*)?|${d}\\d+)(?:[eE][+-]?\\d+)?`;
  const grouped = `\\d{1,3}([${groups}])\\d{3}(?:\\1\\d{3})*(?:${d}\\d*)?`;
  return new RegExp(`^(?:${plain}|${grouped})$`);
}

const PATTERNS: Record<DecimalSeparator, RegExp> = { '.': amountPattern('.'), ',': amountPattern(',') };

/** The number a cell holds under `decimal`, NaN when it is not a number (empty, text, NaN, Infinity, hex, bad grouping). */
export function parseNumber(text: string, decimal: DecimalSeparator): number {
  const amount = amountOf(text);
  if (amount === null || !PATTERNS[decimal].test(amount.body)) return Number.NaN;
  const plain = amount.body.replace(decimal === '.' ? /[^\d.eE+-]/g : /[^\d,eE+-]/g, '').replace(',', '.');
  const value = Number(plain);
  return amount.negative ? -value : value;
}

/** The only decimal separator that can read the cell ('1.5', '1,234.5', '1.234.567'), or null when both or neither can ('1,234', '12'). */
export function decimalEvidence(text: string): DecimalSeparator | null {
  const readable = DECIMAL_SEPARATORS.filter((decimal) => !Number.isNaN(parseNumber(text, decimal)));
  return readable.length === 1 ? readable[0] : null;
}

export type DecimalDetection = { decimal: DecimalSeparator } | { issue: DataIssue };

/**
 * The decimal separator of a file's numbers: the one some cell can only be read with, else `fallback`
 * (a comma for ';'-delimited files, the convention of locales that write decimal commas). Refuses once,
 * naming a cell of each kind and `data.csv.decimal`, when cells need both.
 */
export function detectDecimal(cells: NumberCell[], fallback: DecimalSeparator): DecimalDetection {
  const witness = (decimal: DecimalSeparator) => cells.find((cell) => decimalEvidence(cell.text) === decimal);
  const point = witness('.');
  const comma = witness(',');
  if (point !== undefined && comma !== undefined) {
    return {
      issue: {
        column: comma.column,
        row: comma.row,
        value: comma.text,
        message:
          `numbers are written with both decimal separators: '${point.text}' (column '${point.column}', row ${point.row}) ` +
          `reads only with a decimal point, '${comma.text}' only with a decimal comma; set data.csv.decimal to "." or ","`,
      },
    };
  }
  if (point !== undefined) return { decimal: '.' };
  if (comma !== undefined) return { decimal: ',' };
  return { decimal: fallback };
}
