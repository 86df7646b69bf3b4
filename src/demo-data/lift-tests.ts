/**
 * The demo advertiser's lift tests (issue 17): two national go-dark tests, consistent with the generating
 * model. A test's true incremental revenue is the generating model's revenue with the channel's delivered
 * spend minus with that spend set to 0 in the test weeks in every geo, summed from the first test week until
 * the carry-over ends (the adstock's length after the last test week, clipped at the data's end, as the model
 * counts it); the reported estimate is drawn around
 * it with a standard error of LIFT_TEST_RELATIVE_SE of it, as a measurement partner would report it.
 */
import type { Rng } from '../math/rng.ts';
import { addDays } from '../data/dates.ts';
import { DEMO_GEOS, type Channel } from './media-plan.ts';
import { CHANNEL_RESPONSE } from './outcome-model.ts';
import { geometricAdstock, hill } from './response.ts';
import type { TruthWeek } from './truth.ts';

export const LIFT_TEST_RELATIVE_SE = 0.1;
/** Test length in weeks, and where (as a share of the data's weeks) each test's search for a window with spend in most weeks begins. */
const TEST_WEEKS = 8;
const TESTS: { channel: Channel; from: number }[] = [
  { channel: 'tv', from: 1 / 3 },
  { channel: 'social', from: 2 / 3 },
];

export interface LiftTest {
  experimentId: string;
  channel: Channel;
  /** Empty: every geo (a national test). */
  geo: string;
  startDate: string;
  endDate: string;
  incrementalOutcome: number;
  standardError: number;
  spend: number;
  counterfactualSpend: number;
  outcomeType: 'revenue';
  /** The generating model's incremental revenue the estimate was drawn around. */
  trueIncrementalOutcome: number;
}

/** The generating model's revenue from one channel in one geo over the weeks, given its weekly spend. */
function channelRevenue(channel: Channel, scale: number, spend: number[]): number[] {
  const r = CHANNEL_RESPONSE[channel];
  return geometricAdstock(spend, r.alpha, r.maxLag).map((a) => scale * r.maxWeeklyEffect * hill(a / (scale * r.reference), r.ec, r.slope));
}

export function demoLiftTests(weekly: readonly TruthWeek[], start: string, weeks: number, rng: Rng): LiftTest[] {
  const series = (geo: string, channel: Channel) =>
    weekly
      .filter((w) => w.geo === geo)
      .sort((a, b) => (a.weekStart < b.weekStart ? -1 : 1))
      .map((w) => w.spend[channel]);
  return TESTS.map(({ channel, from }) => {
    const active = (s: number) =>
      DEMO_GEOS.reduce(
        (n, g) =>
          n +
          series(g.geo, channel)
            .slice(s, s + TEST_WEEKS)
            .filter((v) => v > 0).length,
        0,
      );
    // The first window from `from` with spend in 6 of its 8 weeks per geo on average (or the last window that fits).
    let first = Math.floor(weeks * from);
    while (first + TEST_WEEKS < weeks && active(first) < DEMO_GEOS.length * (TEST_WEEKS - 2)) first++;
    const last = first + TEST_WEEKS - 1;
    const end = Math.min(weeks, last + 1 + CHANNEL_RESPONSE[channel].maxLag);
    let spend = 0;
    let truth = 0;
    for (const geo of DEMO_GEOS) {
      const actual = series(geo.geo, channel);
      const dark = actual.map((v, t) => (t >= first && t <= last ? 0 : v));
      const [withSpend, without] = [channelRevenue(channel, geo.scale, actual), channelRevenue(channel, geo.scale, dark)];
      for (let t = first; t < end; t++) truth += withSpend[t] - without[t];
      for (let t = first; t <= last; t++) spend += actual[t];
    }
    const standardError = LIFT_TEST_RELATIVE_SE * truth;
    return {
      experimentId: `${channel}-holdout-${addDays(start, 7 * first).slice(0, 7)}`,
      channel,
      geo: '',
      startDate: addDays(start, 7 * first),
      endDate: addDays(start, 7 * last),
      incrementalOutcome: Math.round(truth + standardError * rng.normal()),
      standardError: Math.round(standardError),
      spend: Math.round(spend * 100) / 100,
      counterfactualSpend: 0,
      outcomeType: 'revenue',
      trueIncrementalOutcome: truth,
    };
  });
}
