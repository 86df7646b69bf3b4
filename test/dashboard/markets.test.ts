/** The market view's figures: the geo group selector's choices, channels over a choice's geos, shifts per geo. */
import { describe, expect, test } from 'vitest';
import { channelAggregates, marketSelections, marketShifts, selectionKeysOfGeo } from '../../src/dashboard/markets.ts';
import type { BiGeoChannelSummaryRow, BiGeoRecommendationRow } from '../../src/warehouse/bi-views.ts';

const pair = (geo: string, channel: string, spend: number, outcome: number, mroi: number): BiGeoChannelSummaryRow => ({
  model_id: 'm',
  run_id: 'r',
  is_current: true,
  geo,
  channel,
  spend,
  geo_spend_share: null,
  incremental_outcome_mean: outcome,
  incremental_outcome_p05: outcome / 2,
  incremental_outcome_p95: outcome * 2,
  roi_mean: spend > 0 ? outcome / spend : 0,
  roi_p05: 0,
  roi_p95: 0,
  mroi_mean: mroi,
  mroi_p05: 0,
  mroi_p95: 0,
  mroi_rank: 1,
});

const PAIRS = [
  pair('US', 'search', 100, 300, 2),
  pair('US', 'tv', 300, 300, 0.5),
  pair('CA', 'search', 100, 100, 1),
  pair('CA', 'tv', 0, 0, 3),
];
const GROUPS = [
  { geo: 'US', country: 'US', region: 'North America' },
  { geo: 'CA', country: 'CA', region: 'North America' },
];

describe('marketSelections', () => {
  test('all geos, each country and region of the groups, each geo', () => {
    const selections = marketSelections({ pairs: PAIRS, plan: [], groups: GROUPS });
    expect(selections.map((s) => [s.key, s.geos])).toEqual([
      ['all', ['US', 'CA']],
      ['country:US', ['US']],
      ['country:CA', ['CA']],
      ['region:North America', ['US', 'CA']],
      ['geo:US', ['US']],
      ['geo:CA', ['CA']],
    ]);
    expect(selectionKeysOfGeo(selections).get('CA')).toEqual(['all', 'country:CA', 'region:North America', 'geo:CA']);
  });

  test('without geo groups: all geos and each geo', () => {
    expect(marketSelections({ pairs: PAIRS, plan: [], groups: [] }).map((s) => s.key)).toEqual(['all', 'geo:US', 'geo:CA']);
  });
});

describe('channelAggregates', () => {
  test('spend and outcome summed over the geos, ROI their ratio, mROI weighted by spend; none without spend', () => {
    expect(channelAggregates(PAIRS, ['US', 'CA'])).toEqual([
      { channel: 'search', spend: 200, incrementalOutcomeMean: 400, roiMean: 2, mroiMean: 1.5 },
      { channel: 'tv', spend: 300, incrementalOutcomeMean: 300, roiMean: 1, mroiMean: 0.5 },
    ]);
    expect(channelAggregates(PAIRS, ['CA'])).toEqual([
      { channel: 'search', spend: 100, incrementalOutcomeMean: 100, roiMean: 1, mroiMean: 1 },
      { channel: 'tv', spend: 0, incrementalOutcomeMean: 0, roiMean: null, mroiMean: null },
    ]);
  });
});

describe('marketShifts', () => {
  test("each geo's current and recommended spend over its channels", () => {
    const row = (geo: string, channel: string, current: number, recommended: number): BiGeoRecommendationRow => ({
      model_id: 'm',
      run_id: 'r',
      is_current: true,
      request_id: 'q',
      requested_at: '2025-01-01T00:00:00.000Z',
      is_latest_request: true,
      constraints: '{}',
      rank: 1,
      geo,
      channel,
      current_spend: current,
      recommended_spend: recommended,
      delta_vs_current: recommended - current,
      delta_share: current > 0 ? (recommended - current) / current : null,
      outcome_mean: 1,
      outcome_p05: 0,
      outcome_p95: 2,
      p_beats_current: 0.6,
      method: 'dp',
      gap: 0,
      moved: recommended !== current,
      evidence_label: 'informed by the data',
      p_move_helps: recommended !== current ? 0.8 : null,
    });
    expect(marketShifts([row('US', 'search', 100, 150), row('US', 'tv', 300, 200), row('CA', 'search', 0, 50)])).toEqual([
      { geo: 'US', currentSpend: 400, recommendedSpend: 350, delta: -50, deltaShare: -0.125 },
      { geo: 'CA', currentSpend: 0, recommendedSpend: 50, delta: 50, deltaShare: null },
    ]);
  });
});
