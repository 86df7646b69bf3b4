/**
 * The compiled JavaScript in dist/ (tsconfig.build.json) that bin/mmm.js runs, and whether it is
 * current. dist/ is current when it was built after the last change to anything it is compiled from:
 * the build stamp's modification time is the time its build started, and every file *and directory*
 * under SOURCES must be older (a directory's time changes when a file is added, removed or renamed in
 * it, so deletions count too). Modification times err on the safe side: a checkout or a `touch`
 * makes dist/ stale even when nothing changed, never the reverse. Kept to node:fs so that checking
 * costs a few milliseconds at every start.
 */
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('..', import.meta.url));
export const DIST_DIR = join(ROOT, 'dist');
/** The CLI's entry point in dist/ (src/cli/main.ts compiled). */
export const DIST_CLI = join(DIST_DIR, 'src', 'cli', 'main.js');
/** Written by a successful build, its modification time set to when that build started (relative to the root). */
const BUILD_STAMP_PATH = join('dist', '.build-stamp');
export const BUILD_STAMP = join(ROOT, BUILD_STAMP_PATH);
/** What dist/ is compiled (or, for non-TypeScript files under the folders, copied) from, relative to ROOT. */
export const SOURCES = ['src', 'activities', 'workflows', 'tsconfig.json', 'tsconfig.build.json', 'scripts/build.mjs'];

/** The newest modification time (ms) of a path and, for a directory, of everything under it. */
function newestChange(path) {
  const stats = statSync(path);
  let newest = stats.mtimeMs;
  if (stats.isDirectory()) {
    for (const entry of readdirSync(path)) newest = Math.max(newest, newestChange(join(path, entry)));
  }
  return newest;
}

/** The newest modification time (ms) of anything dist/ is built from, in the project at `root`. */
export function newestSourceChange(root = ROOT) {
  return Math.max(...SOURCES.map((source) => newestChange(join(root, source))));
}

/** True when `root`/dist/ holds a build of the project's sources as they are now. */
export function distIsCurrent(root = ROOT) {
  let built;
  try {
    built = statSync(join(root, BUILD_STAMP_PATH)).mtimeMs;
  } catch {
    return false;
  }
  return newestSourceChange(root) <= built;
}
