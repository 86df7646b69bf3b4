/**
 * A marketer's daily export with a known weekly generating process, rendered as an ad platform or a
 * spreadsheet writes it (US dates, `$` and thousands separators, spaces and a comma in column names).
 *
 * Weekly: spend per channel with seasonality and noise (TV in bursts, with GRPs = cost / 450), geometric
 * adstock (a = 0.5) then Hill saturation x / (x + K) with K the channel's mean adstocked spend, scaled so
 * that each channel's ROI over the data is exactly its true ROI; a baseline with a linear trend, yearly
 * seasonality, a price effect and holiday lifts; Normal noise. Days carry the week's amounts split by a
 * fixed day-of-week profile (controls repeat the week's value), so summing them into Monday weeks gives the
 * weekly series back. The file starts on a Wednesday and ends on a Wednesday: both partial weeks are dropped.
 */
import { addDays } from '../../../src/data/dates.ts';
import { createRng } from '../../../src/math/rng.ts';
import { renderCsv, type CsvShape, type MarketerRow } from '../../data/support/marketer-csv.ts';

const US_EXPORT: CsvShape = {
  delimiter: ',',
  numbers: { decimal: '.', thousands: ',', currency: { symbol: '$', position: 'before' } },
  dates: 'MM/DD/YYYY',
};
/** Monday..Sunday shares of a week's amounts (sum 1). */
const DAY_SHARES = [1.1, 1.05, 1, 1, 1.05, 0.9, 0.9].map((w) => w / 7);
const TRUE_ROI = { google: 2.2, meta: 1.4, tv: 0.8 };
const ADSTOCK_DECAY = 0.5;

const cents = (value: number) => Math.round(value * 100) / 100;

/** y_t = x_t + a y_{t-1} (geometric adstock, unnormalised). */
function adstock(spend: number[]): number[] {
  const out: number[] = [];
  for (const [t, x] of spend.entries()) out.push(x + (t > 0 ? ADSTOCK_DECAY * out[t - 1] : 0));
  return out;
}

/** Contributions beta x h(t), h = Hill(adstock(spend)) with K = mean adstock, beta set so that sum = roi x sum(spend). */
function contributions(spend: number[], roi: number): number[] {
  const carried = adstock(spend);
  const k = carried.reduce((a, b) => a + b, 0) / carried.length;
  const saturated = carried.map((x) => x / (x + k));
  const beta = (roi * spend.reduce((a, b) => a + b, 0)) / saturated.reduce((a, b) => a + b, 0);
  return saturated.map((h) => beta * h);
}

/** The CSV text: `weeks` whole Monday weeks of daily rows, plus a partial week before and after. */
export function marketerDailyExport(options: { weeks: number; seed: number }): string {
  const rng = createRng(options.seed, 0);
  const W = options.weeks + 2;
  const season = (w: number, phase: number) => Math.sin((2 * Math.PI * w) / 52.18 + phase);
  const google = Array.from({ length: W }, (_, w) => 14_000 * (1 + 0.35 * season(w, 0.3)) * Math.exp(0.2 * rng.normal()));
  const meta = Array.from({ length: W }, (_, w) => 9_000 * (1 + 0.3 * season(w, 2)) * Math.exp(0.25 * rng.normal()));
  const tv = Array.from({ length: W }, (_, w) => (w % 6 < 3 ? 28_000 * Math.exp(0.15 * rng.normal()) : 2_000));
  const price = Array.from({ length: W }, (_, w) => 1 + 0.04 * Math.sin((2 * Math.PI * w) / 26) + 0.01 * rng.normal());
  const holiday = Array.from({ length: W }, (_, w) => (w % 13 === 0 ? 1 : 0));
  const paid = [contributions(google, TRUE_ROI.google), contributions(meta, TRUE_ROI.meta), contributions(tv, TRUE_ROI.tv)];
  const sales = Array.from(
    { length: W },
    (_, w) =>
      260_000 +
      1_200 * w +
      20_000 * season(w, 1) -
      60_000 * (price[w] - 1) +
      15_000 * holiday[w] +
      5_000 * rng.normal() +
      paid.reduce((sum, c) => sum + c[w], 0),
  );

  const firstMonday = '2023-01-02';
  const rows: MarketerRow[] = [];
  for (let w = 0; w < W; w += 1) {
    for (let d = 0; d < 7; d += 1) {
      const partial = (w === 0 && d < 2) || (w === W - 1 && d > 2);
      if (partial) continue;
      const share = DAY_SHARES[d];
      rows.push({
        date: addDays(firstMonday, 7 * w + d),
        values: [
          cents(sales[w] * share),
          cents(google[w] * share),
          cents(meta[w] * share),
          cents((tv[w] / 450) * share),
          cents(tv[w] * share),
          price[w],
          holiday[w],
        ],
        note: '',
      });
    }
  }
  return renderCsv(rows, US_EXPORT);
}
