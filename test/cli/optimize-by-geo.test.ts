/**
 * `mmm optimize --by geo` end to end (issue 15, scope 4): a real short fit of 4 of Meridian's geos committed
 * as a run, its surface built by `mmm surface`, then plans per (geo, channel) pair through the real binary:
 * the separable case, totals per geo and per channel at once (with the gap), markets grouped by region, and
 * unknown or infeasible geo constraints refused naming them, nothing written.
 */
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeShortGeoFit } from '../support/meridian-geos.ts';
import { REPO_ROOT } from '../support/reference-data.ts';
import { runMmm } from '../support/run-mmm.ts';

let dir: string;
const GROUPS = join(REPO_ROOT, 'test/fixtures/data/meridian-geo-groups.csv');

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'mmm-by-geo-'));
  const summary = await writeShortGeoFit(dir);
  expect(summary.diagnostics.verdict, summary.diagnostics.reasons.join('; ')).not.toBe('fail');
  const surface = await runMmm(['surface', '--run', dir, '--max-draws', '100']);
  expect(surface.stderr).toBe('');
  expect(surface.status).toBe(0);
}, 600_000);
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

interface GeoPlan {
  method: string;
  gap: number;
  budget: number;
  markets: { market: string; current: number; recommended: number; limit: string | null }[];
  channels: { channel: string; current: number; recommended: number }[];
  pairs: { geo: string; channel: string; recommended: number }[];
}

async function plan(...flags: string[]): Promise<GeoPlan> {
  const result = await runMmm(['optimize', '--run', dir, '--by', 'geo', '--json', '-', ...flags]);
  expect(result.stderr).toBe('');
  expect(result.status).toBe(0);
  return JSON.parse(result.stdout) as GeoPlan;
}

describe('mmm explore --by geo', () => {
  it('scores an allocation per (geo, channel) pair, pairs not named keeping current spend', async () => {
    const result = await runMmm(['explore', '--run', dir, '--by', 'geo', '--allocation', '{"Geo1/Channel0": 0}', '--json', '-']);
    expect(result.stderr).toBe('');
    const scored = JSON.parse(result.stdout) as {
      channels: { channel: string; spend: number; contribution: { mean: number } }[];
      change: { extraSpend: number };
    };
    const pair = scored.channels.find((c) => c.channel === 'Geo1/Channel0');
    expect(pair?.spend).toBe(0);
    expect(pair?.contribution.mean).toBe(0);
    expect(scored.channels.some((c) => c.channel === 'Geo3/Channel4')).toBe(true);
    expect(scored.change.extraSpend).toBeLessThan(0);
  });
});

describe('mmm optimize --by geo', () => {
  it('plans spend per (geo, channel) pair exactly with a budget alone, and caches the components by market', async () => {
    const result = await plan('--budget', '1e6');
    expect(result.method).toBe('dp');
    expect(result.gap).toBe(0);
    expect(result.markets.map((m) => m.market)).toEqual(['Geo0', 'Geo1', 'Geo2', 'Geo3']);
    expect(result.pairs.reduce((sum, p) => sum + p.recommended, 0)).toBeCloseTo(1e6, 3);
    expect(existsSync(join(dir, 'surface', 'markets', 'base.json'))).toBe(true);
  });

  it('meets a geo minimum and channel totals at once, reporting a gap within 0.5%', async () => {
    const result = await plan('--geo-min', 'Geo1=95%', '--geo-max', 'Geo0=105%', '--min', 'Channel0=90%', '--max', 'Channel3=110%');
    expect(result.method).toBe('lagrangian');
    expect(result.gap).toBeLessThanOrEqual(0.005);
    const geo1 = result.markets.find((m) => m.market === 'Geo1');
    expect(geo1!.recommended).toBeGreaterThanOrEqual(0.95 * geo1!.current - 1e-6);
    const channel0 = result.channels.find((c) => c.channel === 'Channel0');
    expect(channel0!.recommended).toBeGreaterThanOrEqual(0.9 * channel0!.current - 1e-6);
    const text = await runMmm(['optimize', '--run', dir, '--by', 'geo', '--geo-min', 'Geo1=95%', '--min', 'Channel0=90%']);
    expect(text.stdout).toMatch(/optimality gap\s+\d+\.\d% of the paid-media outcome/);
    expect(text.stdout).toContain('Lagrangian relaxation of the channel totals');
  });

  it('groups geos into regions from the geo groups file', async () => {
    const result = await plan('--group', 'region', '--geo-groups', GROUPS, '--geo-max', 'North-East=100%');
    expect(result.markets.map((m) => m.market)).toEqual(['North-East', 'North-West', 'North-Central', 'North-Coast']);
  });

  it('refuses unknown geos and groups and infeasible geo totals, naming them', async () => {
    const unknown = await runMmm(['optimize', '--run', dir, '--by', 'geo', '--geo-min', 'Texas=90%']);
    expect(unknown.status).toBe(1);
    expect(unknown.stderr).toContain("unknown geo 'Texas' in --geo-min/--geo-max; the run's geos are 'Geo0', 'Geo1', 'Geo2', 'Geo3'");
    const group = await runMmm([
      'optimize',
      '--run',
      dir,
      '--by',
      'geo',
      '--group',
      'country',
      '--geo-groups',
      GROUPS,
      '--geo-max',
      'South=90%',
    ]);
    expect(group.status).toBe(1);
    expect(group.stderr).toContain("unknown country 'South'");
    const infeasible = await runMmm(['optimize', '--run', dir, '--by', 'geo', '--geo-min', 'Geo2=500%']);
    expect(infeasible.status).toBe(1);
    expect(infeasible.stderr).toContain("geo 'Geo2' cannot spend");
    expect(infeasible.stderr).toContain('Geo2: min 500% of current');
    const noBy = await runMmm(['optimize', '--run', dir, '--geo-min', 'Geo2=90%']);
    expect(noBy.status).toBe(2);
    expect(noBy.stderr).toContain('--geo-min plans by market: add --by geo');
  });
});
