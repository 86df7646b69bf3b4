/**
 * `npm run bench:chain-fanout`: the 40-geo x 5-channel fit of bench:scale (the same synthetic panel) with its chains
 * fanned out over 4 processes vs all chains in one process (issue 18, acceptance 3), wall times side by side, and the
 * CPU seconds of every process (on a shared machine the wall times follow its load; the CPU times do not).
 *
 *   one process   fitModel: every chain on worker threads of one process, then the post-sampling steps
 *   fanned out    fitChain in each of 4 processes (one chain each, on a worker thread), then combineChains in another
 *
 * Each process runs the retrain's activity itself (activities/retrain.ts, under @temporalio/testing's
 * MockActivityEnvironment, which gives it an activity context that takes its heartbeats), on one local run store, as
 * a cpu worker would run it; Temporal's scheduling (milliseconds per task) is left out, the workflow test
 * (test/workflows/chain-activities.test.ts) runs the same activities through a dev server. Processes start and load
 * their modules before the clock starts, as long-running workers have. Both fits use the same seed, so their
 * posteriors must be equal byte for byte (checked).
 *
 *   nice -n 10 npm run bench:chain-fanout [-- --geos 40 --channels 5]
 *
 * MMM_BENCH_CHAINS, MMM_BENCH_WARMUP and MMM_BENCH_DRAWS as in bench:scale (default 4 x (1000 + 1000)).
 */
import { type ChildProcess, fork } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { isDeepStrictEqual, parseArgs } from 'node:util';
import { ApplicationFailure } from '@temporalio/common';
import { MockActivityEnvironment } from '@temporalio/testing';
import { DefaultLogger } from '@temporalio/worker';
import { z } from 'zod';
import type { ActivityEnvironment } from '../../activities/environment.ts';
import { createActivities } from '../../activities/index.ts';
import { simulateDataset } from '../../src/model/simulate.ts';
import { writeModelInput } from '../../src/run/model-input.ts';
import { readFitSummary } from '../../src/run/run-directory.ts';
import { LocalRunStore } from '../../src/run/storage/local-run-store.ts';
import { envCount } from './support/bench-options.ts';

const WEEKS = 156;
const HEARTBEAT_TIMEOUT_MS = 30_000;

const roleSchema = z.discriminatedUnion('role', [
  z.object({ role: z.literal('fitModel'), runsDir: z.string(), runId: z.string() }),
  z.object({ role: z.literal('fitChain'), runsDir: z.string(), runId: z.string(), chain: z.coerce.number().int().min(0) }),
  z.object({ role: z.literal('combineChains'), runsDir: z.string(), runId: z.string() }),
]);
type Role = z.infer<typeof roleSchema>;

const doneSchema = z.object({ done: z.literal(true), rssMb: z.number(), cpuSeconds: z.number() });

/** CPU seconds this process has used so far, every thread (the chains' worker threads) included. */
const cpuSeconds = (): number => {
  const { userCPUTime, systemCPUTime } = process.resourceUsage();
  return (userCPUTime + systemCPUTime) / 1e6;
};

/** A child process: loads the activities, says it is ready, runs its activity on 'go', reports and exits. */
async function runRole(role: Role): Promise<void> {
  const environment: ActivityEnvironment = {
    warehouse: { engine: 'duckdb', path: join(role.runsDir, 'unused.duckdb'), schema: 'main' },
    runsDir: role.runsDir,
    dbtWorkDir: join(role.runsDir, 'unused-dbt'),
  };
  const activities = createActivities(environment);
  const context = new MockActivityEnvironment({ heartbeatTimeoutMs: HEARTBEAT_TIMEOUT_MS }, { logger: new DefaultLogger('ERROR') });
  process.send?.({ ready: true });
  await new Promise<void>((go) => process.once('message', () => go()));
  const cpuBefore = cpuSeconds();
  const run =
    role.role === 'fitChain'
      ? context.run(activities.fitChain, role.runId, role.chain)
      : context.run(role.role === 'fitModel' ? activities.fitModel : activities.combineChains, role.runId);
  // A fit its diagnostics refuse (short chains) is committed all the same: its summary is read below.
  await run.catch((error: unknown) => {
    if (!(error instanceof ApplicationFailure && error.type === 'DiagnosticsFailedError')) throw error;
  });
  process.send?.({ done: true, rssMb: process.resourceUsage().maxRSS / 1024, cpuSeconds: cpuSeconds() - cpuBefore });
  process.disconnect();
}

interface Started {
  child: ChildProcess;
  ready: Promise<void>;
  done: Promise<z.infer<typeof doneSchema>>;
}

/** Forks a child for `role` (the same file under tsx); resolves `ready` once its modules are loaded. */
function start(self: string, role: Role): Started {
  const args = Object.entries(role).flatMap(([key, value]) => [`--${key}`, String(value)]);
  const child = fork(self, args, { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  let onReady: () => void = () => {};
  let onDone: (value: z.infer<typeof doneSchema>) => void = () => {};
  const ready = new Promise<void>((resolve) => (onReady = resolve));
  const done = new Promise<z.infer<typeof doneSchema>>((resolve, reject) => {
    onDone = resolve;
    child.once('exit', (code, signal) => reject(new Error(`${role.role} process exited (${code ?? signal}) before reporting`)));
  });
  child.on('message', (message: unknown) => {
    const parsed = doneSchema.safeParse(message);
    if (parsed.success) onDone(parsed.data);
    else onReady();
  });
  return { child, ready, done };
}

const seconds = (since: number): number => (performance.now() - since) / 1000;

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      role: { type: 'string' },
      runsDir: { type: 'string' },
      runId: { type: 'string' },
      chain: { type: 'string' },
      geos: { type: 'string', default: '40' },
      channels: { type: 'string', default: '5' },
    },
  });
  if (values.role !== undefined) {
    await runRole(roleSchema.parse(values));
    return;
  }
  const geos = z.coerce.number().int().min(1).parse(values.geos);
  const channels = z.coerce.number().int().min(1).parse(values.channels);
  const sampler = {
    chains: envCount('MMM_BENCH_CHAINS', 4),
    warmup: envCount('MMM_BENCH_WARMUP', 1000),
    draws: envCount('MMM_BENCH_DRAWS', 1000),
  };
  // bench:scale's panel of this size.
  const { panel, config } = simulateDataset({ geos, weeks: WEEKS, channels, controls: 2, seed: 1800 + geos * 16 + channels, noiseSd: 0.3 });
  const fitConfig = { ...config, sampler: { ...config.sampler, ...sampler, seed: 1 } };
  const runsDir = mkdtempSync(join(tmpdir(), 'mmm-bench-fanout-'));
  const store = new LocalRunStore(runsDir);
  for (const runId of ['one-process', 'fanned-out']) writeModelInput(store.locate(runId), { config: fitConfig, panel });
  const self = fileURLToPath(import.meta.url);
  console.log(
    `bench:chain-fanout, ${geos} geos x ${WEEKS} weeks x ${channels} channels, ${sampler.chains} chains x (${sampler.warmup} + ${sampler.draws}), ` +
      `${availableParallelism()} cores`,
  );
  try {
    // One process: fitModel, every chain on its worker threads.
    const single = start(self, { role: 'fitModel', runsDir, runId: 'one-process' });
    await single.ready;
    const singleStart = performance.now();
    single.child.send('go');
    const singleDone = await single.done;
    const singleWall = seconds(singleStart);

    // Fanned out: a process per chain, then the combine in one more.
    const chainProcesses = Array.from({ length: sampler.chains }, (_, chain) =>
      start(self, { role: 'fitChain', runsDir, runId: 'fanned-out', chain }),
    );
    const combine = start(self, { role: 'combineChains', runsDir, runId: 'fanned-out' });
    await Promise.all([...chainProcesses, combine].map((p) => p.ready));
    const fannedStart = performance.now();
    for (const p of chainProcesses) p.child.send('go');
    const chainsDone = await Promise.all(chainProcesses.map((p) => p.done));
    const chainsWall = seconds(fannedStart);
    const combineStart = performance.now();
    combine.child.send('go');
    const combineDone = await combine.done;
    const combineWall = seconds(combineStart);
    const fannedWall = seconds(fannedStart);

    const one = readFitSummary(store.locate('one-process')).diagnostics;
    const fanned = readFitSummary(store.locate('fanned-out')).diagnostics;
    // A refused fit stores no posterior: then its diagnostics are what the two must agree on.
    const posterior = (runId: string) => join(store.locate(runId), 'posterior.bin');
    const same =
      one.verdict === 'fail'
        ? isDeepStrictEqual(one, fanned)
        : readFileSync(posterior('one-process')).equals(readFileSync(posterior('fanned-out')));
    const compared = one.verdict === 'fail' ? 'diagnostics (a refused fit stores no posterior)' : 'posterior.bin byte for byte';
    const gb = (mb: number) => `${(mb / 1024).toFixed(2)} GB`;
    console.log(
      '                 processes | chains s | combine s | fit wall s | CPU s (all processes) | peak RSS per process | verdict  max R-hat  div',
    );
    console.log(
      `one process      ${'1'.padStart(9)} |        - |         - | ${singleWall.toFixed(1).padStart(10)} | ${singleDone.cpuSeconds.toFixed(1).padStart(21)} | ${gb(singleDone.rssMb).padStart(20)} | ${one.verdict.padEnd(7)}  ${one.maxRhat?.toFixed(3) ?? '-'}  ${one.divergences}`,
    );
    const chainRss = Math.max(...chainsDone.map((d) => d.rssMb));
    const fannedCpu = chainsDone.reduce((total, d) => total + d.cpuSeconds, combineDone.cpuSeconds);
    console.log(
      `fanned out      ${String(sampler.chains + 1).padStart(10)} | ${chainsWall.toFixed(1).padStart(8)} | ${combineWall.toFixed(1).padStart(9)} | ${fannedWall.toFixed(1).padStart(10)} | ${fannedCpu.toFixed(1).padStart(21)} | ${`${gb(chainRss)} / ${gb(combineDone.rssMb)}`.padStart(20)} | ${fanned.verdict.padEnd(7)}  ${fanned.maxRhat?.toFixed(3) ?? '-'}  ${fanned.divergences}`,
    );
    console.log(
      `fanned out / one process: ${(fannedWall / singleWall).toFixed(2)}x wall time, ${(fannedCpu / singleDone.cpuSeconds).toFixed(2)}x CPU time; ` +
        `${compared} ${same ? 'equal' : 'DIFFERENT'} (same seed); load average ${loadavg()
          .map((load) => load.toFixed(1))
          .join(' ')} at the end (other work on the machine stretches wall times, not CPU times)`,
    );
    if (!same) process.exitCode = 1;
  } finally {
    rmSync(runsDir, { recursive: true, force: true });
  }
}

await main();
