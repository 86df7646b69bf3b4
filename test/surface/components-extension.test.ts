/**
 * Components extended on demand beyond the stored factor grid (a query's --cap above 3 x history), checked
 * against the known curves evaluated directly: extended curves are as exact as stored ones, stored nodes
 * are untouched, the extension is cached and reused, a rebuilt surface never meets a stale extension, and
 * a source with other draws is refused.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXTENSION_DIR, extensionFactors } from '../../src/surface/components-extension.ts';
import { ComponentSourceError } from '../../src/surface/components.ts';
import { factorGridSchema } from '../../src/surface/factor-grid.ts';
import { CapBeyondGridError } from '../../src/surface/response-curves.ts';
import type { ResponseSourceLoader } from '../../src/surface/response-source.ts';
import { buildSurfaceRun, loadSurfaceRun, SURFACE_DIR } from '../../src/surface/surface-run.ts';
import { commitKnownCurveRun, FIVE_CHANNELS, randomCurveSource, type KnownCurveSource } from '../support/known-curve-source.ts';

const source = randomCurveSource({ channels: FIVE_CHANNELS, nDraws: 120, seed: 7 });
let dir: string;
const loads: { window?: { start: string; end: string }; maxDraws?: number }[] = [];
/** The run's response source, counting how often it is loaded. */
const loaderOf =
  (known: KnownCurveSource): ResponseSourceLoader =>
  async (runDir, options) => {
    expect(runDir).toBe(dir);
    loads.push(options);
    return known;
  };

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'mmm-extension-'));
  commitKnownCurveRun(dir, source);
  await buildSurfaceRun(source, dir, { runId: 'extension-test' });
}, 120_000);
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('components extended beyond the stored grid', () => {
  it("continues the stored grid's uniform spacing up to the cap", () => {
    const extra = extensionFactors(factorGridSchema.parse({}), 3, 5);
    expect(extra.length).toBe(40);
    expect(extra[0]).toBeCloseTo(3.05, 12);
    expect(extra[extra.length - 1]).toBe(5);
  });

  it('refuses a cap beyond the grid without a source, and a cap below current spend', async () => {
    await expect(loadSurfaceRun(dir, { cap: 4 })).rejects.toThrow(CapBeyondGridError);
    await expect(loadSurfaceRun(dir, { cap: 0.5 })).rejects.toThrow(/cap 0.5 is below 1/);
  });

  it('scores spend up to the cap as exactly as the stored curves, loading the source once with the stored window and draws', async () => {
    const run = await loadSurfaceRun(dir, { cap: 5, loadSource: loaderOf(source) });
    expect(loads).toEqual([{ window: source.window, maxDraws: source.nDraws }]);
    expect(run.curves.cap).toBe(5);
    expect(run.curves.maxSpend(0)).toBe(5 * FIVE_CHANNELS[0].spend);
    let worst = 0;
    const out = new Float64Array(source.nDraws);
    source.channels.forEach((_, c) => {
      for (const factor of [3.02, 3.5, 4.123, 4.9, 5]) {
        out.fill(0);
        run.curves.addChannel(c, factor * source.historicalSpend[c], out);
        for (let d = 0; d < source.nDraws; d++) {
          const direct = source.contribution(c, factor, d);
          worst = Math.max(worst, Math.abs(out[d] - direct) / Math.abs(direct));
        }
      }
    });
    console.log(`worst relative error of extended curves over (3, 5] x current spend: ${worst.toExponential(2)}`);
    expect(worst).toBeLessThan(0.005);
  });

  it('leaves the stored nodes as they were', async () => {
    const stored = await loadSurfaceRun(dir);
    const extended = await loadSurfaceRun(dir, { cap: 5, loadSource: loaderOf(source) });
    const a = new Float64Array(source.nDraws);
    const b = new Float64Array(source.nDraws);
    source.channels.forEach((_, c) => {
      for (const factor of stored.curves.factors.filter((f) => f < 3)) {
        a.fill(0);
        b.fill(0);
        stored.curves.addChannel(c, factor * source.historicalSpend[c], a);
        extended.curves.addChannel(c, factor * source.historicalSpend[c], b);
        expect(b).toEqual(a);
      }
    });
    expect(extended.calibration).toEqual(stored.calibration);
  });

  it('reuses the cached extension for any cap it covers and recomputes for a larger one', async () => {
    loads.length = 0;
    await loadSurfaceRun(dir, { cap: 4, loadSource: loaderOf(source) });
    await loadSurfaceRun(dir, { cap: 5, loadSource: loaderOf(source) });
    expect(loads.length).toBe(0);
    const wider = await loadSurfaceRun(dir, { cap: 6, loadSource: loaderOf(source) });
    expect(loads.length).toBe(1);
    expect(wider.curves.factors[wider.curves.factors.length - 1]).toBe(6);
    expect(existsSync(join(dir, SURFACE_DIR, EXTENSION_DIR, 'base.json'))).toBe(true);
  });

  it('refuses a source whose draws are not those of the stored surface', async () => {
    const other = randomCurveSource({ channels: FIVE_CHANNELS, nDraws: 120, seed: 8 });
    const fresh = await mkdtemp(join(tmpdir(), 'mmm-extension-other-'));
    try {
      commitKnownCurveRun(fresh, source);
      await buildSurfaceRun(source, fresh, { runId: 'other' });
      const call = loadSurfaceRun(fresh, { cap: 5, loadSource: async () => other });
      await expect(call).rejects.toThrow(ComponentSourceError);
      await expect(loadSurfaceRun(fresh, { cap: 5, loadSource: async () => other })).rejects.toThrow(
        /not the draws the surface was built from/,
      );
      expect(existsSync(join(fresh, SURFACE_DIR, EXTENSION_DIR))).toBe(false);
    } finally {
      await rm(fresh, { recursive: true, force: true });
    }
  }, 120_000);

  it('never serves a stale extension after the surface is rebuilt from other draws', async () => {
    const rebuiltFrom = randomCurveSource({ channels: FIVE_CHANNELS, nDraws: 120, seed: 9 });
    commitKnownCurveRun(dir, rebuiltFrom); // the run is re-fitted ...
    await buildSurfaceRun(rebuiltFrom, dir, { runId: 'rebuilt' }); // ... and its surface rebuilt
    loads.length = 0;
    const run = await loadSurfaceRun(dir, { cap: 5, loadSource: loaderOf(rebuiltFrom) });
    expect(loads.length).toBe(1);
    const out = new Float64Array(rebuiltFrom.nDraws);
    run.curves.addChannel(1, 4.5 * rebuiltFrom.historicalSpend[1], out);
    expect(Math.abs(out[0] - rebuiltFrom.contribution(1, 4.5, 0)) / rebuiltFrom.contribution(1, 4.5, 0)).toBeLessThan(0.005);
  }, 120_000);
});
