/**
 * CLI start-up (issue 11, acceptance 6): wall seconds of `node bin/mmm.js --help`, min / median / max
 * over several runs, against the 0.5 s target. bin/mmm.js runs the compiled dist/ when it is current
 * (`npm run bench:cli` builds it first when it is not), else the sources through tsx; the figures say
 * which ran. For scale: node's own start (`node -e 0`) and the sources through tsx, fewer runs.
 * Run: npm run bench:cli [-- RUNS] (default 10).
 */
import { spawnSync } from 'node:child_process';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { distIsCurrent } from '../../scripts/dist.mjs';
import { REPO_ROOT } from '../support/reference-data.ts';

const TARGET_SECONDS = 0.5;
const runs = Number(process.argv[2] ?? 10);

/** Wall seconds of each of `n` runs of `node ...args`, which must exit 0. */
function wallSeconds(args: string[], n: number): number[] {
  const seconds: number[] = [];
  for (let i = 0; i < n; i++) {
    const started = performance.now();
    const result = spawnSync(process.execPath, args, { cwd: REPO_ROOT, encoding: 'utf8' });
    seconds.push((performance.now() - started) / 1000);
    if (result.status !== 0) throw new Error(`node ${args.join(' ')} exited ${result.status}: ${result.stderr}`);
  }
  return seconds.sort((a, b) => a - b);
}

const median = (sorted: number[]): number =>
  sorted.length % 2 === 1 ? sorted[sorted.length >> 1] : (sorted[sorted.length / 2 - 1] + sorted[sorted.length / 2]) / 2;

const line = (label: string, sorted: number[]): string =>
  `${label.padEnd(34)} runs ${String(sorted.length).padStart(2)}  min ${sorted[0].toFixed(3)} s  median ${median(sorted).toFixed(3)} s  max ${sorted[sorted.length - 1].toFixed(3)} s`;

const compiled = distIsCurrent();
console.log(`load average ${loadavg().map((l) => l.toFixed(2)).join(' ')} (shared machine: figures grow with it)`);
const help = wallSeconds([join('bin', 'mmm.js'), '--help'], runs);
console.log(line(`mmm --help (${compiled ? 'compiled dist/' : 'sources: dist/ not current'})`, help));
console.log(line('node -e 0 (node alone)', wallSeconds(['-e', '0'], runs)));
console.log(line('mmm --help from sources via tsx', wallSeconds(['--import', 'tsx', join('src', 'cli', 'main.ts'), '--help'], Math.min(runs, 3))));
const helpMedian = median(help);
console.log(`target: median <= ${TARGET_SECONDS} s: ${helpMedian <= TARGET_SECONDS ? 'met' : 'MISSED'} (median ${helpMedian.toFixed(3)} s)`);
