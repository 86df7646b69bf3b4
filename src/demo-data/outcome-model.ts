/**
 * The known marketing-mix model the demo revenue is drawn from, per geo g and week t (scale s_g):
 *   revenue = s_g [ L (1 + trend t/52) (1 + sum_k a_k sin(2 pi k t/P) + b_k cos(2 pi k t/P))
 *                   + promo_effect promo + holiday_effect holidays + macro_effect (macro - 100) ]
 *           + sum_c s_g B_c hill(adstock_c(spend_c)_t / (s_g R_c); ec_c, slope_c) + N(0, (s_g sigma)^2)
 */
import type { Rng } from '../math/rng.ts';
import type { Channel } from './media-plan.ts';
import { geometricAdstock, hill } from './response.ts';
import type { DemoTruth } from './truth.ts';

export interface ChannelResponse {
  alpha: number;
  maxLag: number;
  ec: number;
  slope: number;
  /** Weekly spend (USD, US scale) at which the adstocked spend is 1 on the Hill curve's axis. */
  reference: number;
  /** Weekly revenue (USD, US scale) at full saturation. */
  maxWeeklyEffect: number;
}

export const CHANNEL_RESPONSE: Record<Channel, ChannelResponse> = {
  search: { alpha: 0.2, maxLag: 8, ec: 0.9, slope: 1.4, reference: 70_000, maxWeeklyEffect: 280_000 },
  social: { alpha: 0.45, maxLag: 8, ec: 0.9, slope: 1.2, reference: 50_000, maxWeeklyEffect: 180_000 },
  video: { alpha: 0.6, maxLag: 8, ec: 1.1, slope: 1.0, reference: 30_000, maxWeeklyEffect: 120_000 },
  display: { alpha: 0.3, maxLag: 8, ec: 1.6, slope: 1.0, reference: 25_000, maxWeeklyEffect: 45_000 },
  tv: { alpha: 0.7, maxLag: 8, ec: 0.7, slope: 2.0, reference: 50_000, maxWeeklyEffect: 200_000 },
};

export const BASELINE: DemoTruth['baseline'] = {
  weeklyLevel: 1_400_000,
  trendPerYear: 0.06,
  seasonality: [
    { sin: 0.06, cos: -0.05 },
    { sin: 0.02, cos: 0.015 },
  ],
  seasonalPeriodWeeks: 52.1775,
  promoEffect: 350_000,
  holidayEffect: 60_000,
  macroEffect: 9_000,
  macroReference: 100,
  noiseSd: 35_000,
};

export interface WeekControls {
  promo: number;
  holiday: number;
  macro: number;
}

export interface GeoOutcome {
  baseline: number[];
  contributions: Record<Channel, number[]>;
  expected: number[];
  revenue: number[];
}

/** Baseline of week t (0-based from the first week) in a geo of scale 1, before controls. */
function trendSeason(t: number): number {
  const b = BASELINE;
  const season = b.seasonality.reduce((sum, { sin, cos }, k) => {
    const angle = (2 * Math.PI * (k + 1) * t) / b.seasonalPeriodWeeks;
    return sum + sin * Math.sin(angle) + cos * Math.cos(angle);
  }, 0);
  return b.weeklyLevel * (1 + (b.trendPerYear * t) / 52) * (1 + season);
}

/** Revenue of one geo over the weeks, from its weekly USD spend per channel and its controls. */
export function simulateGeoOutcome(scale: number, spend: Record<Channel, number[]>, controls: WeekControls[], rng: Rng): GeoOutcome {
  const b = BASELINE;
  const baseline = controls.map(
    (c, t) =>
      scale * (trendSeason(t) + b.promoEffect * c.promo + b.holidayEffect * c.holiday + b.macroEffect * (c.macro - b.macroReference)),
  );
  const contributions = Object.fromEntries(
    Object.entries(spend).map(([channel, series]) => {
      const r = CHANNEL_RESPONSE[channel as Channel];
      const adstocked = geometricAdstock(series, r.alpha, r.maxLag);
      return [channel, adstocked.map((a) => scale * r.maxWeeklyEffect * hill(a / (scale * r.reference), r.ec, r.slope))];
    }),
  ) as Record<Channel, number[]>;
  const expected = baseline.map((base, t) => base + Object.values(contributions).reduce((sum, c) => sum + c[t], 0));
  const revenue = expected.map((mean) => Math.max(0, mean + scale * b.noiseSd * rng.normal()));
  return { baseline, contributions, expected, revenue };
}
