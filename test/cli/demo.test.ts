/**
 * The demo end to end, as `npm run demo` runs it (shorter chains): a local Temporal dev server and worker,
 * retrainWorkflow (raw exports -> dbt -> DuckDB marts -> extract -> validate -> fit -> surface -> publish +
 * promote), optimizeWorkflow and planWorkflow for the next quarter at three budgets. Checks the progress shown and the warehouse a BI user would query.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { openWarehouse } from '../../src/warehouse/open-warehouse.ts';
import { CURRENT_VIEWS, OPTIONAL_RUN_TABLES, RUN_TABLE_NAMES, type RunTable } from '../../src/warehouse/tables.ts';
import { runMmm } from '../support/run-mmm.ts';

describe('mmm demo', () => {
  it('publishes and promotes a run whose tables and current views are filled', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mmm-demo-'));
    const result = await runMmm(['demo', '--dir', dir, '--warmup', '400', '--draws', '400']);
    expect(result.status, result.stderr).toBe(0);
    expect(result.stderr).toBe('');
    for (const line of [
      /\[2\/6\] starting a local Temporal dev server/,
      /\] dbt build: raw exports/,
      /\] fitting the Bayesian MMM/,
      /\]\s+fit \d+% \(\d+\/3200 iterations/,
      /\] building the calibrated scenario surface/,
      /\] publishing every table/,
      /current for model 'demo'/,
      /rows in mmm_recommendations/,
      /\] planWorkflow: the next 13 weeks/,
      /rows in mmm_plan_weekly/,
      /against the demo truth/,
      /P\(beats current\)/,
    ])
      expect(result.stdout).toMatch(line);

    const warehouse = await openWarehouse({ engine: 'duckdb', path: join(dir, 'warehouse.duckdb'), schema: 'main' });
    try {
      const runId = await warehouse.currentRun('demo');
      expect(runId).toMatch(/^demo-/);
      const counts = await warehouse.countRunRows(runId!);
      for (const table of RUN_TABLE_NAMES.filter((t) => !OPTIONAL_RUN_TABLES.has(t))) expect(counts[table], table).toBeGreaterThan(0);
      const filledViews = Object.entries(CURRENT_VIEWS).filter(([, table]) => !OPTIONAL_RUN_TABLES.has(table as RunTable));
      for (const [view] of filledViews) {
        const { rows } = await sql<{ n: number }>`select count(*) as n from ${sql.table(view)}`.execute(warehouse.db);
        expect(Number(rows[0].n), view).toBeGreaterThan(0);
      }
      const channels = await warehouse.db.selectFrom('v_current_channel_summary').select(['channel', 'roi_mean']).execute();
      expect(channels.map((c) => c.channel).sort()).toEqual(['display', 'search', 'social', 'tv', 'video']);
      const recommended = await warehouse.db
        .selectFrom('mmm_recommendations')
        .select(['run_id', 'channel'])
        .where('rank', '=', 1)
        .execute();
      expect(recommended.map((r) => r.run_id)).toEqual(new Array(5).fill(runId));
      // The next quarter at 80%, 100% and 120% of the reference plan's budget, each with 13 weeks of the total forecast.
      const plans = await warehouse.db
        .selectFrom('v_bi_plan_scenarios')
        .select(['plan_id', 'run_id', 'total_spend', 'horizon_weeks'])
        .where('scenario', '=', 'plan')
        .orderBy('total_spend')
        .execute();
      expect(plans.map((p) => [p.run_id, p.horizon_weeks])).toEqual(new Array(3).fill([runId, 13]));
      expect(plans[0].total_spend / plans[1].total_spend).toBeCloseTo(0.8, 6);
      expect(plans[2].total_spend / plans[1].total_spend).toBeCloseTo(1.2, 6);
      const totals = await warehouse.db.selectFrom('v_bi_plan_weekly').select('plan_id').where('series_type', '=', 'total').execute();
      expect(totals.length).toBe(3 * 13);
    } finally {
      await warehouse.close();
    }
  }, 600_000);
});
