/**
 * The run-commit protocol (DESIGN.md section 9, "Run commit protocol"): every artefact of a run is
 * written first, then a manifest naming each file with its size and SHA-256; the manifest is the single
 * commit point. A directory without a valid manifest holds no run, and readers verify what they read
 * against it, so a half-written, half-replaced, truncated or edited run is refused, never used.
 *
 * Nothing here relies on rename: artefacts may be written in place, and the commit is one write of one
 * object. On object storage (src/run/storage/gcs-run-store.ts) the manifest is written last with a
 * generation precondition and the same readers apply. A surface (DIR/surface/) is committed the same way by its own manifest, which
 * also records the posterior it was built from (`PosteriorRef`), so a re-fit makes it stale.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { z } from 'zod';

export const RUN_MANIFEST_FILE = 'manifest.json';
/** The stored posterior: the header (config, panel, layout) and the draws. Both identify the model. */
export const POSTERIOR_FILES = ['posterior.json', 'posterior.bin'] as const;

const sha256Schema = z.string().regex(/^[0-9a-f]{64}$/);

export const manifestEntrySchema = z
  .object({
    /** Path relative to the directory the manifest commits, '/'-separated. */
    path: z.string().min(1),
    bytes: z.number().int().nonnegative(),
    sha256: sha256Schema,
  })
  .strict();
export type ManifestEntry = z.infer<typeof manifestEntrySchema>;

export const runManifestSchema = z
  .object({
    format: z.literal('mmm-run'),
    version: z.literal(1),
    committedAt: z.iso.datetime(),
    files: z.array(manifestEntrySchema),
  })
  .strict();
export type RunManifest = z.infer<typeof runManifestSchema>;

/** The SHA-256 of each posterior file a surface was built from. */
export const posteriorRefSchema = z.object({ 'posterior.json': sha256Schema, 'posterior.bin': sha256Schema }).strict();
export type PosteriorRef = z.infer<typeof posteriorRefSchema>;

/** A directory that is not a committed, intact run, or a surface that does not belong to its run. */
export class RunStateError extends Error {
  override readonly name = 'RunStateError';
}

const sha256 = (data: string | Uint8Array): string => createHash('sha256').update(data).digest('hex');

/**
 * Writes one artefact of a run that is not committed yet and returns its manifest entry: the hash of the
 * bytes written (not re-read), so that a manifest never vouches for bytes another writer put there.
 */
export function writeArtefact(dir: string, path: string, data: string | Uint8Array): ManifestEntry {
  const file = join(dir, path);
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, data);
  return { path, bytes: typeof data === 'string' ? Buffer.byteLength(data) : data.byteLength, sha256: sha256(data) };
}

/** Commits a run whose artefacts are written: the manifest, written last, is the commit point. */
export function commitRun(dir: string, files: ManifestEntry[]): RunManifest {
  const manifest: RunManifest = { format: 'mmm-run', version: 1, committedAt: new Date().toISOString(), files };
  writeFileSync(join(dir, RUN_MANIFEST_FILE), `${JSON.stringify(manifest, null, 1)}\n`);
  return manifest;
}

/**
 * Empties a directory for a new run: the manifest goes first, so from that moment no reader accepts the
 * directory, and a crash part-way through the rest leaves no usable run (neither the old nor a mix).
 */
export function clearRun(dir: string): void {
  rmSync(join(dir, RUN_MANIFEST_FILE), { force: true });
  for (const name of readdirSync(dir)) rmSync(join(dir, name), { recursive: true, force: true });
}

/** The directory's manifest; refuses (naming the directory) a missing directory or a missing or invalid manifest. */
export function readManifest(dir: string): RunManifest {
  let text: string;
  try {
    text = readFileSync(join(dir, RUN_MANIFEST_FILE), 'utf8');
  } catch {
    let isDirectory = false;
    try {
      isDirectory = statSync(dir).isDirectory();
    } catch {
      /* reported below */
    }
    throw new RunStateError(
      isDirectory
        ? `${dir} holds no committed run (no ${RUN_MANIFEST_FILE}: the fit did not finish, or this is not a run directory); run mmm fit --out ${dir}`
        : `${dir}: no such run directory`,
    );
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new RunStateError(
      `${join(dir, RUN_MANIFEST_FILE)} is not valid JSON (a commit that did not finish); the run in ${dir} is not usable: run mmm fit again`,
    );
  }
  const parsed = runManifestSchema.safeParse(json);
  if (!parsed.success) throw new RunStateError(`${join(dir, RUN_MANIFEST_FILE)}: not a run manifest (${z.prettifyError(parsed.error)})`);
  return parsed.data;
}

/**
 * The bytes of one committed file, checked against its manifest entry; `manifestFile` names the manifest
 * in messages. Refuses a file the manifest does not list, a missing file, and changed or truncated bytes.
 */
export function readVerifiedFile(dir: string, files: readonly ManifestEntry[], path: string, manifestFile: string): Buffer {
  const entry = files.find((f) => f.path === path);
  if (entry === undefined) throw new RunStateError(`${manifestFile} lists no ${path}: the run in ${dir} has none`);
  const file = join(dir, path);
  let bytes: Buffer;
  try {
    bytes = readFileSync(file);
  } catch {
    throw new RunStateError(`${file} is missing, but ${manifestFile} lists it: the run in ${dir} is damaged`);
  }
  if (bytes.byteLength !== entry.bytes) {
    throw new RunStateError(
      `${file} holds ${bytes.byteLength} bytes; ${manifestFile} records ${entry.bytes} (truncated or changed after the run was committed)`,
    );
  }
  if (sha256(bytes) !== entry.sha256) {
    throw new RunStateError(`${file} does not match the SHA-256 recorded in ${manifestFile} (changed after the run was committed)`);
  }
  return bytes;
}

/** A committed run's file, verified against the run manifest. */
export function readRunFile(dir: string, manifest: RunManifest, path: string): Buffer {
  return readVerifiedFile(dir, manifest.files, path, join(dir, RUN_MANIFEST_FILE));
}

/** Every file a set of manifest entries lists, verified; for readers that use a committed unit without reading all of it. */
export function verifyFiles(dir: string, files: readonly ManifestEntry[], manifestFile: string): void {
  for (const entry of files) readVerifiedFile(dir, files, entry.path, manifestFile);
}

/** The run's manifest after verifying every file it lists; refuses an uncommitted or damaged run. */
export function verifyRun(dir: string): RunManifest {
  const manifest = readManifest(dir);
  verifyFiles(dir, manifest.files, join(dir, RUN_MANIFEST_FILE));
  return manifest;
}

/** Whether the directory holds a committed, intact run (the retrain workflow reuses such a fit). */
export function isRunCommitted(dir: string): boolean {
  try {
    verifyRun(dir);
    return true;
  } catch (error) {
    if (error instanceof RunStateError) return false;
    throw error;
  }
}

/** The posterior a committed run holds, as a surface records it; refuses a run without one (a failed fit). */
export function posteriorRef(dir: string, manifest: RunManifest): PosteriorRef {
  const hash = (path: (typeof POSTERIOR_FILES)[number]) => {
    const entry = manifest.files.find((f) => f.path === path);
    if (entry === undefined) {
      throw new RunStateError(
        `${dir} holds no posterior (${join(dir, RUN_MANIFEST_FILE)} lists no ${path}): its fit failed its diagnostics; fix the model and run mmm fit again`,
      );
    }
    return entry.sha256;
  };
  return { 'posterior.json': hash('posterior.json'), 'posterior.bin': hash('posterior.bin') };
}

/**
 * Refuses a surface built from another posterior than the one the run holds now (the run was re-fitted
 * after the surface was built). Every reader of a surface (explore, optimize, publish) goes through it.
 */
export function checkSurfaceBuiltFrom(runDir: string, manifest: RunManifest, surfaceDir: string, builtFrom: PosteriorRef | null): void {
  const current = posteriorRef(runDir, manifest);
  const short = (hash: string) => hash.slice(0, 12);
  if (builtFrom === null) {
    throw new RunStateError(`${surfaceDir} does not record the posterior it was built from: re-run mmm surface`);
  }
  for (const path of POSTERIOR_FILES) {
    if (builtFrom[path] !== current[path]) {
      throw new RunStateError(
        `${surfaceDir} was built from another posterior (${path} sha256 ${short(builtFrom[path])}..., ` +
          `the run's is ${short(current[path])}...): the run was re-fitted after its surface was built; re-run mmm surface`,
      );
    }
  }
}
