/**
 * The dashboard's synergies card over a real DuckDB warehouse, in Chromium (playwright-core with Debian's
 * /usr/bin/chromium): a run whose model has three synergy pairs, one the data show as a synergy, one as a
 * cannibalisation and one they do not show, each with its theta, incremental outcome, P(theta > 0) and
 * evidence; a run without pairs says how to add them.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { loadDashboardData } from '../../src/dashboard/dashboard-data.ts';
import { renderDashboardPage } from '../../src/dashboard/page.ts';
import type { SynergyRow } from '../../src/dashboard/synergies.ts';
import { type HeadlessChromium, launchChromium } from './support/browser.ts';
import { duckdbHarness, type WarehouseHarness } from '../warehouse/support/harness.ts';
import { makeRunResults } from '../warehouse/support/run-results.ts';

const pair = (
  channel_a: string,
  channel_b: string,
  theta: [number, number, number],
  outcome: [number, number, number],
  p_positive: number,
) =>
  ({
    run_id: 'run-syn',
    channel_a,
    channel_b,
    theta_mean: theta[0],
    theta_p05: theta[1],
    theta_p95: theta[2],
    incremental_outcome_mean: outcome[0],
    incremental_outcome_p05: outcome[1],
    incremental_outcome_p95: outcome[2],
    p_positive,
  }) satisfies SynergyRow;

describe('the synergies card in Chromium', () => {
  let h: WarehouseHarness;
  let chromium: HeadlessChromium;
  let dir: string;

  beforeAll(async () => {
    h = await duckdbHarness();
    dir = mkdtempSync(join(tmpdir(), 'mmm-synergies-'));
    chromium = await launchChromium();
  }, 120_000);
  afterAll(async () => {
    await chromium?.close();
    await h?.stop();
    if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
  });

  /** The rendered page of the model's current run, opened from a file; the card's rows as the browser shows them. */
  async function shownCard(modelId: string): Promise<{ rows: string[][]; classes: string[]; text: string }> {
    const file = join(dir, `${modelId}.html`);
    writeFileSync(file, renderDashboardPage(await loadDashboardData(h.warehouse, modelId)));
    const page = await chromium.context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    await page.goto(`file://${file}`);
    await page.waitForSelector('body[data-state="ready"]', { timeout: 60_000 });
    const card = await page.$eval('#card-synergies', (figure) => ({
      rows: [...figure.querySelectorAll('tbody tr')].map((row) => [...row.querySelectorAll('td')].map((td) => td.textContent ?? '')),
      classes: [...figure.querySelectorAll('tbody tr')].map((row) => row.className),
      text: (figure as HTMLElement).innerText,
    }));
    expect(await page.isVisible('#card-synergies')).toBe(true);
    expect(errors).toEqual([]);
    await page.close();
    return card;
  }

  test('lists each pair with theta, its outcome, P(theta > 0) and what the data show', async () => {
    const results = makeRunResults('run-syn', 'synergy');
    results.mmm_interactions = [
      pair('tv', 'search', [0.3, 0.1, 0.5], [12_500, 4_100, 21_000], 0.99),
      pair('social', 'tv', [-0.2, -0.35, -0.05], [-6_000, -10_500, -1_500], 0.02),
      pair('search', 'social', [0.05, -0.1, 0.2], [900, -1_800, 3_600], 0.71),
    ];
    await h.warehouse.publish(results, { promote: true });
    const data = await loadDashboardData(h.warehouse, 'synergy');
    expect(data.synergies.map((s) => [s.channel_a, s.channel_b])).toEqual([
      ['search', 'social'],
      ['social', 'tv'],
      ['tv', 'search'],
    ]);
    const card = await shownCard('synergy');
    expect(card.rows).toEqual([
      [
        'search × social',
        '0.0500 (-0.100 to 0.200)',
        '900 (-1.8K to 3.6K)',
        '71%',
        'not shown by the data: the 90% interval of theta includes zero (P(theta > 0) 71%)',
      ],
      [
        'social × tv',
        '-0.200 (-0.350 to -0.0500)',
        '-6K (-10.5K to -1.5K)',
        '2%',
        'cannibalisation shown: social and tv take from each other (the 90% interval of theta is below zero)',
      ],
      [
        'tv × search',
        '0.300 (0.100 to 0.500)',
        '12.5K (4.1K to 21K)',
        '99%',
        'synergy shown: tv and search amplify each other (the 90% interval of theta is above zero)',
      ],
    ]);
    expect(card.classes).toEqual(['not-shown', 'cannibalisation', 'synergy']);
  }, 120_000);

  test('a run whose model has no pairs says how to add them', async () => {
    const results = makeRunResults('run-none', 'separable');
    results.mmm_interactions = [];
    await h.warehouse.publish(results, { promote: true });
    const card = await shownCard('separable');
    expect(card.rows).toEqual([]);
    expect(card.text).toContain('The model of this run has no synergy pairs (model.interactions, e.g. [["tv", "search"]], adds them).');
  }, 120_000);
});
