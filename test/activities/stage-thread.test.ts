/**
 * The retrain's CPU-heavy stages on a thread of their own (activities/stage-thread.ts): the fit answers
 * what the same stage answers in-process while the activity's main thread stays free (its longest stall
 * is measured against the in-process run's), the fit's progress reaches the activity's heartbeats, a
 * stage's error keeps its name and message across the thread (activities/failures.ts types by name), and
 * a thread is reused: a fit after a fit and a failed stage on the same thread answers as the first did,
 * with its progress in its own activity's heartbeats, and a second thread starts only for a second stage
 * at once.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MockActivityEnvironment } from '@temporalio/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FitHeartbeat, RETRAIN_STAGES } from '../../activities/retrain-stages.ts';
import { onStageThread, StageThreads } from '../../activities/stage-thread.ts';
import { parseConfig } from '../../src/config/load-config.ts';
import { panelFromCsv } from '../../src/data/load-fit-inputs.ts';
import type { FitSummary } from '../../src/run/fit-summary.ts';
import { writeModelInput } from '../../src/run/model-input.ts';
import { SMALL_CONFIG } from '../cli/cli-harness.ts';
import { syntheticRows, toCsv } from '../fixtures/data/synthetic-csv.ts';

let scratch: string;
/**
 * Two years of weeks: enough post-sampling work (about a second here) that holding the main thread for it
 * stands far above the event loop's jitter on a loaded machine.
 */
const WEEKS = 104;

/** A run directory holding the model input of a small national fit. */
function runWithModelInput(name: string): string {
  const dir = join(scratch, name);
  const config = parseConfig(SMALL_CONFIG, 'small-config');
  writeModelInput(dir, { config, panel: panelFromCsv(toCsv(syntheticRows(WEEKS)), config, 'data.csv') });
  return dir;
}

/** Runs `work` while timing the main thread's event loop: the longest gap between two turns, in ms. */
async function withLongestStall<T>(work: () => Promise<T>): Promise<{ result: T; longestStallMs: number }> {
  let last = performance.now();
  let longestStallMs = 0;
  const timer = setInterval(() => {
    const now = performance.now();
    longestStallMs = Math.max(longestStallMs, now - last);
    last = now;
  }, 10);
  try {
    const result = await work();
    longestStallMs = Math.max(longestStallMs, performance.now() - last);
    return { result, longestStallMs };
  } finally {
    clearInterval(timer);
  }
}

/** Leaves out what differs between two fits of the same input: when and how long they ran. */
const withoutTiming = ({ timing: _timing, ...summary }: FitSummary) => summary;

/** The error `work` rejects with, or null when it resolves. */
const rejection = (work: Promise<unknown>): Promise<Error | null> =>
  work.then(
    () => null,
    (error: unknown) => error as Error,
  );

beforeAll(() => {
  scratch = mkdtempSync(join(tmpdir(), 'mmm-stage-thread-'));
});
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe('a retrain stage on its own thread', () => {
  it('fits as in-process, with the main thread free and the progress in the heartbeats', async () => {
    const inProcess = await withLongestStall(() => RETRAIN_STAGES.fit({ dir: runWithModelInput('in-process') }, () => undefined));

    const heartbeats: FitHeartbeat[] = [];
    const activity = new MockActivityEnvironment();
    activity.on('heartbeat', (details: FitHeartbeat) => heartbeats.push(details));
    const threaded = await withLongestStall(() =>
      activity.run<[], FitSummary, () => Promise<FitSummary>>(() => onStageThread('fit', { dir: runWithModelInput('threaded') })),
    );

    console.log(
      `longest main-thread stall during the fit: in-process ${inProcess.longestStallMs.toFixed(0)} ms, on the stage thread ${threaded.longestStallMs.toFixed(0)} ms`,
    );
    expect(withoutTiming(threaded.result)).toEqual(withoutTiming(inProcess.result));
    // In-process, the post-sampling analysis holds the main thread for its whole length; on the thread, only event-loop turns remain.
    expect(threaded.longestStallMs).toBeLessThan(inProcess.longestStallMs / 4);
    expect(heartbeats.length).toBeGreaterThan(10);
    const last = heartbeats.at(-1)!;
    expect(last.iterations).toBe(last.totalIterations);
    expect(last.totalIterations).toBe(SMALL_CONFIG.sampler.chains * (SMALL_CONFIG.sampler.warmup + SMALL_CONFIG.sampler.draws));
  }, 600_000);

  it("rejects with the stage's own error name and message", async () => {
    const empty = join(scratch, 'empty');
    const direct = await rejection(RETRAIN_STAGES.combineChains({ dir: empty }));
    expect(direct).toBeInstanceOf(Error);
    const threaded = await rejection(new MockActivityEnvironment().run(() => onStageThread('combineChains', { dir: empty })));
    expect(threaded).toBeInstanceOf(Error);
    expect({ name: threaded!.name, message: threaded!.message }).toEqual({ name: direct!.name, message: direct!.message });
  }, 120_000);

  it('reuses its thread: a fit after a fit and a failed stage answers as the first, with its own heartbeats', async () => {
    const threads = new StageThreads();
    /** Fits `dir` in an activity of its own, on `threads`; returns the fit and that activity's heartbeats. */
    const fitInActivity = async (dir: string) => {
      const heartbeats: FitHeartbeat[] = [];
      const activity = new MockActivityEnvironment();
      activity.on('heartbeat', (details: FitHeartbeat) => heartbeats.push(details));
      const summary = await activity.run<[], FitSummary, () => Promise<FitSummary>>(() => threads.run('fit', { dir }));
      return { summary, heartbeats };
    };

    const first = await fitInActivity(runWithModelInput('first-on-its-thread'));
    const failed = await rejection(
      new MockActivityEnvironment().run(() => threads.run('combineChains', { dir: join(scratch, 'no-chains') })),
    );
    expect(failed).toBeInstanceOf(Error);
    const again = await fitInActivity(runWithModelInput('on-the-same-thread'));

    expect(threads.started).toBe(1);
    expect(withoutTiming(again.summary)).toEqual(withoutTiming(first.summary));
    expect(again.heartbeats.length).toBeGreaterThan(10);
    expect(again.heartbeats.at(-1)).toEqual(first.heartbeats.at(-1));

    // Two stages at once: the idle thread takes one, a new thread the other.
    const both = await Promise.all(
      ['no-chains-a', 'no-chains-b'].map((name) =>
        rejection(new MockActivityEnvironment().run(() => threads.run('combineChains', { dir: join(scratch, name) }))),
      ),
    );
    expect(both.every((error) => error instanceof Error)).toBe(true);
    expect(threads.started).toBe(2);
  }, 600_000);
});
