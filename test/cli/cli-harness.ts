/**
 * Running the real `mmm` binary as a user would, and proving that a refused command wrote nothing: a
 * snapshot of a directory tree (every path with its SHA-256) taken before and after compares equal.
 */
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { NATIONAL_CONFIG_FILE, syntheticRows, toCsv, type CsvRow } from '../fixtures/data/synthetic-csv.ts';
import { REPO_ROOT } from '../support/reference-data.ts';

/** Every file and directory under `root` (relative path -> SHA-256, or 'dir'); empty when root is absent. */
export function snapshotTree(root: string): Record<string, string> {
  const tree: Record<string, string> = {};
  if (!existsSync(root)) return tree;
  const walk = (dir: string) => {
    for (const name of readdirSync(dir).sort()) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) {
        tree[relative(root, path)] = 'dir';
        walk(path);
      } else {
        tree[relative(root, path)] = createHash('sha256').update(readFileSync(path)).digest('hex');
      }
    }
  };
  walk(root);
  return tree;
}

/** A small national model that fits in seconds; the synthetic data have a trend the model explains. */
export const SMALL_CONFIG = { ...NATIONAL_CONFIG_FILE, sampler: { chains: 4, warmup: 200, draws: 150, seed: 1 } };

/** The same data under another model (no control, longer lag): a re-fit that must not answer as the first. */
export const OTHER_CONFIG = { ...SMALL_CONFIG, data: { ...SMALL_CONFIG.data, controls: [] }, model: { maxLag: 3 } };

export const WEEKS = 30;

/** Writes data.csv (optionally edited) and config.json into `dir`; returns their paths. */
export function writeInputs(dir: string, options: { rows?: CsvRow[]; config?: unknown } = {}): { data: string; config: string } {
  const data = join(dir, 'data.csv');
  const config = join(dir, 'config.json');
  writeFileSync(data, toCsv(options.rows ?? syntheticRows(WEEKS)));
  writeFileSync(config, JSON.stringify(options.config ?? SMALL_CONFIG));
  return { data, config };
}
