/**
 * Constraints by market (issue 15, scope 5): geo groups from the `geo_groups` seed and the test grouping of
 * Meridian's 40 geos; `--geo-min/--geo-max`, `--group` and `--min/--max` on channels and pairs as flags; unknown
 * geos, groups, channels and pairs, and totals no plan can meet, refused with the offending constraint named.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InfeasibleConstraintError } from '../../src/explore/constraints.ts';
import { GeoGroupsError, marketPartition, readGeoGroups } from '../../src/explore/geo-groups.ts';
import { marketConstraintsFromFlags, resolveMarketBounds, UnknownMarketError } from '../../src/explore/market-constraints.ts';
import { UnknownChannelError } from '../../src/explore/allocation.ts';
import { knownMarketRun } from '../support/known-curve-source.ts';
import { REPO_ROOT } from '../support/reference-data.ts';

const SEED = join(REPO_ROOT, 'dbt/seeds/geo_groups.csv');
const MERIDIAN_GROUPS = join(REPO_ROOT, 'test/fixtures/data/meridian-geo-groups.csv');

const { run } = knownMarketRun({
  geos: ['US', 'CA'],
  perGeo: (g) => [
    { name: 'search', spend: 20_000 / (1 + 4 * g), kind: 'hill', beta: 60_000, shape: 0.6, slope: 1 },
    { name: 'tv', spend: 30_000 / (1 + 4 * g), kind: 'hill', beta: 90_000, shape: 1.1, slope: 1 },
  ],
  nDraws: 10,
  seed: 1,
});
const budget = run.curves.totalHistoricalSpend;
const groups = readGeoGroups(SEED);
const resolve = (flags: Parameters<typeof marketConstraintsFromFlags>[0]) =>
  resolveMarketBounds(run.curves, marketConstraintsFromFlags({ geoGroups: groups, ...flags }), budget);

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'mmm-geo-groups-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('geo groups', () => {
  it("read the seed's US and CA into countries and regions", () => {
    expect(groups).toEqual([
      { geo: 'US', country: 'US', region: 'North America' },
      { geo: 'CA', country: 'CA', region: 'North America' },
    ]);
    expect(marketPartition(['US', 'CA'], 'region', groups)).toEqual({ grouping: 'region', names: ['North America'], marketOfGeo: [0, 0] });
  });

  it("group Meridian's 40 geos into 2 countries and 10 regions (the test grouping)", () => {
    const geos = Array.from({ length: 40 }, (_, g) => `Geo${g}`);
    const rows = readGeoGroups(MERIDIAN_GROUPS);
    expect(marketPartition(geos, 'country', rows).names).toEqual(['North', 'South']);
    expect(marketPartition(geos, 'region', rows).names).toHaveLength(10);
  });

  it('refuse a geo without a row, a file without a column, and a geo listed twice', async () => {
    expect(() => marketPartition(['US', 'MX'], 'country', groups)).toThrow("geo 'MX' has no row in the geo groups, so it has no country");
    const noRegion = join(dir, 'no-region.csv');
    await writeFile(noRegion, 'geo,country\nUS,US\n');
    expect(() => readGeoGroups(noRegion)).toThrow(GeoGroupsError);
    expect(() => readGeoGroups(noRegion)).toThrow("no column 'region'");
    const twice = join(dir, 'twice.csv');
    await writeFile(twice, 'geo,country,region\nUS,US,NA\nUS,US,NA\n');
    expect(() => readGeoGroups(twice)).toThrow("line 3: geo 'US' is listed twice");
  });
});

describe('constraints by market from flags', () => {
  it('put --geo-min on markets, --min on a channel on its total, --min on a geo/channel on the pair', () => {
    const constraints = marketConstraintsFromFlags({
      geoMin: ['CA=90%'],
      geoMax: ['US=50000'],
      min: ['tv=80%', 'CA/search=1000'],
      grouping: 'geo',
    });
    expect(constraints.markets).toEqual({ CA: { minRelative: 0.9 }, US: { max: 50_000 } });
    expect(constraints.channels).toEqual({ tv: { minRelative: 0.8 } });
    expect(constraints.pairs).toEqual({ 'CA/search': { min: 1000 } });
    const bounds = resolve({ geoMin: ['CA=90%'] });
    expect(bounds.markets.lower[1]).toBeCloseTo(0.9 * bounds.markets.current[1], 9);
    expect(bounds.markets.lowerReason[1]).toMatch(/^CA: min 90% of current .* \(--geo-min\/--geo-max\)$/);
  });

  it('total per country under --group country', () => {
    const bounds = resolve({ grouping: 'country', geoMax: ['US=110%'] });
    expect(bounds.markets.names).toEqual(['US', 'CA']);
    expect(bounds.markets.upper[0]).toBeCloseTo(1.1 * bounds.markets.current[0], 9);
  });

  it('refuse unknown geos, groups, channels and pairs, naming them', () => {
    expect(() => resolve({ geoMin: ['TX=90%'] })).toThrow(UnknownMarketError);
    expect(() => resolve({ geoMin: ['TX=90%'] })).toThrow("unknown geo 'TX' in --geo-min/--geo-max; the run's geos are 'US', 'CA'");
    expect(() => resolve({ grouping: 'region', geoMax: ['Europe=10%'] })).toThrow(
      "unknown region 'Europe' in --geo-min/--geo-max; the run's regions are 'North America'",
    );
    expect(() => resolve({ min: ['radio=10%'] })).toThrow("unknown channel 'radio' in --min/--max; the run's channels are 'search', 'tv'");
    expect(() => resolve({ min: ['CA/radio=10%'] })).toThrow(UnknownChannelError);
  });

  it('refuse per-geo totals no plan can meet, naming the constraint', () => {
    const infeasible = (flags: Parameters<typeof resolve>[0], ...parts: string[]) => {
      try {
        resolve(flags);
      } catch (error) {
        expect(error).toBeInstanceOf(InfeasibleConstraintError);
        for (const part of parts) expect((error as Error).message).toContain(part);
        return;
      }
      expect.unreachable('the constraints were accepted');
    };
    infeasible({ geoMin: ['CA=400%'] }, "geo 'CA' cannot spend", 'CA: min 400% of current', "CA: its pairs' caps sum to");
    infeasible({ geoMin: ['CA=90%'], geoMax: ['CA=80%'] }, "geo 'CA' has no feasible total", 'CA: min 90%', 'CA: max 80%');
    infeasible({ geoMin: ['US=100%', 'CA=300%'] }, 'is below the', 'the geo minimums require', 'US: min 100%', 'CA: min 300%');
    infeasible({ geoMax: ['US=50%', 'CA=50%'] }, 'exceeds the', 'US: max 50%', 'CA: max 50%');
    infeasible(
      { geoMax: ['CA=10'], min: ['CA/tv=100'] },
      "geo 'CA' cannot spend as little as 10",
      'CA: max 10',
      "CA: its pairs' minimums sum to 100",
    );
  });
});
