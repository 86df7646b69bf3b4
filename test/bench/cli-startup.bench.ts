/**
 * CLI start-up (issue 11, acceptance 6): wall seconds of `node bin/mmm.js --help`, min / median / max
 * over several runs, against the 0.5 s target. bin/mmm.js runs the compiled dist/ when it is current
 * (`npm run bench:cli` builds it first when it is not), else the sources through tsx; the output says
 * which ran. For scale: node's own start (`node -e 0`) and the sources through tsx (fewer runs), and
 * the load average, since wall time on a shared machine grows with it. Where GNU time is installed
 * the CPU seconds (user + system) of each run are printed too: they barely depend on the load.
 * Run: npm run bench:cli [-- RUNS] (default 10).
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { distIsCurrent } from '../../scripts/dist.mjs';
import { REPO_ROOT } from '../support/reference-data.ts';

const TARGET_SECONDS = 0.5;
const GNU_TIME = '/usr/bin/time';
const runs = Number(process.argv[2] ?? 10);

interface Timing {
  wall: number[];
  cpu: number[];
}

/** Wall (and, with GNU time, CPU) seconds of each of `n` runs of `node ...args`, which must exit 0; sorted. */
function time(args: string[], n: number): Timing {
  const wall: number[] = [];
  const cpu: number[] = [];
  const withCpu = existsSync(GNU_TIME);
  for (let i = 0; i < n; i++) {
    const [command, commandArgs] = withCpu ? [GNU_TIME, ['-f', 'cpu %U %S', process.execPath, ...args]] : [process.execPath, args];
    const started = performance.now();
    const result = spawnSync(command, commandArgs, { cwd: REPO_ROOT, encoding: 'utf8' });
    wall.push((performance.now() - started) / 1000);
    if (result.status !== 0) throw new Error(`node ${args.join(' ')} exited ${result.status}: ${result.stderr}`);
    const used = /cpu (\S+) (\S+)\s*$/.exec(result.stderr);
    if (used) cpu.push(Number(used[1]) + Number(used[2]));
  }
  return { wall: wall.sort((a, b) => a - b), cpu: cpu.sort((a, b) => a - b) };
}

const median = (sorted: number[]): number =>
  sorted.length % 2 === 1 ? sorted[sorted.length >> 1] : (sorted[sorted.length / 2 - 1] + sorted[sorted.length / 2]) / 2;

const line = (label: string, { wall, cpu }: Timing): string =>
  `${label.padEnd(34)} runs ${String(wall.length).padStart(2)}  wall min ${wall[0].toFixed(3)} s  median ${median(wall).toFixed(3)} s  max ${wall[wall.length - 1].toFixed(3)} s` +
  (cpu.length > 0 ? `  (cpu median ${median(cpu).toFixed(2)} s)` : '');

console.log(
  `load average ${loadavg()
    .map((l) => l.toFixed(2))
    .join(' ')} (shared machine: wall times grow with it)`,
);
const compiled = distIsCurrent();
const help = time([join('bin', 'mmm.js'), '--help'], runs);
console.log(line(`mmm --help (${compiled ? 'compiled dist/' : 'sources: dist/ not current'})`, help));
console.log(line('node -e 0 (node alone)', time(['-e', '0'], runs)));
console.log(line('mmm --help from sources via tsx', time(['--import', 'tsx', join('src', 'cli', 'main.ts'), '--help'], Math.min(runs, 3))));
const helpMedian = median(help.wall);
console.log(
  `target: median wall <= ${TARGET_SECONDS} s: ${helpMedian <= TARGET_SECONDS ? 'met' : 'MISSED'} (median ${helpMedian.toFixed(3)} s)`,
);
