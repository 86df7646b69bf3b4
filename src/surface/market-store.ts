/**
 * Components by market of a run's surface (DESIGN.md section 9, "Markets"), cached beside it in
 * surface/markets/: components.{json,bin} (one series per (geo, channel) pair, on the markets' factor grid,
 * the market index in the header) and base.json naming the SHA-256 of the surface's components.bin they go
 * with, written last. They are computed on first use from the run's posterior by the market response source,
 * with the surface's window and draw count, and checked against the surface draw by draw (the same baseline,
 * and the pairs of each channel adding up to its stored g_c(1)); a rebuilt surface never meets stale ones.
 */
import { existsSync } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { writeFileAtomically } from '../io/atomic-file.ts';
import { componentsDigest, readComponents, writeComponents } from './component-store.ts';
import { ComponentSourceError, computeComponents, type ResponseComponents } from './components.ts';
import { factorGrid, MARKET_FACTOR_GRID } from './factor-grid.ts';
import { readJsonFile, RunFileError } from './json-file.ts';
import type { ChannelResponseSource, ResponseSourceLoader } from './response-source.ts';

export const MARKETS_DIR = 'markets';
const BASE_FILE = 'base.json';

const marketsBaseSchema = z
  .object({
    format: z.literal('mmm-market-components'),
    /** SHA-256 of the surface's components.bin the market components go with. */
    baseSha256: z.string().regex(/^[0-9a-f]{64}$/),
  })
  .strict();

const differs = (a: number, b: number, tolerance: number): boolean =>
  Math.abs(a - b) > tolerance * Math.max(Math.abs(a), Math.abs(b), 1e-9);

/**
 * Throws unless the market source has the surface's draws: its baseline, and its paid-media outcome at current
 * spend (every series at f = 1 and its synergy pairs by geo at (1, 1)) equal to the surface's (every g_c(1) and
 * s_p(1, 1)). The total, not each channel's: a synergy term whose other channel has no spend in a geo is held
 * by the series that has (market-response-source.ts), where the surface splits it between its channels.
 */
function checkSameDraws(base: ResponseComponents, source: ChannelResponseSource): void {
  const { markets } = source;
  if (!markets) throw new ComponentSourceError('the response source is not by market');
  if (source.nDraws !== base.nDraws || source.window.start !== base.window.start || source.window.end !== base.window.end) {
    throw new ComponentSourceError('the market source does not match the surface (draws or window differ)');
  }
  const draws = new Float64Array(base.nDraws);
  source.baseline(draws);
  const bad = draws.findIndex((v, d) => differs(v, base.baseline[d], 1e-9));
  if (bad >= 0)
    throw new ComponentSourceError(
      `the market source's baseline differs from the surface's at draw ${bad}: not the draws the surface was built from`,
    );
  const n = base.nDraws;
  const surfaceTotal = new Float64Array(n);
  const atOne = base.factors.indexOf(1);
  base.channels.forEach((_, c) => {
    const at = (c * base.factors.length + atOne) * n;
    for (let d = 0; d < n; d++) surfaceTotal[d] += base.values[at + d];
  });
  if (base.pairGrids) {
    const F = base.pairGrids.factors.length;
    const one = base.pairGrids.factors.indexOf(1);
    base.pairGrids.pairs.forEach((_, p) => {
      const at = ((p * F + one) * F + one) * n;
      for (let d = 0; d < n; d++) surfaceTotal[d] += base.pairGrids!.values[at + d];
    });
  }
  const marketTotal = new Float64Array(n);
  const add = () => draws.forEach((v, d) => (marketTotal[d] += v));
  markets.channelOf.forEach((_, series) => {
    source.channelContribution(series, 1, draws);
    add();
  });
  (source.pairs ?? []).forEach((_, p) => {
    source.pairContribution!(p, 1, 1, draws);
    add();
  });
  const badDraw = marketTotal.findIndex((v, d) => differs(v, surfaceTotal[d], 1e-5));
  if (badDraw >= 0) {
    throw new ComponentSourceError(
      `the market source's paid-media outcome at current spend differs from the surface's at draw ${badDraw}: not the draws the surface was built from`,
    );
  }
}

/** The run's components by market, from the cache or computed now (and cached). */
export async function marketComponents(
  runDir: string,
  surfaceDir: string,
  base: ResponseComponents,
  loadSource: ResponseSourceLoader,
): Promise<ResponseComponents> {
  const dir = join(surfaceDir, MARKETS_DIR);
  const baseSha256 = await componentsDigest(surfaceDir);
  const cached = await readCached(dir, baseSha256);
  if (cached) return cached;
  const source = await loadSource(runDir, { window: base.window, maxDraws: base.nDraws });
  checkSameDraws(base, source);
  const components = computeComponents(source, factorGrid(MARKET_FACTOR_GRID));
  await rm(dir, { recursive: true, force: true });
  await mkdir(dir, { recursive: true });
  await writeComponents(dir, components);
  writeFileAtomically(
    join(dir, BASE_FILE),
    `${JSON.stringify({ format: 'mmm-market-components', baseSha256 } satisfies z.infer<typeof marketsBaseSchema>)}\n`,
  );
  return components;
}

async function readCached(dir: string, baseSha256: string): Promise<ResponseComponents | null> {
  if (!existsSync(join(dir, BASE_FILE))) return null;
  try {
    const marker = await readJsonFile(join(dir, BASE_FILE), marketsBaseSchema);
    return marker.baseSha256 === baseSha256 ? await readComponents(dir) : null;
  } catch (error) {
    if (error instanceof RunFileError) return null;
    throw error;
  }
}
