/**
 * Running the real `mmm` binary as a user would, and proving that a refused command wrote nothing: a
 * snapshot of a directory tree (every path with its SHA-256) taken before and after compares equal.
 */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { syntheticRows, toCsv, type CsvRow } from '../fixtures/data/synthetic-csv.ts';
import { REPO_ROOT } from '../support/reference-data.ts';

export interface CliResult { status: number | null; stdout: string; stderr: string }

/** `mmm ...args` in a child process; TEMPORAL_ADDRESS is cleared so optimize answers locally. */
export function runMmm(args: string[], cwd = REPO_ROOT): Promise<CliResult> {
  const env = { ...process.env };
  delete env.TEMPORAL_ADDRESS;
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, [join(REPO_ROOT, 'bin/mmm.js'), ...args], { cwd, env });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => { stdout += chunk; });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => { stderr += chunk; });
    child.on('error', fail);
    child.on('close', (status) => done({ status, stdout, stderr }));
  });
}

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
export const SMALL_CONFIG = {
  data: { date: 'date', kpi: 'sales', channels: [{ name: 'TV', spend: 'tv' }, { name: 'Radio', spend: 'radio' }], controls: ['promo'] },
  model: { maxLag: 2 },
  sampler: { chains: 4, warmup: 200, draws: 150, seed: 1 },
};

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
