import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readComponents, writeComponents } from '../../src/surface/component-store.ts';
import { ComponentSourceError, computeComponents } from '../../src/surface/components.ts';
import { interpolationExactness, quasiRandomAllocations } from '../../src/surface/exactness.ts';
import { factorGrid, factorGridSchema } from '../../src/surface/factor-grid.ts';
import { RunFileError } from '../../src/surface/json-file.ts';
import { ResponseCurves, SpendOutOfRangeError } from '../../src/surface/response-curves.ts';
import { FIVE_CHANNELS, KnownCurveSource, randomCurveSource, type ChannelSpec } from '../support/known-curve-source.ts';

const grid = factorGrid(factorGridSchema.parse({}));
const source = randomCurveSource({ channels: FIVE_CHANNELS, nDraws: 400, seed: 11 });
const components = computeComponents(source, grid);
const dirs: string[] = [];
afterAll(async () => {
  await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })));
});

/** Steeper and more saturated curves than FIVE_CHANNELS: the hardest shapes for interpolation. */
const EXTREME: readonly ChannelSpec[] = [
  { name: 'steep', spend: 40_000, kind: 'hill', beta: 90_000, shape: 1.5, slope: 4 },
  { name: 'saturated', spend: 30_000, kind: 'hill', beta: 50_000, shape: 0.1, slope: 1 },
  { name: 'fast', spend: 20_000, kind: 'logistic', beta: 30_000, shape: 12 },
  { name: 'late', spend: 10_000, kind: 'hill', beta: 200_000, shape: 2.8, slope: 3 },
];

describe('response components', () => {
  it('hold g_c(f) per draw at every grid factor, rounded to float32', () => {
    const C = FIVE_CHANNELS.length;
    expect(components.values.length).toBe(C * grid.length * 400);
    const i = grid.indexOf(1);
    for (const [c, d] of [
      [0, 0],
      [3, 17],
      [4, 399],
    ]) {
      const stored = components.values[(c * grid.length + i) * 400 + d];
      expect(stored).toBe(Math.fround(source.contribution(c, 1, d)));
    }
    expect(components.values[0]).toBe(0); // g(0) = 0: channel off
  });

  it('round-trip through components.json + components.bin unchanged', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'mmm-components-'));
    dirs.push(dir);
    await writeComponents(dir, components);
    const loaded = await readComponents(dir);
    expect(loaded.channels).toEqual(components.channels);
    expect(loaded.factors).toEqual(components.factors);
    expect(loaded.baseline).toEqual(components.baseline);
    expect(loaded.values).toEqual(components.values);
    expect(loaded.window).toEqual(source.window);
    expect(loaded.observedTotal).toBe(source.observedTotal);
    const header = JSON.parse(await readFile(join(dir, 'components.json'), 'utf8'));
    expect(header.byteLength).toBe(400 * 8 + components.values.length * 4);
  });

  it('refuse a binary that does not match its header', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'mmm-components-'));
    dirs.push(dir);
    await writeComponents(dir, components);
    const binary = await readFile(join(dir, 'components.bin'));
    binary[100] ^= 0xff;
    await writeFile(join(dir, 'components.bin'), binary);
    await expect(readComponents(dir)).rejects.toThrow(RunFileError);
    await expect(readComponents(dir)).rejects.toThrow(/SHA-256/);
    await writeFile(join(dir, 'components.bin'), binary.subarray(0, 64));
    await expect(readComponents(dir)).rejects.toThrow(/holds 64 bytes/);
  });

  it('refuse a channel without historical spend', () => {
    const empty = new KnownCurveSource(
      [{ name: 'dark', spend: 0, kind: 'hill', beta: Float64Array.of(1), shape: Float64Array.of(1), slope: Float64Array.of(1) }],
      Float64Array.of(0),
      { observedTotal: 1 },
    );
    expect(() => computeComponents(empty, grid)).toThrow(ComponentSourceError);
    expect(() => computeComponents(empty, grid)).toThrow(/'dark' has historical spend 0/);
  });

  it('refuse spend outside the stored range instead of extrapolating', () => {
    const curves = new ResponseCurves(components);
    expect(() => curves.addChannel(0, 3.01 * 50_000, new Float64Array(400))).toThrow(SpendOutOfRangeError);
    expect(() => curves.addChannel(0, -1, new Float64Array(400))).toThrow(/'tv'/);
  });
});

describe('exactness (acceptance 1): interpolated scoring vs direct evaluation of the curves', () => {
  it.each([
    { label: 'S-shaped, concave and logistic channels', makeSource: () => source },
    {
      label: 'steep, saturated and late channels',
      makeSource: () => randomCurveSource({ channels: EXTREME, nDraws: 400, seed: 5, spread: 0.3 }),
    },
  ])('max relative error <= 0.5% over 1,000 allocations: $label', ({ makeSource }) => {
    const known = makeSource();
    const curves = new ResponseCurves(computeComponents(known, grid));
    const report = interpolationExactness(curves, known, quasiRandomAllocations(curves, 1000));
    expect(report.allocations).toBe(1000);
    expect(report.draws).toBe(400);
    expect(report.maxRelativeError).toBeLessThan(0.005);
    expect(report.maxRelativeErrorTotal).toBeLessThanOrEqual(report.maxRelativeError);
    // float32 storage alone would give ~6e-8: the measured error is interpolation, and it is not zero
    expect(report.maxRelativeError).toBeGreaterThan(1e-7);
  });

  it('spreads the allocations over budgets up to 2 x history and within the stored range', () => {
    const curves = new ResponseCurves(components);
    const allocations = quasiRandomAllocations(curves, 1000);
    const totals = allocations.map((a) => a.reduce((s, v) => s + v, 0) / curves.totalHistoricalSpend);
    expect(Math.min(...totals)).toBeLessThan(0.01);
    expect(Math.max(...totals)).toBeGreaterThan(1.99);
    for (const a of allocations) a.forEach((s, c) => expect(s).toBeLessThanOrEqual(curves.maxSpend(c) * (1 + 1e-12)));
  });
});
