/**
 * Response components beyond the stored factor grid, for a query whose per-channel cap (`--cap`) exceeds
 * it: the surface stores g_c(f) up to 3 x history by default, and a planner asking "what if a channel
 * could take 5 x its spend" needs the curves up to 5. The new nodes continue the stored grid's spacing
 * (factorGrid with the cap as its largest factor) and are computed from the stored posterior by the same
 * ChannelResponseSource the surface was built from, so extended curves are what a surface built with that
 * cap would hold. The source must be the same draws: its baseline and g_c(1) are checked against the
 * stored ones draw by draw before anything is used.
 *
 * Extensions are cached in surface/extension/ (components.{json,bin} holding the whole extended grid, and
 * base.json naming the SHA-256 of the stored binary they extend, written last), so later queries with a
 * cap up to the cached one reuse them, and a rebuilt surface never meets a stale extension.
 */
import { existsSync } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { writeFileAtomically } from '../io/atomic-file.ts';
import { componentsDigest, readComponents, writeComponents } from './component-store.ts';
import { ComponentSourceError, type ResponseComponents } from './components.ts';
import { factorGrid, type FactorGridOptions } from './factor-grid.ts';
import { readJsonFile, RunFileError } from './json-file.ts';
import type { ChannelResponseSource, ResponseSourceLoader } from './response-source.ts';

export const EXTENSION_DIR = 'extension';
const BASE_FILE = 'base.json';

const extensionBaseSchema = z
  .object({
    format: z.literal('mmm-components-extension'),
    /** SHA-256 of the stored components.bin the extension extends. */
    baseSha256: z.string().regex(/^[0-9a-f]{64}$/),
  })
  .strict();

/** The factors a grid with `cap` as its largest factor adds above `maxFactor` (the stored grid's largest). */
export function extensionFactors(grid: FactorGridOptions, maxFactor: number, cap: number): Float64Array {
  return factorGrid({ ...grid, maxFactor: cap }).filter((f) => f > maxFactor);
}

/** Relative difference, with an absolute floor for values near zero. */
const differs = (a: number, b: number, tolerance: number): boolean =>
  Math.abs(a - b) > tolerance * Math.max(Math.abs(a), Math.abs(b), 1e-9);

/** Throws unless `source` describes the same run, window and draws as `base`. */
function checkSameDraws(base: ResponseComponents, source: ChannelResponseSource): void {
  const same =
    source.channels.length === base.channels.length &&
    source.channels.every((c, i) => c === base.channels[i]) &&
    source.nDraws === base.nDraws &&
    source.window.start === base.window.start &&
    source.window.end === base.window.end &&
    source.historicalSpend.every((s, c) => !differs(s, base.historicalSpend[c], 1e-12));
  if (!same)
    throw new ComponentSourceError(
      'the response source does not match the stored components (channels, draws, window or historical spend differ)',
    );
  const draws = new Float64Array(base.nDraws);
  source.baseline(draws);
  const badBaseline = draws.findIndex((v, d) => differs(v, base.baseline[d], 1e-9));
  if (badBaseline >= 0)
    throw new ComponentSourceError(
      `the response source's baseline differs from the stored one at draw ${badBaseline}: not the draws the surface was built from`,
    );
  const atOne = base.factors.indexOf(1);
  base.channels.forEach((channel, c) => {
    source.channelContribution(c, 1, draws);
    const at = (c * base.factors.length + atOne) * base.nDraws;
    // Stored values are float32: 2^-24 relative rounding, checked with room to spare.
    const bad = draws.findIndex((v, d) => differs(v, base.values[at + d], 1e-6));
    if (bad >= 0)
      throw new ComponentSourceError(
        `channel '${channel}' at current spend differs from the stored components at draw ${bad}: not the draws the surface was built from`,
      );
  });
}

/** `base` with g_c(f) for `extra` factors (all above base's largest) computed by `source`, same layout. */
export function extendComponents(base: ResponseComponents, source: ChannelResponseSource, extra: Float64Array): ResponseComponents {
  const maxFactor = base.factors[base.factors.length - 1];
  if (extra.some((f) => !(f > maxFactor)))
    throw new ComponentSourceError(`extension factors must exceed the stored grid's largest, ${maxFactor}`);
  checkSameDraws(base, source);
  const nBase = base.factors.length;
  const factors = Float64Array.from([...base.factors, ...extra]);
  const n = base.nDraws;
  const values = new Float32Array(base.channels.length * factors.length * n);
  const draw = new Float64Array(n);
  base.channels.forEach((channel, c) => {
    values.set(base.values.subarray(c * nBase * n, (c + 1) * nBase * n), c * factors.length * n);
    extra.forEach((f, i) => {
      source.channelContribution(c, f, draw);
      const bad = draw.findIndex((v) => !Number.isFinite(v));
      if (bad >= 0) throw new ComponentSourceError(`channel '${channel}' contribution at factor ${f} is ${draw[bad]} for draw ${bad}`);
      values.set(draw, (c * factors.length + nBase + i) * n);
    });
  });
  return { ...base, factors, values };
}

/**
 * The components of the surface in `surfaceDir` covering factors up to `cap`: the stored ones when their
 * grid reaches it, else a cached extension that reaches it, else a new extension computed from the source
 * `loadSource` gives (with the stored window and draw count) and cached.
 */
export async function componentsUpTo(
  runDir: string,
  surfaceDir: string,
  base: ResponseComponents,
  grid: FactorGridOptions,
  cap: number,
  loadSource: ResponseSourceLoader,
): Promise<ResponseComponents> {
  const maxFactor = base.factors[base.factors.length - 1];
  if (cap <= maxFactor) return base;
  const dir = join(surfaceDir, EXTENSION_DIR);
  const baseSha256 = await componentsDigest(surfaceDir);
  const cached = await readCachedExtension(dir, baseSha256);
  if (cached && cached.factors[cached.factors.length - 1] >= cap) return cached;
  const source = await loadSource(runDir, { window: base.window, maxDraws: base.nDraws });
  const extended = extendComponents(base, source, extensionFactors(grid, maxFactor, cap));
  await rm(dir, { recursive: true, force: true });
  await mkdir(dir, { recursive: true });
  await writeComponents(dir, extended);
  writeFileAtomically(
    join(dir, BASE_FILE),
    `${JSON.stringify({ format: 'mmm-components-extension', baseSha256 } satisfies z.infer<typeof extensionBaseSchema>)}\n`,
  );
  return extended;
}

/** The cached extension of the stored binary with digest `baseSha256`, or null when there is none (or it is unreadable or stale). */
async function readCachedExtension(dir: string, baseSha256: string): Promise<ResponseComponents | null> {
  if (!existsSync(join(dir, BASE_FILE))) return null;
  try {
    const marker = await readJsonFile(join(dir, BASE_FILE), extensionBaseSchema);
    return marker.baseSha256 === baseSha256 ? await readComponents(dir) : null;
  } catch (error) {
    if (error instanceof RunFileError) return null;
    throw error;
  }
}
