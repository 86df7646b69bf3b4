/** Files written so that a crash (or a killed worker) never leaves a half-written file under the final name. */
import { renameSync, writeFileSync } from 'node:fs';

/** Writes to `<path>.<pid>.partial`, then renames; the rename is atomic within one file system. */
export function writeFileAtomically(path: string, data: string | Uint8Array): void {
  const partial = `${path}.${process.pid}.partial`;
  writeFileSync(partial, data);
  renameSync(partial, path);
}
