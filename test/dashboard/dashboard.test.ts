/**
 * `mmm dashboard` over a warehouse filled by a real `mmm demo` run, in Chromium (playwright-core with
 * Debian's /usr/bin/chromium): the served page draws every chart with data and its channel and budget
 * controls update the charts, each channel's evidence and the demo's lift tests are shown, the market view says the national demo has no markets, the "Next quarter" section shows the demo's plans and its budget control
 * switches between them; the exported page renders from a file with every network request blocked.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { dashboardDataSchema } from '../../src/dashboard/dashboard-data.ts';
import { DEMO_TIMEOUT_MS, type DemoWarehouse, populateDemoWarehouse } from '../support/demo-warehouse.ts';
import {
  ARTIFACTS,
  type HeadlessChromium,
  launchChromium,
  markCounts,
  MMM_DASHBOARD as MMM,
  serveDashboard,
  type ServedDashboard,
} from './support/browser.ts';

const CHARTS = ['roi', 'reallocation', 'contributions', 'response-curves', 'frontier', 'allocation', 'plan-forecast', 'plan-spend'];

/** Every chart drew marks that cover a real area of its SVG. */
async function expectChartsDrawn(page: Page): Promise<void> {
  await page.waitForSelector('body[data-state="ready"]', { timeout: 60_000 });
  for (const chart of CHARTS) {
    expect(await page.getAttribute(`#chart-${chart}`, 'data-state'), chart).toBe('rendered');
    const counts = await markCounts(page, chart);
    expect(
      Object.values(counts).reduce((a, b) => a + b, 0),
      `${chart} ${JSON.stringify(counts)}`,
    ).toBeGreaterThan(0);
    const box = await page.$$eval(`#chart-${chart} g.role-mark > *`, (items) => {
      const boxes = items.map((item) => (item as SVGGraphicsElement).getBoundingClientRect()).filter((b) => b.width > 0 || b.height > 0);
      return boxes.length === 0
        ? { width: 0, height: 0 }
        : {
            width: Math.max(...boxes.map((b) => b.right)) - Math.min(...boxes.map((b) => b.left)),
            height: Math.max(...boxes.map((b) => b.bottom)) - Math.min(...boxes.map((b) => b.top)),
          };
    });
    expect(box.width, `${chart} marks width`).toBeGreaterThan(100);
    expect(box.height, `${chart} marks height`).toBeGreaterThan(50);
  }
}

/** Spend of each bar of the allocation chart, from the bars' accessible labels. */
async function allocationSpend(page: Page): Promise<number> {
  const labels = await page.$$eval('#chart-allocation g.mark-rect.role-mark > path', (bars) =>
    bars.map((b) => b.getAttribute('aria-label') ?? ''),
  );
  return labels
    .map((label) => /optimal spend: ([\d,]+)/.exec(label)?.[1])
    .filter((v): v is string => v !== undefined)
    .reduce((sum, v) => sum + Number(v.replaceAll(',', '')), 0);
}

/** Total spend of the weekly spend chart's bars, from their accessible labels. */
async function plannedSpend(page: Page): Promise<number> {
  const labels = await page.$$eval('#chart-plan-spend g.mark-rect.role-mark > path', (bars) =>
    bars.map((b) => b.getAttribute('aria-label') ?? ''),
  );
  return labels
    .map((label) => /planned spend: ([\d,]+)/.exec(label)?.[1])
    .filter((v): v is string => v !== undefined)
    .reduce((sum, v) => sum + Number(v.replaceAll(',', '')), 0);
}

/** The visible plan table's budget and its rows' channels. */
async function shownPlan(page: Page): Promise<{ budget: string; channels: string[] }> {
  return page.$eval('#next-quarter .plan:not([hidden])', (plan) => ({
    budget: plan.querySelector('.plan-budget')?.textContent ?? '',
    channels: [...plan.querySelectorAll('tr[data-channel-row]')].map((row) => (row as HTMLElement).dataset.channelRow ?? ''),
  }));
}

describe('mmm dashboard in Chromium', () => {
  let demo: DemoWarehouse;
  let server: ServedDashboard;
  let exported: string;
  let browser: HeadlessChromium;
  let context: BrowserContext;

  beforeAll(async () => {
    // The demo's own chain lengths (examples/demo.json), so that the model-health card shows what `npm run demo` shows.
    demo = await populateDemoWarehouse({ warmup: 1000, draws: 1000 });
    exported = join(demo.dir, 'export', 'dashboard.html');
    await promisify(execFile)(process.execPath, [...MMM, '--dir', demo.dir, '--export', exported], { encoding: 'utf8' });
    server = await serveDashboard(demo.dir);
    browser = await launchChromium();
    context = browser.context;
  }, DEMO_TIMEOUT_MS);

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    demo?.remove();
  });

  test('the served page reads the current run and draws every chart with data', async () => {
    const data = dashboardDataSchema.parse(await (await fetch(new URL('data.json', server.url))).json());
    expect(data.run.run_id).toBe(demo.runId);
    expect(data.channels.map((c) => c.channel).sort()).toEqual(demo.summary.channels.map((c) => c.name).sort());

    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    await page.goto(server.url);
    await expectChartsDrawn(page);
    expect(errors).toEqual([]);
    const C = demo.summary.channels.length;
    // ROI and mROI: a point and an interval per channel in each panel (plus the two ROI = 1 rules).
    expect(await markCounts(page, 'roi')).toEqual({ symbol: 2 * C, rule: 2 * C + 2 });
    expect((await markCounts(page, 'response-curves')).line).toBe(C);
    expect(await page.textContent('header')).toContain(demo.runId);
    // The demo's default configuration passes its diagnostics (issue 13), and the model-health card says so.
    expect(demo.summary.diagnostics.reasons).toEqual([]);
    expect(demo.summary.diagnostics.verdict).toBe('pass');
    expect(await page.textContent('#model-health .verdict')).toBe('PASS');
    // Evidence (issue 17): every channel's contraction and label as summary.json has them, shown on the page;
    // the demo's two lift tests beside the model's implied outcome, their channels informed by the data.
    for (const c of demo.summary.channels) {
      const row = page.locator(`#evidence tr[data-evidence-row="${c.name}"]`);
      expect(await row.isVisible(), c.name).toBe(true);
      expect(c.evidence, c.name).toBeDefined();
      expect(await row.locator('.evidence-label').textContent()).toBe(c.evidence?.label);
      expect(await row.locator('td').nth(2).textContent()).toBe(c.evidence?.contraction.toFixed(2));
    }
    const tests = demo.summary.experiments ?? [];
    expect(tests).toHaveLength(2);
    for (const t of tests) {
      const row = page.locator(`#experiments tr[data-experiment-row="${t.id}"]`);
      expect(await row.isVisible(), t.id).toBe(true);
      expect(await row.locator('td').nth(1).textContent()).toBe(t.channel);
      expect(await page.textContent(`#evidence tr[data-evidence-row="${t.channel}"] .evidence-label`)).toBe('informed by the data');
    }
    // The demo's model is national: the market view says why it has nothing to show, and offers no geo group.
    expect(await page.textContent('#markets .empty')).toContain("This run's model is national");
    expect(await page.$('#geo-group-select')).toBeNull();
    mkdirSync(ARTIFACTS, { recursive: true });
    await page.screenshot({ path: join(ARTIFACTS, 'dashboard.png'), fullPage: true });
    await page.close();
  });

  test('choosing a channel isolates it; moving the budget control re-plans the allocation', async () => {
    const page = await context.newPage();
    await page.goto(server.url);
    await page.waitForSelector('body[data-state="ready"]');
    const C = demo.summary.channels.length;
    expect(await markCounts(page, 'response-curves')).toMatchObject({ line: C, symbol: C });
    expect((await markCounts(page, 'response-curves')).area ?? 0).toBe(0);

    await page.selectOption('#channel-select', 'tv');
    await page.waitForSelector('body[data-state="ready"]');
    // One curve with its 90% band and its current-spend point.
    expect(await markCounts(page, 'response-curves')).toMatchObject({ line: 1, area: 1, symbol: 1 });
    expect(await page.getAttribute('tr[data-channel-row="tv"]', 'class')).toBe('selected');

    const data = dashboardDataSchema.parse(await (await fetch(new URL('data.json', server.url))).json());
    const budgets = data.frontier
      .filter((p) => p.plan_type === 'optimal')
      .map((p) => p.total_spend)
      .sort((a, b) => a - b);
    const historical = demo.summary.channels.reduce((s, c) => s + c.spend, 0);
    // Labels round each bar to a whole unit.
    expect(Math.abs((await allocationSpend(page)) - historical)).toBeLessThanOrEqual(C);
    await page.focus('#budget-range');
    await page.keyboard.press('End');
    await page.waitForSelector('body[data-state="ready"]');
    expect(Math.abs((await allocationSpend(page)) - budgets[budgets.length - 1])).toBeLessThanOrEqual(C);
    expect(await page.textContent('#budget-readout')).toMatch(/\(200% of current\)/);
    await page.screenshot({ path: join(ARTIFACTS, 'dashboard-tv-max-budget.png'), fullPage: true });
    await page.close();
  });

  test('the next-quarter section shows the demo plans; its budget control switches the forecast, spend and table', async () => {
    const data = dashboardDataSchema.parse(await (await fetch(new URL('data.json', server.url))).json());
    const plans = data.nextQuarter.plans;
    // The demo answers the next 13 weeks at 80%, 100% and 120% of the reference budget.
    expect(plans.map((p) => p.horizon_weeks)).toEqual([13, 13, 13]);
    expect(plans.every((p) => p.horizon_start > data.run.data_end)).toBe(true);
    const C = demo.summary.channels.length;
    const page = await context.newPage();
    await page.goto(server.url);
    await page.waitForSelector('body[data-state="ready"]');
    expect(await page.textContent('#next-quarter h2')).toBe('Next quarter');
    // The forecast: a 13-week band (one area) and the expected line with its weekly points.
    expect(await markCounts(page, 'plan-forecast')).toMatchObject({ area: 1, line: 1, symbol: 13 });
    expect(await markCounts(page, 'plan-spend')).toEqual({ rect: 13 * C });
    expect(await page.$$eval('#next-quarter .plan:not([hidden])', (shown) => shown.length)).toBe(1);
    const opening = await shownPlan(page);
    expect(opening.channels.sort()).toEqual(demo.summary.channels.map((c) => c.name).sort());
    expect(await page.textContent('#plan-readout')).toMatch(/\(100% of the reference plan\)/);
    // Bars' labels are whole units: the week-by-week spend adds up to the plan's budget.
    expect(Math.abs((await plannedSpend(page)) - plans[1].total_spend)).toBeLessThanOrEqual(13 * C);
    const forecastBefore = await page.$$eval('#chart-plan-forecast g.mark-area path', (paths) => paths.map((p) => p.getAttribute('d')));

    await page.focus('#plan-range');
    await page.keyboard.press('End');
    await page.waitForSelector('body[data-state="ready"]');
    expect(await page.textContent('#plan-readout')).toMatch(/\(120% of the reference plan\)/);
    expect(Math.abs((await plannedSpend(page)) - plans[2].total_spend)).toBeLessThanOrEqual(13 * C);
    expect(plans[2].total_spend).toBeGreaterThan(plans[1].total_spend * 1.15);
    const highest = await shownPlan(page);
    expect(highest.budget).not.toBe(opening.budget);
    expect(Number(highest.budget.replaceAll(',', ''))).toBeCloseTo(plans[2].total_spend, -1);
    expect(await page.$$eval('#chart-plan-forecast g.mark-area path', (paths) => paths.map((p) => p.getAttribute('d')))).not.toEqual(
      forecastBefore,
    );
    await page.screenshot({ path: join(ARTIFACTS, 'dashboard-next-quarter-120.png'), fullPage: true });
    await page.close();
  });

  test('the exported page renders offline: no request leaves the file', async () => {
    const page = await context.newPage();
    const attempted: string[] = [];
    await page.route('**/*', async (route) => {
      const url = route.request().url();
      if (url.startsWith('file://')) return route.continue();
      attempted.push(url);
      return route.abort();
    });
    await page.goto(`file://${exported}`);
    await expectChartsDrawn(page);
    expect(attempted).toEqual([]);
    expect(await page.textContent('header')).toContain(demo.runId);
    await page.close();
  });
});

describe('mmm dashboard arguments', () => {
  const mmm = (args: string[]) =>
    promisify(execFile)(process.execPath, [...MMM, ...args], { encoding: 'utf8' }).then(
      () => ({ code: 0, stderr: '' }),
      (error: { code: number; stderr: string }) => ({ code: error.code, stderr: error.stderr }),
    );

  test('refuses --dir with --warehouse, a bad port and a missing warehouse file without creating it', async () => {
    expect(await mmm(['--dir', 'a', '--warehouse', 'b.duckdb'])).toMatchObject({
      code: 2,
      stderr: expect.stringMatching(/give --dir or --warehouse, not both/),
    });
    expect(await mmm(['--port', '70000'])).toMatchObject({
      code: 2,
      stderr: expect.stringMatching(/--port must be an integer from 0 to 65535, got '70000'/),
    });
    const missing = join(mkdtempSync(join(tmpdir(), 'mmm-dashboard-')), 'nowhere');
    expect(await mmm(['--dir', missing])).toMatchObject({
      code: 1,
      stderr: expect.stringMatching(/DashboardDataError: no DuckDB warehouse at .*nowhere\/warehouse\.duckdb/),
    });
    expect(existsSync(missing)).toBe(false);
  });
});
