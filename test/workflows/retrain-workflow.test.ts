/**
 * retrainWorkflow on a real Temporal dev server with real activities: dbt on DuckDB, the fit, the
 * chunked surface, publishing. Happy path, a validation failure, a rejected fit, a replay of the
 * happy path's own history, and an input refused before any activity runs.
 */
import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Worker } from '@temporalio/worker';
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { retrainWorkflowId, TASK_QUEUES, type RetrainInput, type RetrainResult } from '../../src/workflow-contracts/contracts.ts';
import { RETRAIN_WORKFLOW } from '../../src/orchestration/retrain-client.ts';
import { OPTIONAL_RUN_TABLES, RUN_TABLE_NAMES } from '../../src/warehouse/tables.ts';
import {
  DEMO_CONFIG,
  inProcessWorkers,
  MMM_BIN,
  TEST_SAMPLER,
  useTemporalHarness,
  WORKFLOW_TEST_TIMEOUT_MS,
  workflowFailure,
} from '../support/temporal-harness.ts';
import { REPO_ROOT } from '../support/reference-data.ts';

const harness = useTemporalHarness('retrain', inProcessWorkers());
const GEO_GROUPS_SEED = join(REPO_ROOT, 'dbt/seeds/geo_groups.csv');

const retrain = (input: Omit<RetrainInput, 'modelId' | 'configPath'> = {}) =>
  harness().env.client.workflow.start(RETRAIN_WORKFLOW, {
    workflowId: retrainWorkflowId('demo'),
    taskQueue: TASK_QUEUES.io,
    args: [{ modelId: 'demo', configPath: DEMO_CONFIG, sampler: TEST_SAMPLER, surfaceChunks: 3, ...input } satisfies RetrainInput],
  });

describe('retrainWorkflow', { timeout: WORKFLOW_TEST_TIMEOUT_MS }, () => {
  let first: RetrainResult;

  it('builds the marts, fits, enumerates the surface in chunks, publishes every table and promotes', async () => {
    const handle = await retrain();
    first = (await handle.result()) as RetrainResult;
    expect(first.promoted).toBe(true);
    expect(['pass', 'warn']).toContain(first.verdict);
    expect(first.scenarios).toBe(1 + 40 * (1 + 20 + 256 + 10));
    const { current, counts, runs } = await harness().withWarehouse(async (w) => ({
      current: await w.currentRun('demo'),
      counts: await w.countRunRows(first.runId),
      runs: await w.db.selectFrom('mmm_runs').select(['run_id', 'status', 'published_at']).execute(),
    }));
    expect(current).toBe(first.runId);
    for (const table of RUN_TABLE_NAMES.filter((t) => !OPTIONAL_RUN_TABLES.has(t))) expect(counts[table], table).toBeGreaterThan(0);
    // The demo model is national: no summary by (geo, channel).
    expect(counts.mmm_geo_channel_summary).toBe(0);
    expect(counts.mmm_surface_scenarios).toBe(first.scenarios);
    expect(Object.values(counts).reduce((a, b) => a + b, 0)).toBe(first.rowsWritten);
    expect(runs).toEqual([{ run_id: first.runId, status: 'succeeded', published_at: expect.any(String) }]);

    // The history replays deterministically against the current workflow code.
    const history = await handle.fetchHistory();
    await Worker.runReplayHistory({ workflowBundle: harness().workflowBundle }, history, handle.workflowId);
    if (process.env.MMM_RECORD_RETRAIN_HISTORY)
      writeFileSync(process.env.MMM_RECORD_RETRAIN_HISTORY, `${JSON.stringify(history, null, 1)}\n`);
  });

  it('answers `mmm optimize --model` through optimizeWorkflow from the stored surface when TEMPORAL_ADDRESS is set', async () => {
    const { env, environment } = harness();
    const { stdout } = await promisify(execFile)(
      process.execPath,
      [MMM_BIN, 'optimize', '--model', 'demo', '--min', 'social=80%', '--json', '-'],
      {
        env: {
          ...process.env,
          TEMPORAL_ADDRESS: env.address,
          MMM_WAREHOUSE: 'duckdb',
          MMM_DUCKDB_PATH: environment.warehouse.engine === 'duckdb' ? environment.warehouse.path : '',
        },
      },
    );
    const answer = JSON.parse(stdout) as {
      runId: string;
      requestId: string;
      rows: number;
      pBeatsCurrent: number;
      plan: { channel: string; spend: number; delta_vs_current: number }[];
      evidence: { channel: string; moved: boolean; evidence_label: string | null; p_move_helps: number | null }[];
      optimality: { method: string; gap: number };
    };
    expect(answer.runId).toBe(first.runId);
    expect(answer.plan.map((row) => row.channel)).toEqual(['display', 'search', 'social', 'tv', 'video']);
    const social = answer.plan.find((row) => row.channel === 'social')!;
    expect(social.spend).toBeGreaterThanOrEqual(0.8 * (social.spend - social.delta_vs_current) - 1e-6);
    // Every channel of the plan with the run's evidence label, and P(the move helps) exactly where it moved.
    expect(answer.evidence.map((row) => row.channel)).toEqual(['display', 'search', 'social', 'tv', 'video']);
    for (const row of answer.evidence) {
      expect(row.evidence_label, row.channel).toMatch(/^(not )?informed by the data$/);
      expect(row.p_move_helps === null, row.channel).toBe(!row.moved);
    }
    expect(answer.optimality).toMatchObject({ method: 'exact', gap: 0 });
    const stored = await harness().withWarehouse(async (w) => ({
      rows: await w.db.selectFrom('mmm_recommendations').select('rank').where('request_id', '=', answer.requestId).execute(),
      evidence: await w.db.selectFrom('mmm_recommendation_evidence').select('rank').where('request_id', '=', answer.requestId).execute(),
    }));
    expect(stored.rows).toHaveLength(answer.rows);
    expect(stored.evidence).toHaveLength(answer.rows);

    // The printed answer of a risk objective: evidence and P(the move helps) per channel, and how far it can be from the best plan.
    const printed = await promisify(execFile)(process.execPath, [MMM_BIN, 'optimize', '--model', 'demo', '--objective', 'q10'], {
      env: {
        ...process.env,
        TEMPORAL_ADDRESS: env.address,
        MMM_WAREHOUSE: 'duckdb',
        MMM_DUCKDB_PATH: environment.warehouse.engine === 'duckdb' ? environment.warehouse.path : '',
      },
    });
    const lines = printed.stdout.split('\n');
    expect(lines[0]).toMatch(/^channel\s+current\s+recommended\s+change\s+P\(move helps\)\s+evidence$/);
    for (const channel of ['display', 'search', 'social', 'tv', 'video'])
      expect(lines.find((line) => line.startsWith(`${channel} `))).toMatch(/(\d+\.\d%\s+)?(not )?informed by the data$/);
    expect(printed.stdout).toMatch(
      /^optimality\s+local search around the best candidate gained [\d,.]+ .* in \d+ moves; the best plan on the grid scores at most [\d,.]+ \([\d.]+% of the paid-media outcome\) more/m,
    );
  });

  it('answers `mmm optimize --model --by geo` through optimizeWorkflow per (geo, channel) pair, with market and channel totals', async () => {
    // The demo model is national (its US and CA data summed): one market, 'national'.
    const { env, environment } = harness();
    const optimizeByGeo = (...flags: string[]) =>
      promisify(execFile)(process.execPath, [MMM_BIN, 'optimize', '--model', 'demo', '--by', 'geo', '--json', '-', ...flags], {
        env: {
          ...process.env,
          TEMPORAL_ADDRESS: env.address,
          MMM_WAREHOUSE: 'duckdb',
          MMM_DUCKDB_PATH: environment.warehouse.engine === 'duckdb' ? environment.warehouse.path : '',
        },
      });
    const { stdout } = await optimizeByGeo('--geo-min', 'national=90%', '--max', 'tv=110%');
    const answer = JSON.parse(stdout) as {
      requestId: string;
      runId: string;
      table: string;
      rows: number;
      market: { method: string; gap: number };
      plan: { geo: string; channel: string; spend: number; delta_vs_current: number; constraints: string; method: string; gap: number }[];
      evidence: { geo: string; channel: string; moved: boolean; evidence_label: string | null; p_move_helps: number | null }[];
    };
    expect(answer.runId).toBe(first.runId);
    expect(answer.table).toBe('mmm_geo_recommendations');
    // Each pair with its channel's evidence label from the run and P(its move helps) where it moved (mmm_geo_recommendation_evidence).
    expect(answer.evidence.map((row) => `${row.geo}/${row.channel}`).sort()).toEqual(answer.plan.map((row) => `${row.geo}/${row.channel}`));
    for (const row of answer.evidence) {
      expect(row.evidence_label, row.channel).toMatch(/^(informed by the data|not informed by the data)$/);
      expect(row.p_move_helps === null, row.channel).toBe(!row.moved);
    }
    expect(answer.market.method).toBe('lagrangian');
    expect(answer.market.gap).toBeLessThanOrEqual(0.005);
    expect(answer.plan.map((row) => `${row.geo}/${row.channel}`)).toEqual([
      'national/display',
      'national/search',
      'national/social',
      'national/tv',
      'national/video',
    ]);
    expect(answer.plan.every((row) => row.method === answer.market.method && row.gap === answer.market.gap)).toBe(true);
    const total = (spend: (row: (typeof answer.plan)[number]) => number) => answer.plan.reduce((sum, row) => sum + spend(row), 0);
    expect(total((row) => row.spend)).toBeCloseTo(
      total((row) => row.spend - row.delta_vs_current),
      3,
    );
    const tv = answer.plan.find((row) => row.channel === 'tv')!;
    expect(tv.spend).toBeLessThanOrEqual(1.1 * (tv.spend - tv.delta_vs_current) + 1e-6);
    expect(JSON.parse(answer.plan[0].constraints)).toMatchObject({
      by: 'geo',
      markets: { national: { minRelative: 0.9 } },
      channels: { tv: { maxRelative: 1.1 } },
    });
    // The pairs went to mmm_geo_recommendations, none to mmm_recommendations.
    const stored = await harness().withWarehouse(async (w) => ({
      geo: await w.db.selectFrom('mmm_geo_recommendations').select('geo').where('request_id', '=', answer.requestId).execute(),
      national: await w.db.selectFrom('mmm_recommendations').select('rank').where('request_id', '=', answer.requestId).execute(),
      summary: await w.db.selectFrom('mmm_geo_channel_summary').select('geo').where('run_id', '=', answer.runId).execute(),
    }));
    expect(stored.geo).toHaveLength(answer.rows);
    expect(stored.national).toHaveLength(0);
    // The demo model is national: publish writes no summary by (geo, channel).
    expect(stored.summary).toHaveLength(0);

    // Grouping by the geo_groups seed: its geos are US and CA, not the model's 'national', which is named.
    const refused = await optimizeByGeo('--group', 'country', '--geo-groups', GEO_GROUPS_SEED).catch((error: { stderr: string }) => error);
    expect('stderr' in refused ? refused.stderr : '').toContain("geo 'national' has no row in the geo groups, so it has no country");
  });

  it('fails with a typed DataValidationError on bad mart rows and leaves the current run current', async () => {
    await harness().withWarehouse(async (w) => {
      await sql`update mmm_input_media set spend = -5 where channel = 'social' and week_start = (select min(week_start) from mmm_input_media)`.execute(
        w.db,
      );
    });
    const failure = await workflowFailure((await retrain({ dbtBuild: false })).result());
    expect(failure.type).toBe('DataValidationError');
    expect(failure.nonRetryable).toBe(true);
    expect(failure.message).toMatch(/mmm_input_media\.spend.*negative spend -5/s);
    const { current, runCount } = await harness().withWarehouse(async (w) => ({
      current: await w.currentRun('demo'),
      runCount: (await w.db.selectFrom('mmm_runs').select('run_id').execute()).length,
    }));
    expect(current).toBe(first.runId);
    expect(runCount).toBe(1);
  });

  it('records a fit that fails its diagnostics as a rejected run and keeps the current run', async () => {
    // dbt rebuilds the marts from the raw exports, undoing the corruption above; 2 x 20 draws cannot converge.
    const failure = await workflowFailure((await retrain({ sampler: { chains: 2, warmup: 10, draws: 20, seed: 1 } })).result());
    expect(failure.type).toBe('DiagnosticsFailedError');
    expect(failure.message).toMatch(/failed its diagnostics/);
    const { current, rejected } = await harness().withWarehouse(async (w) => ({
      current: await w.currentRun('demo'),
      rejected: await w.db
        .selectFrom('mmm_runs')
        .select(['run_id', 'status', 'diagnostics', 'published_at'])
        .where('status', '=', 'rejected')
        .execute(),
    }));
    expect(current).toBe(first.runId);
    expect(rejected).toHaveLength(1);
    expect(JSON.parse(rejected[0].diagnostics)).toMatchObject({
      verdict: 'fail',
      rejection: expect.stringMatching(/^DiagnosticsFailedError: /),
    });
    const counts = await harness().withWarehouse((w) => w.countRunRows(rejected[0].run_id));
    expect(Object.values(counts).every((n) => n === 0)).toBe(true);
  });

  it('refuses sampler settings below the user-level limits (warmup 5) at once, typed and not retried, before any activity runs', async () => {
    const handle = await retrain({ sampler: { ...TEST_SAMPLER, warmup: 5 } });
    const failure = await workflowFailure(handle.result());
    expect(failure.type).toBe('ConfigError');
    expect(failure.nonRetryable).toBe(true);
    expect(failure.message).toBe('invalid retrain input: sampler.warmup: Too small: expected number to be >=10');
    const { events } = await handle.fetchHistory();
    expect(events?.filter((event) => event.activityTaskScheduledEventAttributes != null)).toEqual([]);
    expect(events?.filter((event) => event.workflowTaskFailedEventAttributes != null)).toEqual([]);
  });
});
