/**
 * `mmm demo`: the whole job end to end on embedded defaults — demo raw exports with a known truth ->
 * dbt build into a DuckDB file -> extract -> fit -> scenario surface -> optimizer -> publish and
 * promote -> a short summary. Every stage prints what it does; the fit shows a progress bar.
 */
import { randomUUID } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { UsageError, type CliCommand } from '../command.ts';
import { formatFitSummary } from '../format-fit-summary.ts';
import { SamplerProgressBar } from '../progress-bar.ts';
import { loadResponseSource } from '../../analysis/mmm-response-source.ts';
import { loadConfig } from '../../config/load-config.ts';
import { generateDemoData } from '../../demo-data/generate.ts';
import { formatAmount, formatKeyValues, formatPercent, formatTable } from '../../explore/format.ts';
import { optimize } from '../../explore/optimizer.ts';
import { recommendationRows } from '../../explore/rows.ts';
import { fitMmm } from '../../fit/fit-mmm.ts';
import { assembleRunResults } from '../../run/publishable-run.ts';
import { writeFitRun } from '../../run/run-directory.ts';
import { buildSurfaceRun, loadSurfaceRun } from '../../surface/surface-run.ts';
import { runDbt } from '../../warehouse/dbt-runner.ts';
import { extractSpecFromConfig } from '../../warehouse/extract.ts';
import { openWarehouse, type WarehouseConfig } from '../../warehouse/open-warehouse.ts';

const usage = `Usage: mmm demo [--dir DIR] [--draws N] [--warmup N] [--seed N]

Runs the product end to end on embedded defaults: generates three years of realistic raw platform
exports with a known truth (DIR/demo), builds the dbt project into DIR/warehouse.duckdb, extracts the
model input, fits the model (examples/demo.json), builds the calibrated scenario surface, optimizes the
budget, publishes every table and promotes the run, then compares the estimates with the truth.

Options:
  --dir DIR      working directory (default .mmm)
  --warmup N     warm-up iterations per chain (default 1000)
  --draws N      draws per chain (default 1000)
  --seed N       demo data and sampler seed (default 7)`;

const MODEL_ID = 'demo';
const DEMO_CONFIG = new URL('../../../examples/demo.json', import.meta.url).pathname;

const stage = (n: number, text: string) => process.stdout.write(`\n[${n}/7] ${text}\n`);

export const demoCommand: CliCommand = {
  name: 'demo',
  summary: 'run the whole pipeline end to end on demo data (DuckDB, dbt, fit, surface, optimizer)',
  usage,
  async run(args) {
    const { values } = parseArgs({ args, options: { dir: { type: 'string', default: '.mmm' }, warmup: { type: 'string' }, draws: { type: 'string' }, seed: { type: 'string' } }, strict: true });
    const count = (name: string, value: string | undefined, fallback: number) => {
      if (value === undefined) return fallback;
      const n = Number(value);
      if (!Number.isInteger(n) || n < 1) throw new UsageError(`--${name} must be a positive integer, got '${value}'`);
      return n;
    };
    const dir = resolve(values.dir);
    const seed = count('seed', values.seed, 7);
    const started = performance.now();
    mkdirSync(dir, { recursive: true });

    stage(1, 'generating demo raw exports with a known truth');
    const demo = generateDemoData({ outDir: join(dir, 'demo'), seed });
    process.stdout.write(`  ${join(dir, 'demo', 'raw')} (truth in ${join(dir, 'demo', 'truth.json')})\n`);

    stage(2, 'dbt build: raw exports -> staging -> intermediate -> marts (DuckDB)');
    const warehouse: WarehouseConfig = { engine: 'duckdb', path: join(dir, 'warehouse.duckdb'), schema: 'main' };
    const dbt = await runDbt({ args: ['build'], warehouse, rawDir: demo.rawDir, workDir: join(dir, 'dbt'), onLine: (line) => {
      if (/\b(OK|PASS|ERROR|FAIL|WARN)\b/.test(line)) process.stdout.write(`  ${line.replace(/^\S+\s+/, '')}\n`);
    } });
    process.stdout.write(`  dbt build: ${Object.entries(dbt.counts).map(([status, n]) => `${n} ${status}`).join(", ")}\n`);

    stage(3, 'extracting the model input from the marts');
    const config = loadConfig(DEMO_CONFIG);
    config.sampler = { ...config.sampler, seed, warmup: count('warmup', values.warmup, config.sampler.warmup), draws: count('draws', values.draws, config.sampler.draws) };
    let db = await openWarehouse(warehouse);
    await db.migrate();
    const panel = await db.extract(extractSpecFromConfig(config));
    await db.close();
    process.stdout.write(`  ${panel.geos.length} geos (${panel.geos.join(', ')}) x ${panel.dates.length} weeks (${panel.dates[0]}..${panel.dates[panel.dates.length - 1]}), channels ${panel.channels.join(', ')}\n`);

    stage(4, `fitting the Bayesian MMM (${config.sampler.chains} chains x ${config.sampler.warmup} warm-up + ${config.sampler.draws} draws)`);
    const runId = `demo-${new Date().toISOString().replace(/[-:.TZ]/g, '').slice(0, 14)}-${randomUUID().slice(0, 8)}`;
    const runDir = join(dir, 'runs', runId);
    const createdAt = new Date().toISOString();
    const bar = new SamplerProgressBar(config.sampler.chains, config.sampler.warmup + config.sampler.draws, process.stdout);
    const fit = await fitMmm(panel, config, { onProgress: (p) => bar.update(p) });
    bar.finish();
    const summary = writeFitRun(runDir, panel, fit);
    process.stdout.write(`${formatFitSummary(summary)}\n`);
    if (fit.diagnostics.verdict === 'fail') {
      process.stderr.write(`mmm demo: the fit failed its diagnostics; nothing is published (${summary.diagnostics.reasons.join('; ')})\n`);
      return 3;
    }

    stage(5, 'building the calibrated scenario surface');
    const surface = await buildSurfaceRun(await loadResponseSource(runDir), runDir, { runId });
    process.stdout.write(`  ${surface.scenarios} scenarios, calibration k = ${surface.calibration.factor.toFixed(4)} over ${surface.calibration.window.start}..${surface.calibration.window.end}\n`);

    stage(6, 'optimizing the budget (exact optimum on the spend grid, same total as history)');
    const run = await loadSurfaceRun(runDir);
    const result = optimize(run, {});
    const { curves } = run;
    const requestedAt = new Date().toISOString();
    const recommendations = recommendationRows({ requestId: `${runId}-default`, runId, requestedAt, constraints: { budget: curves.totalHistoricalSpend } }, curves.channels, curves.historicalSpend, [result.plan]);

    stage(7, 'publishing every table and promoting the run');
    db = await openWarehouse(warehouse);
    const results = await assembleRunResults(runDir, { runId, modelId: MODEL_ID, createdAt, finishedAt: new Date().toISOString() });
    const report = await db.publish(results, { promote: true });
    await db.writeRecommendations(recommendations);
    await db.close();
    const rowCount = Object.values(report.rows).reduce((a, b) => a + b, 0);
    process.stdout.write(`  ${rowCount} rows in ${Object.keys(report.rows).length} tables; run ${runId} is current for model '${MODEL_ID}'\n`);

    const truth = new Map(demo.truth.channels.map((c) => [c.channel, c.roi]));
    const channelRows = [...summary.channels].sort((a, b) => b.roi.mean - a.roi.mean).map((c) => {
      const t = truth.get(c.name) ?? NaN;
      return [c.name, c.roi.mean.toFixed(2), `${c.roi.p05.toFixed(2)}..${c.roi.p95.toFixed(2)}`, t.toFixed(2), c.roi.p05 <= t && t <= c.roi.p95 ? 'yes' : 'no'];
    });
    const plan = result.plan;
    const planRows = curves.channels.map((channel, c) => [channel, formatAmount(curves.historicalSpend[c]), formatAmount(plan.spend[c]), formatPercent(plan.spend[c] / curves.historicalSpend[c] - 1)]);
    process.stdout.write([
      '',
      'Channels by ROI (posterior mean, 90% interval) against the demo truth:',
      formatTable(['channel', 'ROI', '90% interval', 'true ROI', 'truth inside'], channelRows),
      '',
      'Recommended reallocation of the same budget:',
      formatTable(['channel', 'current', 'recommended', 'change'], planRows),
      formatKeyValues([
        ['expected outcome', `${formatAmount(plan.score.outcome.mean)} vs ${formatAmount(result.current.score.outcome.mean)} for the current mix`],
        ['P(beats current)', formatPercent(plan.score.pBeatsCurrent)],
        ['warehouse', `${warehouse.path} (views v_current_*, tables mmm_*)`],
        ['run directory', runDir],
        ['total time', `${((performance.now() - started) / 1000).toFixed(0)} s`],
      ]),
      '',
    ].join('\n'));
    return 0;
  },
};
