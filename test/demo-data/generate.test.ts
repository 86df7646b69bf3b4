/** The demo generator: reproducible, internally consistent truth, and the raw-data quirks it promises. */
import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { parseCsv } from '../../src/data/csv.ts';
import { DemoDataOptionsError, generateDemoData } from '../../src/demo-data/generate.ts';
import { BASELINE } from '../../src/demo-data/outcome-model.ts';

const dir = mkdtempSync(join(tmpdir(), 'mmm-demo-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const digest = (root: string) => {
  const hash = createHash('sha256');
  const walk = (folder: string): void => {
    for (const entry of readdirSync(folder, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const path = join(folder, entry.name);
      if (entry.isDirectory()) walk(path);
      else hash.update(relative(root, path)).update(readFileSync(path));
    }
  };
  walk(root);
  return hash.digest('hex');
};

describe('generateDemoData', () => {
  const a = generateDemoData({ outDir: join(dir, 'a'), seed: 11, weeks: 40 });

  test('the same seed writes the same files; another seed different ones', () => {
    const b = generateDemoData({ outDir: join(dir, 'b'), seed: 11, weeks: 40 });
    const c = generateDemoData({ outDir: join(dir, 'c'), seed: 12, weeks: 40 });
    expect(digest(b.rawDir)).toBe(digest(a.rawDir));
    expect(readFileSync(b.truthPath, 'utf8')).toBe(readFileSync(a.truthPath, 'utf8'));
    expect(digest(c.rawDir)).not.toBe(digest(a.rawDir));
  });

  test('the truth adds up: expected revenue = baseline + contributions, noise of the documented size, ROI = contribution / spend', () => {
    const { truth } = a;
    expect(truth.weekly).toHaveLength(2 * 40);
    for (const w of truth.weekly) {
      const sum = w.baseline + Object.values(w.contributions).reduce((s, v) => s + v, 0);
      expect(w.expectedRevenue).toBeCloseTo(sum, 6);
      const scale = truth.geos.find((g) => g.geo === w.geo)?.scale ?? Number.NaN;
      expect(Math.abs(w.revenue - w.expectedRevenue)).toBeLessThan(5 * BASELINE.noiseSd * scale);
    }
    for (const c of truth.channels) {
      expect(c.roi).toBeCloseTo(c.totalContribution / c.totalSpend, 12);
      expect(c.totalSpend).toBeCloseTo(
        truth.weekly.reduce((s, w) => s + w.spend[c.channel], 0),
        6,
      );
    }
    const media = truth.channels.reduce((s, c) => s + c.totalContribution, 0);
    const revenue = truth.weekly.reduce((s, w) => s + w.revenue, 0);
    expect(media / revenue).toBeGreaterThan(0.1);
    expect(media / revenue).toBeLessThan(0.4);
  });

  test('every digital day is exported twice, and the first export of a restated day shows another cost', () => {
    const { truth, rawDir } = a;
    expect(truth.rawDataEvents.reExportedDays).toBeGreaterThan(5 * 7 * 38);
    expect(truth.rawDataEvents.restatedRows).toBeGreaterThan(0);
    const rows = readdirSync(join(rawDir, 'google_ads'))
      .sort()
      .flatMap((file) => {
        const table = parseCsv(readFileSync(join(rawDir, 'google_ads', file), 'utf8'), file);
        return table.rows.map((r) => ({ file, key: `${r.cells[0]}|${r.cells[3]}|${r.cells[6]}`, cost: r.cells[7] }));
      });
    const costs = new Map<string, Set<string>>();
    for (const r of rows) costs.set(r.key, (costs.get(r.key) ?? new Set()).add(r.cost));
    expect([...costs.values()].filter((set) => set.size > 1).length).toBeGreaterThan(0);
  });

  test('paused flights leave whole weeks without rows, CAD-only days have no US rows', () => {
    const { rawDir, truth } = generateDemoData({ outDir: join(dir, 'long'), seed: 3, weeks: 80 });
    const dv360 = readdirSync(join(rawDir, 'dv360')).flatMap((f) =>
      parseCsv(readFileSync(join(rawDir, 'dv360', f), 'utf8'), f).rows.map((r) => r.cells[0]),
    );
    expect(dv360.filter((d) => d >= '2023/05/01' && d <= '2023/06/04')).toEqual([]);
    expect(truth.weekly.filter((w) => w.weekStart >= '2023-05-01' && w.weekStart <= '2023-05-29').every((w) => w.spend.display === 0)).toBe(
      true,
    );
    const day = truth.rawDataEvents.cadOnlyDays[0];
    const tiktok = readdirSync(join(rawDir, 'tiktok_ads'))
      .flatMap((f) => parseCsv(readFileSync(join(rawDir, 'tiktok_ads', f), 'utf8'), f).rows)
      .filter((r) => r.cells[0].startsWith(day));
    expect(tiktok.length).toBe(0); // TikTok is US-only before Canada's launch, and the US paused that day
  });

  test('refuses a start that is not a Monday and too few weeks', () => {
    expect(() => generateDemoData({ outDir: join(dir, 'x'), start: '2022-01-04' })).toThrow(DemoDataOptionsError);
    expect(() => generateDemoData({ outDir: join(dir, 'x'), weeks: 10 })).toThrow(/weeks must be an integer >= 26, got 10/);
  });
});
