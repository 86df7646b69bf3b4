/**
 * Acceptance (issue 11, item 2): a marketer's own daily export — US dates, thousands separators and
 * currency symbols, spaces in the column names, a KPI with a trend — goes `mmm init` -> `mmm fit` ->
 * `mmm publish` -> `mmm dashboard --export`, three commands after init, through the real binary. The fit
 * must pass its gates with the config init wrote (the default model, trend included) and the exported
 * page must show the published run. Whether the intervals cover the truth is the default-model study's
 * question (test/bench/default-model-study.bench.ts), not one dataset's.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { fitSummarySchema } from '../../src/run/fit-summary.ts';
import { marketerDailyExport } from './support/marketer-daily-export.ts';
import { runMmm } from '../support/run-mmm.ts';

const dir = mkdtempSync(join(tmpdir(), 'mmm-own-data-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("a marketer's daily export, end to end", () => {
  const data = join(dir, 'Weekly Export (US).csv');
  const config = join(dir, 'config.json');
  const run = join(dir, 'run');
  const warehouse = join(dir, 'warehouse.duckdb');
  const page = join(dir, 'dashboard.html');
  writeFileSync(data, marketerDailyExport({ weeks: 104, seed: 5 }));

  it('mmm init guesses the config: US dates, daily rows, the KPI and three channels', async () => {
    const result = await runMmm(['init', '--data', data, '--out', config]);
    expect(result.status, result.stderr).toBe(0);
    expect(result.stdout).toContain('dates MM/DD/YYYY (detected), daily rows (detected)');
    const written = JSON.parse(readFileSync(config, 'utf8'));
    expect(written.data.kpi).toBe('Sales');
    expect(written.data.channels.map((c: { name: string }) => c.name).sort()).toEqual(['google_ads', 'meta', 'tv']);
    expect(written.model?.knots).toBeUndefined();
  });

  it('mmm fit passes its gates with the default model', async () => {
    const result = await runMmm([
      'fit',
      '--data',
      data,
      '--config',
      config,
      '--out',
      run,
      '--chains',
      '4',
      '--warmup',
      '500',
      '--draws',
      '500',
      '--seed',
      '2',
    ]);
    expect(result.status, `${result.stdout}\n${result.stderr}`).toBe(0);
    const summary = fitSummarySchema.parse(JSON.parse(readFileSync(join(run, 'summary.json'), 'utf8')));
    expect(summary.diagnostics.verdict).not.toBe('fail');
    // A national fit also runs its forecast backtest of the last 13 weeks, in summary.json and the printed table.
    expect(summary.forecastBacktest).toMatchObject({ status: 'done', weeks: 13, window: { end: summary.outcome.end } });
    expect(result.stdout).toMatch(/forecast backtest +\d+ of 13 weeks/);
    console.log(
      `fit: verdict ${summary.diagnostics.verdict}, max R-hat ${summary.diagnostics.maxRhat?.toFixed(3)}, divergences ${summary.diagnostics.divergences}; ` +
        `ROI ${summary.channels.map((c) => `${c.name} ${c.roi.mean.toFixed(2)} [${c.roi.p05.toFixed(2)}, ${c.roi.p95.toFixed(2)}]`).join(', ')}`,
    );
  });

  it('mmm publish writes and promotes it; mmm dashboard --export shows it', async () => {
    const published = await runMmm(['publish', '--run', run, '--model', 'own-data', '--warehouse', warehouse]);
    expect(published.status, published.stderr).toBe(0);
    const runId = /run (\S+) of model 'own-data'/.exec(published.stdout)?.[1];
    expect(runId).toBeDefined();
    expect(published.stdout).toContain('promoted to current');
    const exported = await runMmm(['dashboard', '--warehouse', warehouse, '--export', page]);
    expect(exported.status, exported.stderr).toBe(0);
    expect(exported.stdout).toContain(`dashboard of model 'own-data', run ${runId}`);
    const html = readFileSync(page, 'utf8');
    expect(html).toContain(runId);
    for (const channel of ['google_ads', 'meta', 'tv']) expect(html).toContain(channel);
  });
});
