/**
 * `mmm demo`: the whole product end to end on embedded defaults — a local Temporal dev server and
 * worker, demo raw exports with a known truth, a DuckDB file warehouse — through the same workflows
 * production runs: retrainWorkflow (dbt build -> extract -> validate -> fit -> surface -> publish and
 * promote), then optimizeWorkflow, then planWorkflow for the next quarter at a few budgets (the dashboard's
 * "Next quarter" section picks among them); then a short summary against the truth. Progress is shown throughout.
 */
import { randomUUID } from 'node:crypto';
import { mkdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import type { CliCommand } from '../command.ts';
import { integerFlag, SAMPLER_FLAG_OPTIONS, samplerOverrides } from '../flags.ts';
import { RetrainProgressPrinter } from '../retrain-progress.ts';
import { generateDemoData } from '../../demo-data/generate.ts';
import { formatAmount, formatKeyValues, formatPercent, formatTable } from '../../explore/format.ts';
import type { ActivityEnvironment } from '../../../activities/environment.ts';
import { TASK_QUEUES } from '../../workflow-contracts/contracts.ts';
import { startDevServer } from '../../orchestration/dev-server.ts';
import { followRetrain, runOptimize, runPlan, startRetrain } from '../../orchestration/retrain-client.ts';
import { connectClient, connectWorker } from '../../orchestration/temporal-connection.ts';
import { createMmmWorkers, runWorkers } from '../../orchestration/worker.ts';
import { fitSummarySchema } from '../../run/fit-summary.ts';
import { SUMMARY_FILE } from '../../run/run-directory.ts';
import { openWarehouse } from '../../warehouse/open-warehouse.ts';
import { PROJECT_ROOT } from '../../io/runtime-location.ts';

const usage = `Usage: mmm demo [--dir DIR] [--warmup N] [--draws N] [--seed N] [--ui]

Runs the product end to end on embedded defaults: starts a local Temporal dev server (the temporal CLI)
and a worker, generates three years of raw platform exports with a known truth (DIR/demo), and runs
retrainWorkflow — dbt build into DIR/warehouse.duckdb, extract, validate, fit (examples/demo.json),
the calibrated scenario surface, publish and promote — then optimizeWorkflow for the same budget and
planWorkflow for the next 13 weeks at 80%, 100% and 120% of the reference plan's budget, and compares the
estimates with the truth. Everything is shut down at the end; the dev server also stops
when the demo is interrupted or killed (even with kill -9).

Options:
  --dir DIR      working directory (default .mmm)
  --warmup N     at most N warm-up iterations per chain (default: the config's, 1000)
  --draws N      draws per chain (default: the config's, 1000)
  --seed N       demo data and sampler seed (default 7)
  --ui           start the Temporal web UI too, and keep it up after the demo until Ctrl-C`;

const MODEL_ID = 'demo';
const DEMO_CONFIG = join(PROJECT_ROOT, 'examples', 'demo.json');

const say = (text: string) => process.stdout.write(`${text}\n`);
const stage = (n: number, text: string) => say(`\n[${n}/6] ${text}`);
/** The next quarter's budgets the demo plans, relative to the reference plan's: the dashboard's plan control steps through them. */
const PLAN_BUDGET_LEVELS = [0.8, 1.2] as const;
const PLAN_WEEKS = 13;

export const demoCommand: CliCommand = {
  usage,
  async run(args) {
    const { values } = parseArgs({
      args,
      options: { dir: { type: 'string', default: '.mmm' }, ...SAMPLER_FLAG_OPTIONS, ui: { type: 'boolean', default: false } },
      strict: true,
    });
    const dir = resolve(values.dir);
    const seed = integerFlag('seed', values.seed, 0) ?? 7;
    const started = performance.now();
    mkdirSync(dir, { recursive: true });

    stage(1, 'generating demo raw exports with a known truth');
    const demo = generateDemoData({ outDir: join(dir, 'demo'), seed });
    say(`  ${demo.rawDir} (truth in ${join(dir, 'demo', 'truth.json')})`);

    stage(2, 'starting a local Temporal dev server and a worker');
    const server = await startDevServer({ ui: values.ui });
    const settings = { address: server.address, namespace: 'default', tls: false };
    const warehousePath = join(dir, 'warehouse.duckdb');
    const environment: ActivityEnvironment = {
      warehouse: { engine: 'duckdb', path: warehousePath, schema: 'main' },
      runsDir: join(dir, 'runs'),
      rawDir: demo.rawDir,
      dbtWorkDir: join(dir, 'dbt'),
    };
    const connection = await connectWorker(settings, 'ERROR');
    const workers = await createMmmWorkers({ connection, namespace: settings.namespace, environment, queues: ['io', 'cpu'] });
    const running = runWorkers(workers);
    const client = await connectClient(settings);
    say(`  Temporal ${server.address}${server.uiUrl ? `, web UI ${server.uiUrl}` : ''}; worker on ${TASK_QUEUES.io}, ${TASK_QUEUES.cpu}`);

    try {
      stage(3, 'retrainWorkflow: dbt build -> extract -> validate -> fit -> surface -> publish and promote');
      const handle = await startRetrain(client, {
        modelId: MODEL_ID,
        configPath: DEMO_CONFIG,
        sampler: { seed, ...samplerOverrides(values) },
      });
      const printer = new RetrainProgressPrinter(say);
      const retrain = await followRetrain(client, handle, (progress) => printer.update(progress));
      say(
        `  run ${retrain.runId}: verdict ${retrain.verdict}, calibration k = ${retrain.calibrationFactor.toFixed(4)}, ` +
          `${retrain.scenarios.toLocaleString('en-US')} scenarios, ${retrain.rowsWritten.toLocaleString('en-US')} rows published, current for model '${MODEL_ID}'`,
      );

      stage(4, 'optimizeWorkflow: the best allocation of the same budget, from the stored surface');
      const requestId = `demo-${randomUUID().slice(0, 8)}`;
      const optimized = await runOptimize(client, { modelId: MODEL_ID, requestId });
      say(`  ${optimized.rows} rows in ${optimized.table} (request ${requestId})`);

      stage(5, `planWorkflow: the next ${PLAN_WEEKS} weeks at 80%, 100% and 120% of the reference plan's budget`);
      const plan = (budget?: number) =>
        runPlan(client, { modelId: MODEL_ID, planId: `demo-${randomUUID().slice(0, 8)}`, settings: { weeks: PLAN_WEEKS }, budget });
      // The reference budget first (the default): the other levels scale it.
      const reference = await plan();
      const planned = [reference];
      for (const level of PLAN_BUDGET_LEVELS) planned.push(await plan(reference.budget * level));
      for (const p of planned) {
        say(
          `  ${p.horizonStart}..${p.horizonEnd}, budget ${formatAmount(p.budget)}: expected outcome ${formatAmount(p.outcomeMean)} ` +
            `(90% ${formatAmount(p.outcomeP05)}..${formatAmount(p.outcomeP95)}), ${p.rows.mmm_plan_weekly} rows in mmm_plan_weekly (plan ${p.planId})`,
        );
      }

      stage(6, 'summary');
      const summary = fitSummarySchema.parse(JSON.parse(readFileSync(join(environment.runsDir, retrain.runId, SUMMARY_FILE), 'utf8')));
      const warehouse = await openWarehouse(environment.warehouse);
      const recommended = await warehouse.db
        .selectFrom('mmm_recommendations')
        .select(['channel', 'spend', 'delta_vs_current'])
        .where('request_id', '=', requestId)
        .where('rank', '=', 1)
        .orderBy('channel')
        .execute();
      await warehouse.close();
      const truth = new Map(demo.truth.channels.map((c) => [c.channel, c.roi]));
      const channelRows = [...summary.channels]
        .sort((a, b) => b.roi.mean - a.roi.mean)
        .map((c) => {
          const t = truth.get(c.name) ?? Number.NaN;
          return [
            c.name,
            c.roi.mean.toFixed(2),
            `${c.roi.p05.toFixed(2)}..${c.roi.p95.toFixed(2)}`,
            t.toFixed(2),
            c.roi.p05 <= t && t <= c.roi.p95 ? 'yes' : 'no',
          ];
        });
      const planRows = recommended.map((row) => {
        const current = row.spend - row.delta_vs_current;
        return [
          row.channel,
          formatAmount(current),
          formatAmount(row.spend),
          formatPercent(current > 0 ? row.delta_vs_current / current : 0),
        ];
      });
      say(
        [
          'Channels by ROI (posterior mean, 90% interval) against the demo truth:',
          formatTable(['channel', 'ROI', '90% interval', 'true ROI', 'truth inside'], channelRows),
          '',
          'Recommended reallocation of the same budget:',
          formatTable(['channel', 'current', 'recommended', 'change'], planRows),
          formatKeyValues([
            [
              'expected outcome',
              `${formatAmount(optimized.expectedOutcome)} vs ${formatAmount(optimized.currentOutcome)} for the current mix`,
            ],
            ['P(beats current)', formatPercent(optimized.pBeatsCurrent)],
            ['warehouse', `${warehousePath} (tables mmm_*, views v_*)`],
            ['dashboard', `node bin/mmm.js dashboard --dir ${dir}`],
            ['run directory', join(environment.runsDir, retrain.runId)],
            ['total time', `${((performance.now() - started) / 1000).toFixed(0)} s`],
          ]),
        ].join('\n'),
      );
      if (server.uiUrl) {
        say(`\nTemporal web UI: ${server.uiUrl} (Ctrl-C to stop)`);
        await new Promise<void>((done) => process.once('SIGINT', () => done()));
      }
      return 0;
    } finally {
      for (const worker of workers) worker.shutdown();
      await running;
      await client.connection.close();
      await connection.close();
      await server.stop();
    }
  },
};
