/**
 * The dashboard's market view (issue 15, acceptance 5) in Chromium, over a DuckDB warehouse holding a real geo
 * model's current run (test/support/geo-warehouse.ts: a short 4-geo fit published by `mmm publish`, and a plan by
 * market written by the optimize workflow's activity), served by `mmm dashboard --geo-groups`: the view renders
 * the run's (geo, channel) pairs and the recommended shifts; choosing a geo group changes the rows, the chart and
 * the totals shown; the table sorts by a column.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { dashboardDataSchema } from '../../src/dashboard/dashboard-data.ts';
import { GEO_WAREHOUSE_TIMEOUT_MS, type GeoWarehouse, MERIDIAN_GEO_GROUPS, populateGeoWarehouse } from '../support/geo-warehouse.ts';
import { ARTIFACTS, type HeadlessChromium, launchChromium, markCounts, serveDashboard, type ServedDashboard } from './support/browser.ts';

/** The geo of each shown row of the pair table, in page order. */
const shownPairGeos = (page: Page): Promise<string[]> =>
  page.$$eval('#market-table tbody tr:not([hidden])', (rows) => rows.map((row) => (row as HTMLElement).dataset.geo ?? ''));

describe('the market view of a geo model in Chromium', () => {
  let geo: GeoWarehouse;
  let server: ServedDashboard;
  let browser: HeadlessChromium;

  beforeAll(async () => {
    geo = await populateGeoWarehouse();
    server = await serveDashboard(geo.dir, ['--geo-groups', MERIDIAN_GEO_GROUPS]);
    browser = await launchChromium();
  }, GEO_WAREHOUSE_TIMEOUT_MS);

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    geo?.remove();
  });

  test('renders every (geo, channel) pair and the shifts; a geo group narrows rows, chart and totals to its geos', async () => {
    const data = dashboardDataSchema.parse(await (await fetch(new URL('data.json', server.url))).json());
    expect(data.run.run_id).toBe(geo.runId);
    const pairs = data.markets.pairs;
    const geos = [...new Set(pairs.map((p) => p.geo))];
    expect(geos).toEqual(['Geo0', 'Geo1', 'Geo2', 'Geo3']);
    expect(pairs).toHaveLength(20);
    expect(data.markets.plan.map((r) => r.request_id)).toEqual(Array(20).fill(geo.optimum.requestId));

    const page = await browser.context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    await page.goto(server.url);
    await page.waitForSelector('body[data-state="ready"]', { timeout: 60_000 });
    expect(await page.getAttribute('#chart-markets', 'data-state')).toBe('rendered');
    // One cell per pair, and one row per pair holding its mROI interval as published.
    expect(await markCounts(page, 'markets')).toEqual({ rect: 20 });
    expect((await shownPairGeos(page)).sort()).toEqual(pairs.map((p) => p.geo).sort());
    const best = pairs.find((p) => p.mroi_rank === 1);
    const firstRow = page.locator('#market-table tbody tr').first();
    expect(await firstRow.getAttribute('data-market-row')).toBe(`${best?.geo}/${best?.channel}`);
    expect(await firstRow.locator('td').nth(4).textContent()).toBe(
      `${best?.mroi_mean.toFixed(2)} (${best?.mroi_p05.toFixed(2)}–${best?.mroi_p95.toFixed(2)})`,
    );
    // The shifts between markets: a row per geo, moving budget between them at the same total.
    expect(await page.$$eval('#market-shifts tbody tr:not([hidden])', (rows) => rows.length)).toBe(4);
    expect(await page.textContent('#card-market-shifts')).toContain(`Request ${geo.optimum.requestId}`);
    const changes = await page.$$eval('#market-shifts tbody tr', (rows) =>
      rows.map((row) => row.querySelectorAll('td')[3].textContent ?? ''),
    );
    expect(changes.some((c) => c.startsWith('+') && c !== '+0')).toBe(true);
    expect(changes.some((c) => c.startsWith('−'))).toBe(true);
    const allReadout = await page.textContent('#geo-group-readout');
    expect(allReadout).toMatch(/^4 geos: spend /);
    mkdirSync(ARTIFACTS, { recursive: true });
    await page.screenshot({ path: join(ARTIFACTS, 'dashboard-markets.png'), fullPage: true });

    // Region North-East holds Geo0 alone (test/fixtures/data/meridian-geo-groups.csv).
    await page.selectOption('#geo-group-select', 'region:North-East');
    await page.waitForFunction(() => document.querySelectorAll('#market-table tbody tr:not([hidden])').length === 5);
    await page.waitForSelector('body[data-state="ready"]');
    expect(await shownPairGeos(page)).toEqual(Array(5).fill('Geo0'));
    expect(await markCounts(page, 'markets')).toEqual({ rect: 5 });
    expect(
      await page.$$eval('#market-shifts tbody tr:not([hidden])', (rows) => rows.map((row) => (row as HTMLElement).dataset.geo)),
    ).toEqual(['Geo0']);
    expect(await page.textContent('#geo-group-readout')).toMatch(/^1 geo: spend /);
    expect(await page.textContent('#geo-group-readout')).not.toBe(allReadout);
    expect(await page.textContent('#card-market-channels table:not([hidden])')).toContain(
      Math.round(pairs.find((p) => p.geo === 'Geo0' && p.channel === 'Channel0')?.spend ?? NaN).toLocaleString('en-US'),
    );
    expect(await page.textContent('#card-market-shifts .shift-total:not([hidden])')).toMatch(/^North-East: /);

    // Back to every geo of the country North (all four here).
    await page.selectOption('#geo-group-select', 'country:North');
    await page.waitForFunction(() => document.querySelectorAll('#market-table tbody tr:not([hidden])').length === 20);
    await page.waitForSelector('body[data-state="ready"]');
    expect(await markCounts(page, 'markets')).toEqual({ rect: 20 });
    expect(errors).toEqual([]);
    await page.close();
  });

  test('the pair table sorts by the column whose heading is pressed', async () => {
    const page = await browser.context.newPage();
    await page.goto(server.url);
    await page.waitForSelector('body[data-state="ready"]', { timeout: 60_000 });
    const column = (index: number) =>
      page.$$eval(
        '#market-table tbody tr',
        (rows, i) => rows.map((row) => (row as HTMLTableRowElement).cells[i].dataset.value ?? ''),
        index,
      );
    const mroi = (await column(4)).map(Number);
    expect(mroi).toEqual([...mroi].sort((a, b) => b - a));
    await page.click('#market-table thead th:nth-child(3) button');
    const spend = (await column(2)).map(Number);
    expect(spend).toEqual([...spend].sort((a, b) => b - a));
    expect(await page.getAttribute('#market-table thead th:nth-child(3)', 'aria-sort')).toBe('descending');
    await page.click('#market-table thead th:nth-child(3) button');
    expect((await column(2)).map(Number)).toEqual([...spend].reverse());
    await page.click('#market-table thead th:nth-child(1) button');
    const geos = await column(0);
    expect(geos).toEqual([...geos].sort());
    expect(await page.getAttribute('#market-table thead th:nth-child(1)', 'aria-sort')).toBe('ascending');
    await page.close();
  });
});
