/**
 * The FX table the warehouse converts currencies with (dbt seed `fx_rates`): monthly rates in US
 * dollars per unit of currency. The generator reads the same file so that raw amounts and the
 * truth it records agree with what dbt computes.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseCsv } from '../data/csv.ts';
import { RATE_SCALE } from './money.ts';
import { PROJECT_ROOT } from '../io/runtime-location.ts';

export const FX_SEED_PATH = join(PROJECT_ROOT, 'dbt', 'seeds', 'fx_rates.csv');

export class FxRateMissingError extends Error {
  constructor(
    readonly currency: string,
    readonly month: string,
  ) {
    super(`fx_rates has no rate for currency '${currency}' in month ${month}`);
    this.name = 'FxRateMissingError';
  }
}

export interface FxRates {
  /** USD per unit of `currency` on `isoDate` (the rate of its month), in micro-units. */
  rateMicros(currency: string, isoDate: string): number;
}

export function loadFxRates(path: string = FX_SEED_PATH): FxRates {
  const table = parseCsv(readFileSync(path, 'utf8'), path);
  const column = (name: string): number => {
    const index = table.header.indexOf(name);
    if (index < 0) throw new Error(`${path}: missing column '${name}'`);
    return index;
  };
  const [currencyAt, monthAt, rateAt] = [column('currency'), column('month'), column('usd_per_unit')];
  const rates = new Map<string, number>();
  for (const { line, cells } of table.rows) {
    const rate = Number(cells[rateAt]);
    if (!Number.isFinite(rate) || rate <= 0)
      throw new Error(`${path}: line ${line}: usd_per_unit '${cells[rateAt]}' is not a positive number`);
    rates.set(`${cells[currencyAt]}|${cells[monthAt].slice(0, 7)}`, Math.round(rate * RATE_SCALE));
  }
  return {
    rateMicros(currency, isoDate) {
      const month = isoDate.slice(0, 7);
      const rate = rates.get(`${currency}|${month}`);
      if (rate === undefined) throw new FxRateMissingError(currency, month);
      return rate;
    },
  };
}
