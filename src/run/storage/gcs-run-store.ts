/**
 * Runs in Google Cloud Storage (`MMM_RUNS_URI=gs://bucket/prefix`): run `<id>` is the objects under
 * `<prefix>/<id>/`, so workers on any machine with access to the bucket share runs without a shared
 * file system. A workspace downloads the run into a temporary directory and remembers each object's
 * generation; saving uploads what changed.
 *
 * GCS has no rename, so the commit is the order of writes (the run-commit protocol of
 * src/io/run-manifest.ts): a commit point the workspace replaced or removed is deleted first (the
 * run is withdrawn), then the artefacts are uploaded, then the commit points, each with
 * `ifGenerationMatch: 0` (created only if absent), so two writers cannot both commit a run; last the
 * removed artefacts are deleted. Every other write and delete is conditional on the generation the
 * workspace saw when it opened (0: absent), so a save never overwrites what another writer stored in
 * between. A refused precondition is a RunStoreConflictError unless the object already holds exactly
 * the bytes this save writes: then it is this writer's own earlier write (a retried activity, or the
 * client's retry of a request whose answer was lost), and the save goes on.
 */
import { createHash } from 'node:crypto';
import { mkdtemp, mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { ApiError, type Bucket, Storage } from '@google-cloud/storage';
import { RUN_MANIFEST_FILE } from '../../io/run-manifest.ts';
import {
  checkRunId,
  checkSharedPath,
  COMMIT_POINTS,
  localPath,
  RunStoreConflictError,
  RunStorePathError,
  storedPath,
  type RunStore,
  type RunWorkspace,
} from './run-store.ts';

export interface GcsRunStoreLocation {
  bucket: string;
  /** Object-name prefix of every run, without leading or trailing '/'; empty for the bucket's root. */
  prefix: string;
  /** The storage API's base URL when it is not Google's (an emulator, a private endpoint). */
  endpoint?: string;
}

/** What a workspace saw of one object when it opened. */
interface SeenObject {
  generation: string;
  sha256: string;
}

const sha256 = (data: Uint8Array): string => createHash('sha256').update(data).digest('hex');

/** The HTTP status GCS answers when a generation precondition does not hold. */
const PRECONDITION_FAILED = 412;
const NOT_FOUND = 404;
const statusOf = (error: unknown): number | undefined => (error instanceof ApiError ? error.code : undefined);

async function listFilesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries.filter((entry) => entry.isFile()).map((entry) => storedPath(relative(dir, join(entry.parentPath, entry.name))));
}

export class GcsRunStore implements RunStore {
  private readonly bucket: Bucket;
  private readonly location: GcsRunStoreLocation;

  constructor(location: GcsRunStoreLocation) {
    this.location = location;
    const storage = new Storage(location.endpoint === undefined ? {} : { apiEndpoint: location.endpoint });
    this.bucket = storage.bucket(location.bucket);
  }

  /** The object name of `path` under the store's prefix. */
  private objectName(path: string): string {
    return this.location.prefix === '' ? path : `${this.location.prefix}/${path}`;
  }

  private uri(path: string): string {
    return `gs://${this.location.bucket}/${this.objectName(path)}`;
  }

  locate(runId: string): string {
    return this.uri(checkRunId(runId));
  }

  async open(runId: string): Promise<RunWorkspace> {
    const runPrefix = `${this.objectName(checkRunId(runId))}/`;
    const dir = await mkdtemp(join(tmpdir(), `mmm-run-${runId}-`));
    const seen = new Map<string, SeenObject>();
    try {
      const [objects] = await this.bucket.getFiles({ prefix: runPrefix });
      for (const object of objects) {
        const path = object.name.slice(runPrefix.length);
        const [bytes] = await object.download();
        const file = localPath(dir, path);
        await mkdir(dirname(file), { recursive: true });
        await writeFile(file, bytes);
        seen.set(path, { generation: String(object.metadata.generation), sha256: sha256(bytes) });
      }
    } catch (error) {
      await rm(dir, { recursive: true, force: true });
      throw error;
    }
    return {
      dir,
      save: () => this.save(runId, dir, seen),
      close: () => rm(dir, { recursive: true, force: true }),
    };
  }

  private async save(runId: string, dir: string, seen: Map<string, SeenObject>): Promise<void> {
    const runPath = (path: string) => `${runId}/${path}`;
    const local = new Map<string, Buffer>();
    for (const path of await listFilesUnder(dir)) local.set(path, await readFile(localPath(dir, path)));
    const changed = [...local.keys()].filter((path) => seen.get(path)?.sha256 !== sha256(local.get(path)!));
    const removed = [...seen.keys()].filter((path) => !local.has(path));
    const isCommitPoint = (path: string) => (COMMIT_POINTS as readonly string[]).includes(path);
    const commitPoints = COMMIT_POINTS.filter((path) => changed.includes(path));

    // Withdraw a commit point that is replaced or removed before touching anything it names.
    for (const path of COMMIT_POINTS) {
      const before = seen.get(path);
      if (before !== undefined && (changed.includes(path) || removed.includes(path))) await this.remove(runPath(path), before.generation);
    }
    for (const path of changed.filter((path) => !isCommitPoint(path))) {
      await this.put(runPath(path), local.get(path)!, seen.get(path)?.generation ?? '0');
    }
    for (const path of commitPoints) await this.put(runPath(path), local.get(path)!, '0');
    for (const path of removed.filter((path) => !isCommitPoint(path))) await this.remove(runPath(path), seen.get(path)!.generation);
  }

  /** Writes `bytes` if the object's generation is still `generation` ('0': absent); see the module comment for a refusal. */
  private async put(path: string, bytes: Buffer, generation: string): Promise<void> {
    const object = this.bucket.file(this.objectName(path));
    try {
      await object.save(bytes, { resumable: false, preconditionOpts: { ifGenerationMatch: Number(generation) } });
    } catch (error) {
      if (statusOf(error) !== PRECONDITION_FAILED) throw error;
      const stored = await object.download().then(
        ([data]) => data,
        () => null,
      );
      if (stored !== null && sha256(stored) === sha256(bytes)) return;
      const what = path.endsWith(`/${RUN_MANIFEST_FILE}`) ? 'a different run manifest (another writer committed this run)' : 'other bytes';
      throw new RunStoreConflictError(
        `${this.uri(path)} already holds ${what}, written after this activity read the run: nothing was committed over it; ` +
          'two writers worked on one run (check that one workflow runs per run id), or retry to start from what is stored',
      );
    }
  }

  /** Deletes the object if its generation is still `generation`; an object already gone is removed. */
  private async remove(path: string, generation: string): Promise<void> {
    try {
      await this.bucket.file(this.objectName(path)).delete({ ifGenerationMatch: Number(generation) });
    } catch (error) {
      const status = statusOf(error);
      if (status === NOT_FOUND) return;
      if (status !== PRECONDITION_FAILED) throw error;
      throw new RunStoreConflictError(
        `${this.uri(path)} was replaced after this activity read the run, so it was not removed; two writers worked on one run`,
      );
    }
  }

  async listRuns(): Promise<string[]> {
    const base = this.location.prefix === '' ? '' : `${this.location.prefix}/`;
    const [objects] = await this.bucket.getFiles({ prefix: base, matchGlob: `${base}*/${RUN_MANIFEST_FILE}` });
    // Filtered here too: the glob narrows the listing where the service supports it, the filter decides.
    const runs: string[] = [];
    for (const object of objects) {
      const [runId, file, ...deeper] = object.name.slice(base.length).split('/');
      if (file === RUN_MANIFEST_FILE && deeper.length === 0) runs.push(runId!);
    }
    return runs.sort();
  }

  async writeShared(path: string, text: string): Promise<string> {
    checkSharedPath(path);
    // A shared file is written whole by one activity and replaced by its retry: no precondition.
    await this.bucket.file(this.objectName(path)).save(text, { resumable: false });
    return this.uri(path);
  }

  async readShared(location: string): Promise<string> {
    const root = `${this.uri('')}`;
    if (!location.startsWith(root)) throw new RunStorePathError(`${location} is not an object under run storage ${root}`);
    const [bytes] = await this.bucket.file(this.objectName(checkSharedPath(location.slice(root.length)))).download();
    return bytes.toString('utf8');
  }
}
