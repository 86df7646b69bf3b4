/**
 * Money in integer cents, so that every amount the generator writes and every total it records is exact.
 * The currency convention is the warehouse's (dbt int_ad_spend_usd): each raw row is converted on its own,
 * usd = round(local x usd_per_unit, 2), rounding halves away from zero, then rows are summed.
 */

/** FX rates are stored with six decimals (dbt/seeds/fx_rates.csv), i.e. as integer micro-units. */
export const RATE_SCALE = 1_000_000;

/** round(localCents x rateMicros / 10^6) with halves away from zero, in exact integer arithmetic. */
export function convertCents(localCents: number, rateMicros: number): number {
  if (!Number.isSafeInteger(localCents) || localCents < 0)
    throw new RangeError(`amount must be non-negative integer cents, got ${localCents}`);
  const product = localCents * rateMicros;
  if (!Number.isSafeInteger(product)) throw new RangeError(`amount ${localCents} cents x rate ${rateMicros} exceeds exact integer range`);
  const whole = Math.floor(product / RATE_SCALE);
  const remainder = product - whole * RATE_SCALE;
  return 2 * remainder >= RATE_SCALE ? whole + 1 : whole;
}

/** Cents as a decimal string with two places, e.g. 12345 -> "123.45". */
export function formatCents(cents: number): string {
  const sign = cents < 0 ? '-' : '';
  const abs = Math.abs(cents);
  return `${sign}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, '0')}`;
}

/** Dollars (as recorded in the truth file) to cents; exact for amounts written by formatCents. */
export const toCents = (amount: number): number => Math.round(amount * 100);
