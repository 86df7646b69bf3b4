/**
 * The store's daily sales report (Shopify-style "sales over time" per store): weekly revenue from the
 * generating model is spread over the days of the week and billed in the store's currency.
 */
import { addDays } from '../data/dates.ts';
import type { Rng } from '../math/rng.ts';
import type { FxRates } from './fx-rates.ts';
import type { DemoGeo } from './media-plan.ts';
import { convertCents } from './money.ts';

export interface DailySales {
  day: string;
  geo: DemoGeo['geo'];
  store: string;
  currency: DemoGeo['currency'];
  orders: number;
  /** Store-currency cents. */
  grossSales: number;
  discounts: number;
  returns: number;
  netSales: number;
  taxes: number;
  totalSales: number;
  /** Net sales converted to USD cents (the warehouse convention). */
  netSalesUsdCents: number;
}

/** Relative sales per weekday, Monday first. */
const WEEKDAY_SALES = [0.95, 0.93, 0.95, 1, 1.07, 1.07, 1.03];
const AVERAGE_ORDER_USD = 86;
const RETURN_RATE = 0.06;
const TAX_RATE = 0.07;

export const STORE_OF: Record<DemoGeo['geo'], string> = { US: 'us-store', CA: 'ca-store' };

/** One week of sales of one store; `promoDays` are the days with a promotion (deeper discounts). */
export function weekOfSales(
  geo: DemoGeo,
  weekStart: string,
  revenueUsd: number,
  promoDays: Set<string>,
  fx: FxRates,
  rng: Rng,
): DailySales[] {
  const weights = WEEKDAY_SALES.map((w) => w * Math.exp(0.05 * rng.normal()));
  const total = weights.reduce((a, b) => a + b, 0);
  return weights.map((weight, d) => {
    const day = addDays(weekStart, d);
    const rate = fx.rateMicros(geo.currency, day);
    const usd = (revenueUsd * weight) / total;
    const netSales = Math.round((usd * 100 * 1_000_000) / rate);
    const discountRate = promoDays.has(day) ? 0.18 : 0.04;
    const discounts = Math.round(netSales * discountRate);
    const returns = Math.round(netSales * RETURN_RATE);
    const taxes = Math.round(netSales * TAX_RATE);
    return {
      day,
      geo: geo.geo,
      store: STORE_OF[geo.geo],
      currency: geo.currency,
      orders: Math.max(0, Math.round((usd / AVERAGE_ORDER_USD) * Math.exp(0.04 * rng.normal()))),
      grossSales: netSales + discounts + returns,
      discounts,
      returns,
      netSales,
      taxes,
      totalSales: netSales + taxes,
      netSalesUsdCents: convertCents(netSales, rate),
    };
  });
}
