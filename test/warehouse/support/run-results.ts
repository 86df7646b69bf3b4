/** A small but complete RunResults hand-over whose values depend on the run id, for publish tests. */
import { NOT_INFORMED_LABEL } from '../../../src/analysis/evidence.ts';
import type { GeoRecommendationRow } from '../../../src/explore/market-rows.ts';
import type { RunResults } from '../../../src/warehouse/run-results.ts';

const CHANNELS = ['search', 'social', 'tv'];
const GEOS = ['US', 'CA'];
const PERIODS = ['2024-01-01', '2024-01-08', '2024-01-15', '2024-01-22'];

export function makeRunResults(
  runId: string,
  modelId: string,
  options: { status?: RunResults['run']['status']; scale?: number } = {},
): RunResults {
  const k = options.scale ?? 1;
  const scenarios = Array.from({ length: 6 }, (_, s) => s);
  return {
    run: {
      run_id: runId,
      model_id: modelId,
      status: options.status ?? 'succeeded',
      created_at: '2024-03-01T10:00:00.000Z',
      finished_at: '2024-03-01T10:05:30.000Z',
      data_start: '2022-01-03',
      data_end: '2024-12-23',
      config: { data: { kpi: 'revenue' }, sampler: { chains: 4 } },
      diagnostics: { maxRhat: 1.004, divergences: 0, verdict: 'pass' },
      fit_metrics: { r2: 0.93, mape: 0.051 },
      calibration_factor: 1.02,
      calibration_window_start: '2024-01-01',
      calibration_window_end: '2024-12-23',
    },
    mmm_channel_summary: CHANNELS.map((channel, c) => ({
      run_id: runId,
      channel,
      spend: 1000 * (c + 1),
      incremental_outcome_mean: 2000 * (c + 1) * k,
      incremental_outcome_p05: 1500 * (c + 1) * k,
      incremental_outcome_p95: 2500 * (c + 1) * k,
      contribution_share_mean: 0.1 * (c + 1),
      contribution_share_p05: 0.08 * (c + 1),
      contribution_share_p95: 0.12 * (c + 1),
      roi_mean: 2 * k,
      roi_p05: 1.5 * k,
      roi_p95: 2.5 * k,
      mroi_mean: 1.2,
      mroi_p05: 0.9,
      mroi_p95: 1.5,
    })),
    mmm_contributions: PERIODS.flatMap((period_start, t) =>
      GEOS.flatMap((geo) =>
        ['baseline', ...CHANNELS.slice(0, 2)].map((component, j) => ({
          run_id: runId,
          period_start,
          geo,
          component,
          mean: 100 * (t + 1) + j * k,
          p05: 90 * (t + 1) + j * k,
          p95: 110 * (t + 1) + j * k,
        })),
      ),
    ),
    mmm_response_curves: CHANNELS.flatMap((channel, c) =>
      [0, 0.5, 1, 1.5, 2].map((m) => ({
        run_id: runId,
        channel,
        spend_multiplier: m,
        spend: 1000 * (c + 1) * m,
        outcome_mean: 3000 * Math.sqrt(m) * k,
        outcome_p05: 2500 * Math.sqrt(m) * k,
        outcome_p95: 3500 * Math.sqrt(m) * k,
        mroi: 1.5 / (1 + m),
      })),
    ),
    mmm_surface_scenarios: scenarios.map((s) => ({
      run_id: runId,
      scenario_id: s,
      budget_level: 0.5 + 0.25 * s,
      total_spend: 6000 * (0.5 + 0.25 * s),
      design: s === 0 ? ('current' as const) : ('simplex' as const),
      mix_id: s % 3,
      mix_label: s === 0 ? 'current' : `simplex ${s}`,
      outcome_mean_raw: 10_000 + s,
      outcome_p05_raw: 9_000 + s,
      outcome_p50_raw: 10_000 + s,
      outcome_p95_raw: 11_000 + s,
      outcome_mean_calibrated: 10_200 + s,
      outcome_p05_calibrated: 9_180 + s,
      outcome_p50_calibrated: 10_200 + s,
      outcome_p95_calibrated: 11_220 + s,
      incremental_mean: 4_000 * k + s,
      roi: s === 0 ? null : 1.1,
      mroi: 0.8,
    })),
    mmm_surface_allocations: scenarios.flatMap((s) =>
      CHANNELS.map((channel, c) => ({
        run_id: runId,
        scenario_id: s,
        channel,
        spend: 2000 * (0.5 + 0.25 * s) + c,
        share: 1 / 3,
        contribution_mean: 1300 * k + c,
      })),
    ),
    mmm_frontier: [5000, 6000, 7000, 8000].flatMap((total_spend) =>
      [1, 2].flatMap((rank) =>
        CHANNELS.map((channel, c) => ({
          run_id: runId,
          total_spend,
          rank,
          channel,
          spend: total_spend / 3 + c - 1,
          outcome_mean: total_spend * 1.7 * k,
          outcome_p05: total_spend * 1.4,
          outcome_p95: total_spend * 2,
          p_beats_current: 0.4 + 0.1 * rank,
        })),
      ),
    ),
    // The last channel's data did not inform it; the others' did.
    mmm_channel_evidence: CHANNELS.map((channel, c) => {
      const informed = c < CHANNELS.length - 1;
      return {
        run_id: runId,
        channel,
        contraction: informed ? 0.6 : 0.04,
        shift: informed ? 1.2 : 0.02,
        informed,
        label: informed ? 'informed by the data' : NOT_INFORMED_LABEL,
      };
    }),
    mmm_experiments: [
      {
        run_id: runId,
        experiment_id: 'search-geo-lift',
        channel: 'search',
        estimate: 1800 * k,
        standard_error: 400 * k,
        implied_mean: 1900 * k,
        implied_p05: 1400 * k,
        implied_p95: 2400 * k,
      },
    ],
    mmm_interactions: [
      {
        run_id: runId,
        channel_a: CHANNELS[0],
        channel_b: CHANNELS[2],
        theta_mean: 0.2 * k,
        theta_p05: -0.1 * k,
        theta_p95: 0.5 * k,
        incremental_outcome_mean: 400 * k,
        incremental_outcome_p05: -200 * k,
        incremental_outcome_p95: 1000 * k,
        p_positive: 0.8,
      },
    ],
    mmm_geo_channel_summary: GEOS.flatMap((geo, g) =>
      CHANNELS.map((channel, c) => ({
        run_id: runId,
        geo,
        channel,
        spend: 500 * (c + 1) * (g + 1),
        incremental_outcome_mean: 1000 * (c + 1) * (g + 1) * k,
        incremental_outcome_p05: 700 * (c + 1) * (g + 1) * k,
        incremental_outcome_p95: 1300 * (c + 1) * (g + 1) * k,
        roi_mean: 2 * k,
        roi_p05: 1.4 * k,
        roi_p95: 2.6 * k,
        mroi_mean: 1.1 - 0.2 * g,
        mroi_p05: 0.8 - 0.2 * g,
        mroi_p95: 1.4 - 0.2 * g,
      })),
    ),
    mmm_posterior_summary: [
      { parameter: 'sigma', index_labels: '' },
      ...CHANNELS.map((channel) => ({ parameter: 'roi', index_labels: `channel=${channel}` })),
      { parameter: 'alpha', index_labels: 'channel=tv' },
    ].map((p, i) => ({
      run_id: runId,
      ...p,
      mean: 0.5 + i * k,
      sd: 0.1,
      p05: 0.3 + i,
      p50: 0.5 + i,
      p95: 0.7 + i,
      rhat: i === 0 ? null : 1.001,
      ess_bulk: i === 0 ? null : 1800,
      ess_tail: i === 0 ? null : 1500,
    })),
  };
}

/** A rank-1 row of a plan by market (mmm_geo_recommendations) of run `runId`, with fixed outcome figures. */
export const makeGeoRecommendation = (
  runId: string,
  requestId: string,
  requestedAt: string,
  geo: string,
  channel: string,
  spend: number,
  delta: number,
): GeoRecommendationRow => ({
  request_id: requestId,
  run_id: runId,
  requested_at: requestedAt,
  constraints: '{"budget":3000,"by":"geo"}',
  rank: 1,
  geo,
  channel,
  spend,
  delta_vs_current: delta,
  outcome_mean: 9_000,
  outcome_p05: 8_000,
  outcome_p95: 10_000,
  p_beats_current: 0.7,
  method: 'lagrangian',
  gap: 0.002,
});
