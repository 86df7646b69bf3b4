/**
 * Run storage (DESIGN.md section 9, "Run storage"): where the retrain workflow's activities keep each run
 * between activities, and where later readers (optimize, plan, publish) find it. One contract, two
 * implementations: a local directory (local-run-store.ts, the default) and Google Cloud Storage
 * (gcs-run-store.ts, `MMM_RUNS_URI=gs://bucket/prefix`), chosen by open-run-store.ts.
 *
 * The code that reads and writes a run works on a local directory (the run-commit protocol of
 * src/io/run-manifest.ts, the surface's stages). A store hands it one as a workspace: the run directory
 * itself when runs are local, a download of the run into a temporary directory when they are not; saving
 * the workspace stores what changed with the same protocol (artefacts first, each commit point last).
 */
import { join } from 'node:path';
import { RUN_MANIFEST_FILE } from '../../io/run-manifest.ts';
import { MANIFEST_FILE as SURFACE_MANIFEST_FILE, SURFACE_DIR } from '../../surface/surface-run.ts';

/**
 * The files that commit a unit of a run, '/'-separated and relative to the run: the surface's manifest and
 * the run's manifest, in the order a save writes them (each written after every artefact it could name).
 */
export const COMMIT_POINTS = [`${SURFACE_DIR}/${SURFACE_MANIFEST_FILE}`, RUN_MANIFEST_FILE] as const;

/** A local copy of one run that activities read and write like a run directory. */
export interface RunWorkspace {
  /**
   * The local directory holding the run's files as stored when the workspace was opened. Only files are
   * stored: an empty folder does not survive a save to object storage, so code makes the folders it writes into.
   */
  readonly dir: string;
  /**
   * Stores what changed in `dir` since the workspace was opened: new and changed artefacts first, then
   * the commit points, then removals. Refuses (RunStoreConflictError) when another writer changed the
   * run in between; a write it finds already stored with the same bytes (its own retried write) is done.
   */
  save(): Promise<void>;
  /** Releases the workspace (removes a downloaded copy; the local store's run directory stays). */
  close(): Promise<void>;
}

export interface RunStore {
  /** Where run `runId` is stored, for messages and activity results: a directory or a gs:// URI. */
  locate(runId: string): string;
  /** A workspace on run `runId`, holding whatever of the run is stored (nothing for a new run). */
  open(runId: string): Promise<RunWorkspace>;
  /** The ids of the committed runs (those holding a run manifest), sorted. */
  listRuns(): Promise<string[]>;
  /**
   * Stores a small file outside any run, for an activity on another worker to read (an answered plan's
   * rows); `path` is '/'-separated under the store. Returns its location, the argument of readShared.
   */
  writeShared(path: string, text: string): Promise<string>;
  /** The text writeShared stored at `location`. */
  readShared(location: string): Promise<string>;
}

/** Another writer changed a run (or a shared file) after this workspace read it; nothing of this save is committed over it. */
export class RunStoreConflictError extends Error {
  override readonly name = 'RunStoreConflictError';
}

/** A run id or shared path that cannot name a place in a store. */
export class RunStorePathError extends Error {
  override readonly name = 'RunStorePathError';
}

/** Refuses a run id that is not one plain path segment (it names a folder or object prefix under the store). */
export function checkRunId(runId: string): string {
  if (!/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(runId)) {
    throw new RunStorePathError(
      `run id '${runId}' is not a plain name (letters, digits, '.', '_', '-'): it cannot name a run in run storage`,
    );
  }
  return runId;
}

/** Refuses a shared path that climbs out of the store or is absolute. */
export function checkSharedPath(path: string): string {
  const segments = path.split('/');
  if (segments.some((segment) => segment === '' || segment === '.' || segment === '..')) {
    throw new RunStorePathError(`'${path}' is not a relative '/'-separated path without '.' or '..' segments`);
  }
  return path;
}

/** '/'-separated relative path of a file in a workspace, from its path relative to the workspace directory. */
export const storedPath = (relative: string): string => relative.split(/[\\/]/).join('/');

/** The local path of a stored path inside `dir`. */
export const localPath = (dir: string, path: string): string => join(dir, ...path.split('/'));

/**
 * Runs `use` on a workspace of run `runId` and, when `save` is set and `use` returned, stores what it
 * changed; the workspace is released either way. A failed `use` stores nothing.
 */
export async function withRunWorkspace<T>(
  store: RunStore,
  runId: string,
  options: { save: boolean },
  use: (dir: string) => T | Promise<T>,
): Promise<T> {
  const workspace = await store.open(runId);
  try {
    const result = await use(workspace.dir);
    if (options.save) await workspace.save();
    return result;
  } finally {
    await workspace.close();
  }
}
