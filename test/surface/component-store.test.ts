/** Response components with a synergy pair's grid written to disk and read back unchanged. */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { readComponents, writeComponents } from '../../src/surface/component-store.ts';
import { computeComponents } from '../../src/surface/components.ts';
import { factorGrid, factorGridSchema } from '../../src/surface/factor-grid.ts';
import type { ChannelResponseSource } from '../../src/surface/response-source.ts';

it('stores and reads back the synergy pairs’ 2-D grids with the channel components', async () => {
  const source: ChannelResponseSource = {
    channels: ['tv', 'search', 'social'],
    historicalSpend: Float64Array.from([100, 50, 20]),
    nDraws: 3,
    window: { start: '2024-01-01', end: '2024-12-30' },
    observedTotal: 10,
    baseline: (out) => out.fill(5),
    channelContribution: (c, f, out) => out.forEach((_, d) => (out[d] = (c + 1) * (d + 1) * Math.sqrt(f))),
    pairs: [[0, 2]],
    pairContribution: (_p, fc, fd, out) => out.forEach((_, d) => (out[d] = (d + 1) * fc * fd)),
  };
  const components = computeComponents(source, factorGrid(factorGridSchema.parse({})));
  const dir = await mkdtemp(join(tmpdir(), 'mmm-components-'));
  try {
    await writeComponents(dir, components);
    const read = await readComponents(dir);
    expect(read.pairGrids!.pairs).toEqual([[0, 2]]);
    expect(Array.from(read.pairGrids!.factors)).toEqual(Array.from(components.pairGrids!.factors));
    expect(Array.from(read.pairGrids!.values)).toEqual(Array.from(components.pairGrids!.values));
    expect(Array.from(read.values)).toEqual(Array.from(components.values));
    expect(read.pairGrids!.values.length).toBe(43 * 43 * 3);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
