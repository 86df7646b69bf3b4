/**
 * Runs in a local directory (`MMM_RUNS_DIR`, default .mmm/runs): `<root>/<run id>/`. The workspace is the
 * run directory itself, so activities write in place with the run-commit protocol and saving has nothing
 * left to do. Workers on several machines need the directory on a shared file system.
 */
import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile } from 'node:fs/promises';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { writeFileAtomically } from '../../io/atomic-file.ts';
import { RUN_MANIFEST_FILE } from '../../io/run-manifest.ts';
import { checkRunId, checkSharedPath, localPath, type RunStore, RunStorePathError } from './run-store.ts';

export class LocalRunStore implements RunStore {
  readonly root: string;

  constructor(root: string) {
    this.root = resolve(root);
  }

  locate(runId: string): string {
    return join(this.root, checkRunId(runId));
  }

  async open(runId: string) {
    const dir = this.locate(runId);
    await mkdir(dir, { recursive: true });
    return { dir, save: async () => {}, close: async () => {} };
  }

  async listRuns(): Promise<string[]> {
    let entries;
    try {
      entries = await readdir(this.root, { withFileTypes: true });
    } catch {
      return [];
    }
    return entries
      .filter((entry) => entry.isDirectory() && existsSync(join(this.root, entry.name, RUN_MANIFEST_FILE)))
      .map((entry) => entry.name)
      .sort();
  }

  async writeShared(path: string, text: string): Promise<string> {
    const file = localPath(this.root, checkSharedPath(path));
    await mkdir(dirname(file), { recursive: true });
    writeFileAtomically(file, text);
    return file;
  }

  async readShared(location: string): Promise<string> {
    const inside = relative(this.root, resolve(location));
    if (inside.startsWith(`..${sep}`) || inside === '..' || resolve(location) === this.root) {
      throw new RunStorePathError(`${location} is not a file under run storage ${this.root}`);
    }
    return readFile(location, 'utf8');
  }
}
