/**
 * Response components on disk: `components.json` (header, zod-validated) next to `components.bin`
 * (little-endian: baseline float64[draw], then values float32[channel][factor][draw], then with synergy pairs
 * their grids float32[pair][factor of c][factor of d][draw]). The header carries
 * the binary's length and SHA-256 so a header never silently describes another run's binary.
 */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { endianness } from 'node:os';
import { join } from 'node:path';
import { z } from 'zod';
import { type ManifestEntry, writeArtefact } from '../io/run-manifest.ts';
import type { ResponseComponents } from './components.ts';
import { readJsonFile, RunFileError } from './json-file.ts';
import { marketIndexSchema } from './markets.ts';

export const COMPONENTS_HEADER_FILE = 'components.json';
export const COMPONENTS_BINARY_FILE = 'components.bin';

const componentsHeaderSchema = z
  .object({
    format: z.literal('mmm-response-components'),
    version: z.literal(1),
    channels: z.array(z.string().min(1)).min(1),
    historicalSpend: z.array(z.number().positive()),
    nDraws: z.number().int().positive(),
    window: z.object({ start: z.iso.date(), end: z.iso.date() }).strict(),
    observedTotal: z.number(),
    factors: z
      .array(z.number().nonnegative())
      .min(3)
      .refine((f) => f[0] === 0 && f.includes(1) && f.every((v, i) => i === 0 || v > f[i - 1]), 'factors must ascend from 0 and contain 1'),
    /** Components by market: the geo and channel of each series (absent: series are channels). */
    markets: marketIndexSchema.optional(),
    /** Synergy pairs' 2-D grids (components.ts, PairGrids): channel index pairs and the grid's factors (absent: none). */
    pairGrids: z
      .object({
        pairs: z.array(z.tuple([z.number().int().nonnegative(), z.number().int().nonnegative()])).min(1),
        factors: z.array(z.number().nonnegative()).min(2),
      })
      .strict()
      .optional(),
    byteLength: z.number().int().positive(),
    sha256: z.string().regex(/^[0-9a-f]{64}$/),
  })
  .strict();

function assertLittleEndian(file: string): void {
  if (endianness() !== 'LE') throw new RunFileError(file, 'the format is little-endian; this platform is big-endian');
}

/** Writes both files; returns their manifest entries (the surface's manifest lists them). */
export async function writeComponents(dir: string, components: ResponseComponents): Promise<ManifestEntry[]> {
  assertLittleEndian(join(dir, COMPONENTS_BINARY_FILE));
  const binary = Buffer.concat([
    Buffer.from(components.baseline.buffer, components.baseline.byteOffset, components.baseline.byteLength),
    Buffer.from(components.values.buffer, components.values.byteOffset, components.values.byteLength),
    ...(components.pairGrids
      ? [Buffer.from(components.pairGrids.values.buffer, components.pairGrids.values.byteOffset, components.pairGrids.values.byteLength)]
      : []),
  ]);
  const header: z.infer<typeof componentsHeaderSchema> = {
    format: 'mmm-response-components',
    version: 1,
    channels: [...components.channels],
    historicalSpend: [...components.historicalSpend],
    nDraws: components.nDraws,
    window: components.window,
    observedTotal: components.observedTotal,
    factors: [...components.factors],
    ...(components.markets ? { markets: components.markets } : {}),
    ...(components.pairGrids
      ? {
          pairGrids: {
            pairs: components.pairGrids.pairs.map(([c, d]): [number, number] => [c, d]),
            factors: [...components.pairGrids.factors],
          },
        }
      : {}),
    byteLength: binary.byteLength,
    sha256: createHash('sha256').update(binary).digest('hex'),
  };
  return [
    writeArtefact(dir, COMPONENTS_BINARY_FILE, binary),
    writeArtefact(dir, COMPONENTS_HEADER_FILE, `${JSON.stringify(header, null, 1)}\n`),
  ];
}

/** The SHA-256 of the stored binary, as its header records it (it changes whenever the components do). */
export async function componentsDigest(dir: string): Promise<string> {
  return (await readJsonFile(join(dir, COMPONENTS_HEADER_FILE), componentsHeaderSchema)).sha256;
}

export async function readComponents(dir: string): Promise<ResponseComponents> {
  const headerPath = join(dir, COMPONENTS_HEADER_FILE);
  const binaryPath = join(dir, COMPONENTS_BINARY_FILE);
  assertLittleEndian(binaryPath);
  const header = await readJsonFile(headerPath, componentsHeaderSchema);
  const binary = await readFile(binaryPath);
  const nValues = header.channels.length * header.factors.length * header.nDraws;
  const nPairValues = header.pairGrids ? header.pairGrids.pairs.length * header.pairGrids.factors.length ** 2 * header.nDraws : 0;
  const expected = header.nDraws * 8 + nValues * 4 + nPairValues * 4;
  if (binary.byteLength !== header.byteLength || binary.byteLength !== expected) {
    throw new RunFileError(binaryPath, `holds ${binary.byteLength} bytes; ${headerPath} describes ${expected}`);
  }
  if (createHash('sha256').update(binary).digest('hex') !== header.sha256) {
    throw new RunFileError(binaryPath, `does not match the SHA-256 recorded in ${headerPath}`);
  }
  if (header.historicalSpend.length !== header.channels.length) {
    throw new RunFileError(headerPath, `${header.historicalSpend.length} historical spends for ${header.channels.length} channels`);
  }
  if (header.markets && header.markets.geoOf.length !== header.channels.length) {
    throw new RunFileError(headerPath, `its market index holds ${header.markets.geoOf.length} pairs for ${header.channels.length} series`);
  }
  // Copy into fresh buffers: a Buffer's offset need not be aligned for typed-array views.
  const bytes = new Uint8Array(binary);
  return {
    channels: header.channels,
    historicalSpend: Float64Array.from(header.historicalSpend),
    nDraws: header.nDraws,
    window: header.window,
    observedTotal: header.observedTotal,
    factors: Float64Array.from(header.factors),
    baseline: new Float64Array(bytes.buffer, 0, header.nDraws),
    values: new Float32Array(bytes.buffer, header.nDraws * 8, nValues),
    ...(header.markets ? { markets: header.markets } : {}),
    ...(header.pairGrids
      ? {
          pairGrids: {
            pairs: header.pairGrids.pairs,
            factors: Float64Array.from(header.pairGrids.factors),
            values: new Float32Array(bytes.buffer, header.nDraws * 8 + nValues * 4, nPairValues),
          },
        }
      : {}),
  };
}
