/**
 * Everything a run directory holds, as the rows of the warehouse tables (DESIGN.md section 5): the
 * mmm_runs row from summary.json and the surface calibration, channel summary, contributions,
 * response curves and posterior summary from the fit's analysis, the enumerated surface, and the
 * efficient frontier (with the diverse alternatives at the current budget that beat the current mix in at
 * least half the draws) computed from the stored surface; for a geo model, the channel summary per (geo,
 * channel) pair from its curves by market.
 */
import { join } from 'node:path';
import { alternativesWorthShowing, diverseAlternatives } from '../explore/alternatives.ts';
import { efficientFrontier } from '../explore/frontier.ts';
import { geoChannelSummaryRows } from '../explore/market-rows.ts';
import { frontierRows } from '../explore/rows.ts';
import { loadMarketSource } from './market-response-source.ts';
import { ALLOCATIONS_FILE, loadSurfaceRun, readSurfaceFile, SCENARIOS_FILE } from '../surface/surface-run.ts';
import { surfaceAllocationRowSchema, surfaceScenarioRowSchema } from '../surface/rows.ts';
import { emptyRunTables, parseRunResults, type RunResults } from '../warehouse/run-results.ts';
import type { MmmConfig } from '../config/schema.ts';
import { fitSummarySchema, type FitSummary } from './fit-summary.ts';
import { ANALYSIS_FILE, analysisFileSchema, posteriorHeaderSchema, readFitSummary, readRunJson, SUMMARY_FILE } from './run-directory.ts';
import { readManifest } from '../io/run-manifest.ts';

export interface RunIdentity {
  runId: string;
  modelId: string;
  createdAt: string;
  finishedAt: string;
}

/** 'roi[x1]' -> { parameter: 'roi', labels: 'x1' }; 'sigma' -> { parameter: 'sigma', labels: '' }. */
function splitParameterName(name: string): { parameter: string; labels: string } {
  const open = name.indexOf('[');
  return open < 0 ? { parameter: name, labels: '' } : { parameter: name.slice(0, open), labels: name.slice(open + 1, -1) };
}

/** The mmm_runs columns every published run has, from its summary.json. */
function runFromSummary(summary: FitSummary, config: unknown, identity: RunIdentity, status: 'succeeded' | 'rejected') {
  return {
    run_id: identity.runId,
    model_id: identity.modelId,
    status,
    created_at: identity.createdAt,
    finished_at: identity.finishedAt,
    data_start: summary.outcome.start,
    data_end: summary.outcome.end,
    config,
    diagnostics: summary.diagnostics,
    fit_metrics: summary.fit,
  };
}

/**
 * A run its gates refused (failed diagnostics or calibration; a failed fit keeps only summary.json): its
 * mmm_runs row with status 'rejected' and the reason among the diagnostics, and no rows in the run
 * tables, so it can never be promoted. `config` is null when the run directory no longer holds it.
 */
export function rejectedRunResults(runDir: string, identity: RunIdentity, config: MmmConfig | null, reason: string): RunResults {
  const summary = readFitSummary(runDir);
  const run = runFromSummary(summary, config, identity, 'rejected');
  return parseRunResults({
    run: {
      ...run,
      diagnostics: { ...summary.diagnostics, rejection: reason },
      calibration_factor: null,
      calibration_window_start: null,
      calibration_window_end: null,
    },
    ...emptyRunTables(),
  });
}

/** Rows of every run table for a run whose fit passed its gates and whose surface is calibrated. */
export async function assembleRunResults(runDir: string, identity: RunIdentity): Promise<RunResults> {
  const manifest = readManifest(runDir);
  const summary = readRunJson(runDir, manifest, SUMMARY_FILE, fitSummarySchema);
  const header = readRunJson(runDir, manifest, 'posterior.json', posteriorHeaderSchema);
  const analysis = readRunJson(runDir, manifest, ANALYSIS_FILE, analysisFileSchema);
  // Refuses a surface that is missing, damaged or built from another posterior than this run's.
  const surface = await loadSurfaceRun(runDir);
  const surfaceLines = async (file: string): Promise<unknown[]> =>
    (await readSurfaceFile(runDir, file))
      .split('\n')
      .filter((line) => line.length > 0)
      .map((line) => JSON.parse(line) as unknown);
  const { runId } = identity;
  const nonNull = (v: number | null): number | null => (v !== null && Number.isFinite(v) ? v : null);

  const frontier = frontierRows(runId, surface.curves.channels, efficientFrontier(surface, { levels: 41 }));
  // As `mmm optimize` shows them: only alternatives that beat the current mix in at least half the draws.
  const alternatives = alternativesWorthShowing(diverseAlternatives(surface, { count: 4 }).slice(1)).shown;
  const budget = surface.curves.totalHistoricalSpend;
  const alternativeRows = alternatives.flatMap((alt) =>
    surface.curves.channels.map((channel, c) => ({
      run_id: runId,
      total_spend: budget,
      rank: alt.rank,
      channel,
      spend: alt.plan.spend[c],
      outcome_mean: alt.plan.score.outcome.mean,
      outcome_p05: alt.plan.score.outcome.p05,
      outcome_p95: alt.plan.score.outcome.p95,
      p_beats_current: alt.plan.score.pBeatsCurrent,
    })),
  );

  // A geo model's summary per (geo, channel) pair, from its curves by market (cached in the run's surface folder).
  const geoSummary = header.panel.geos.length > 1 ? geoChannelSummaryRows(runId, await loadSurfaceRun(runDir, { loadMarketSource })) : [];

  return parseRunResults({
    run: {
      ...runFromSummary(summary, header.config, identity, 'succeeded'),
      calibration_factor: surface.calibration.factor,
      calibration_window_start: surface.calibration.window.start,
      calibration_window_end: surface.calibration.window.end,
    },
    mmm_channel_summary: analysis.channels.map((c) => ({
      run_id: runId,
      channel: c.name,
      spend: c.spend,
      incremental_outcome_mean: c.contribution.mean,
      incremental_outcome_p05: c.contribution.p05,
      incremental_outcome_p95: c.contribution.p95,
      contribution_share_mean: c.contributionShare.mean,
      contribution_share_p05: c.contributionShare.p05,
      contribution_share_p95: c.contributionShare.p95,
      roi_mean: c.roi.mean,
      roi_p05: c.roi.p05,
      roi_p95: c.roi.p95,
      mroi_mean: c.mroi.mean,
      mroi_p05: c.mroi.p05,
      mroi_p95: c.mroi.p95,
    })),
    mmm_contributions: analysis.contributions.map((row) => ({
      run_id: runId,
      period_start: row.periodStart,
      geo: row.geo,
      component: row.component,
      mean: row.mean,
      p05: row.p05,
      p95: row.p95,
    })),
    mmm_response_curves: analysis.responseCurves.map((point) => ({
      run_id: runId,
      channel: point.channel,
      spend_multiplier: point.spendMultiplier,
      spend: point.spend,
      outcome_mean: point.outcome.mean,
      outcome_p05: point.outcome.p05,
      outcome_p95: point.outcome.p95,
      mroi: point.mroi,
    })),
    mmm_surface_scenarios: (await surfaceLines(SCENARIOS_FILE)).map((row) => ({ ...surfaceScenarioRowSchema.parse(row), run_id: runId })),
    mmm_surface_allocations: (await surfaceLines(ALLOCATIONS_FILE)).map((row) => ({
      ...surfaceAllocationRowSchema.parse(row),
      run_id: runId,
    })),
    mmm_frontier: [...frontier, ...alternativeRows],
    mmm_interactions: analysis.interactions.map((row) => ({
      run_id: runId,
      channel_a: row.pair[0],
      channel_b: row.pair[1],
      theta_mean: row.theta.mean,
      theta_p05: row.theta.p05,
      theta_p95: row.theta.p95,
      incremental_outcome_mean: row.contribution.mean,
      incremental_outcome_p05: row.contribution.p05,
      incremental_outcome_p95: row.contribution.p95,
      p_positive: row.pPositive,
    })),
    // Runs fitted before evidence existed have none.
    mmm_channel_evidence: summary.channels.flatMap((c) =>
      c.evidence === undefined ? [] : [{ run_id: runId, channel: c.name, ...c.evidence }],
    ),
    mmm_experiments: (summary.experiments ?? []).map((test) => ({
      run_id: runId,
      experiment_id: test.id,
      channel: test.channel,
      estimate: test.estimate,
      standard_error: test.standardError,
      implied_mean: test.implied.mean,
      implied_p05: test.implied.p05,
      implied_p95: test.implied.p95,
    })),
    mmm_geo_channel_summary: geoSummary,
    mmm_posterior_summary: analysis.parameters.map((p) => {
      const { parameter, labels } = splitParameterName(p.name);
      return {
        run_id: runId,
        parameter,
        index_labels: labels,
        mean: p.mean,
        sd: p.sd,
        p05: p.p05,
        p50: p.p50,
        p95: p.p95,
        rhat: nonNull(p.rhat),
        ess_bulk: nonNull(p.essBulk),
        ess_tail: nonNull(p.essTail),
      };
    }),
  });
}
