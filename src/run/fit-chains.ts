/**
 * The chains of a fit fanned out over activities (one per chain, DESIGN.md section 6): each chain's
 * result kept in the run directory (fit-chains/chain-<k>.v8), so the combine activity, on whichever
 * worker it runs, finds every chain in run storage. Written atomically, with the sampler settings it
 * was sampled under; a file that is absent, unreadable or from other settings is no chain, and the chain
 * is sampled again (with the same seed it gives the same draws). Node's structured-clone serialiser
 * (node:v8) carries the typed arrays as they are; its format is backward compatible, so a newer worker
 * reads what an older one wrote.
 */
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { deserialize, serialize } from 'node:v8';
import { isDeepStrictEqual } from 'node:util';
import { z } from 'zod';
import { samplerSchema, type SamplerConfig } from '../config/sampler-config.ts';
import type { SampledChains } from '../fit/fit-mmm.ts';
import { chainResultSchema } from '../inference/sampler.ts';
import { writeFileAtomically } from '../io/atomic-file.ts';
import { RunStateError } from '../io/run-manifest.ts';

export const FIT_CHAINS_DIR = 'fit-chains';
const FIT_CHAIN_FORMAT = 'mmm-fit-chain/1';

export const storedChainSchema = z
  .object({
    format: z.literal(FIT_CHAIN_FORMAT),
    chainIndex: z.number().int().min(0),
    /** The config's sampler settings the chain ran under: a chain of other settings is not this fit's. */
    sampler: samplerSchema,
    /** Date.now() when the chain's activity began and when its draws were ready. */
    startedAt: z.number(),
    finishedAt: z.number(),
    result: chainResultSchema,
  })
  .strict();
export type StoredChain = z.infer<typeof storedChainSchema>;

const chainFile = (dir: string, chainIndex: number): string => join(dir, FIT_CHAINS_DIR, `chain-${chainIndex}.v8`);

export function writeFitChain(dir: string, chain: Omit<StoredChain, 'format'>): void {
  mkdirSync(join(dir, FIT_CHAINS_DIR), { recursive: true });
  writeFileAtomically(chainFile(dir, chain.chainIndex), serialize({ format: FIT_CHAIN_FORMAT, ...chain } satisfies StoredChain));
}

/** Why the stored chain `chainIndex` cannot be used for a fit under `sampler`, or the chain. */
function storedChain(dir: string, chainIndex: number, sampler: SamplerConfig): StoredChain | string {
  const file = chainFile(dir, chainIndex);
  if (!existsSync(file)) return `${file} is absent`;
  let value: unknown;
  try {
    value = deserialize(readFileSync(file));
  } catch (error) {
    return `${file} is unreadable (${error instanceof Error ? error.message : String(error)})`;
  }
  const parsed = storedChainSchema.safeParse(value);
  if (!parsed.success) return `${file}: ${z.prettifyError(parsed.error)}`;
  if (parsed.data.chainIndex !== chainIndex) return `${file} holds chain ${parsed.data.chainIndex}`;
  if (!isDeepStrictEqual(parsed.data.sampler, sampler)) return `${file} was sampled under other sampler settings`;
  return parsed.data;
}

/** Chain `chainIndex` as an earlier attempt stored it, or null when it is to be sampled (again). */
export function reusableFitChain(dir: string, chainIndex: number, sampler: SamplerConfig): StoredChain | null {
  const chain = storedChain(dir, chainIndex, sampler);
  return typeof chain === 'string' ? null : chain;
}

/** Every chain of the fit, in chain order; refuses (RunStateError, naming the file) when one is missing or unusable. */
export function readFitChains(dir: string, sampler: SamplerConfig): StoredChain[] {
  return Array.from({ length: sampler.chains }, (_, chainIndex) => {
    const chain = storedChain(dir, chainIndex, sampler);
    if (typeof chain === 'string') throw new RunStateError(`chain ${chainIndex} of the fit cannot be combined: ${chain}`);
    return chain;
  });
}

/** The chains' files, once the combined fit is committed (its posterior holds every draw). */
export function removeFitChains(dir: string): void {
  rmSync(join(dir, FIT_CHAINS_DIR), { recursive: true, force: true });
}

/** The combined fit's chains and the moment the first of them began. */
export function sampledChains(stored: readonly StoredChain[]): SampledChains {
  return {
    dim: stored[0].result.inverseMetric.length,
    chains: stored.map((chain) => chain.result),
    startedAt: Math.min(...stored.map((chain) => chain.startedAt)),
  };
}
