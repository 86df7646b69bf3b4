/**
 * The retrain activities under the run-commit protocol (run through Temporal's activity test environment,
 * which gives them a real activity context for heartbeats): fitModel reuses a fit only when its run is
 * committed and intact, and re-fits a run whose commit is missing or damaged; the surface stages record
 * the posterior and can be re-run after they finished.
 */
import { mkdtempSync, readFileSync, rmSync, truncateSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MockActivityEnvironment } from '@temporalio/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRetrainActivities } from '../../activities/retrain.ts';
import { parseConfig } from '../../src/config/load-config.ts';
import { panelFromCsv } from '../../src/data/load-fit-inputs.ts';
import { writeModelInput } from '../../src/run/model-input.ts';
import { readManifest, RUN_MANIFEST_FILE, verifyRun } from '../../src/io/run-manifest.ts';
import { loadSurfaceRun } from '../../src/surface/surface-run.ts';
import { syntheticRows, toCsv } from '../fixtures/data/synthetic-csv.ts';
import { SMALL_CONFIG, WEEKS } from '../cli/cli-harness.ts';

let runsDir: string;
const runId = 'run-1';
const activities = () =>
  createRetrainActivities({
    warehouse: { engine: 'duckdb', path: join(runsDir, 'unused.duckdb'), schema: 'main' },
    runsDir,
    dbtWorkDir: join(runsDir, 'dbt'),
  });
const run = <A extends unknown[], R>(fn: (...args: A) => Promise<R>, ...args: A): Promise<R> =>
  new MockActivityEnvironment().run(fn, ...args);
const committedAt = () => readManifest(join(runsDir, runId)).committedAt;

beforeAll(() => {
  runsDir = mkdtempSync(join(tmpdir(), 'mmm-activities-'));
  const config = parseConfig(SMALL_CONFIG, 'small-config');
  writeModelInput(join(runsDir, runId), { config, panel: panelFromCsv(toCsv(syntheticRows(WEEKS)), config, 'data.csv') });
});
afterAll(() => rmSync(runsDir, { recursive: true, force: true }));

describe('fitModel under the run-commit protocol', () => {
  let first: string;

  it('commits the fit, and a re-run reuses the committed fit instead of fitting again', async () => {
    const outcome = await run(activities().fitModel, runId);
    expect(outcome.verdict).not.toBe('fail');
    first = committedAt();
    expect(
      verifyRun(join(runsDir, runId))
        .files.map((f) => f.path)
        .sort(),
    ).toEqual(['analysis.json', 'posterior.bin', 'posterior.json', 'summary.json']);
    expect(await run(activities().fitModel, runId)).toEqual(outcome);
    expect(committedAt()).toBe(first);
  }, 300_000);

  it('fits again when the committed run is damaged (a truncated posterior is not a finished fit)', async () => {
    truncateSync(join(runsDir, runId, 'posterior.bin'), 16);
    await run(activities().fitModel, runId);
    expect(committedAt()).not.toBe(first);
    expect(() => verifyRun(join(runsDir, runId))).not.toThrow();
  }, 300_000);

  it('the surface stages record the posterior, and assembling again after the commit answers the same', async () => {
    const act = activities();
    await run(act.prepareSurface, runId);
    await run(act.enumerateSurfaceChunk, runId, 1, 2);
    await run(act.enumerateSurfaceChunk, runId, 0, 2);
    const assembled = await run(act.assembleSurface, runId, 2);
    expect(await run(act.assembleSurface, runId, 2)).toEqual(assembled);
    const surfaceManifest = JSON.parse(readFileSync(join(runsDir, runId, 'surface', 'surface.json'), 'utf8')) as {
      builtFrom: Record<string, string>;
    };
    const files = readManifest(join(runsDir, runId)).files;
    expect(surfaceManifest.builtFrom).toEqual({
      'posterior.json': files.find((f) => f.path === 'posterior.json')?.sha256,
      'posterior.bin': files.find((f) => f.path === 'posterior.bin')?.sha256,
    });
    expect((await loadSurfaceRun(join(runsDir, runId))).runId).toBe(runId);
    rmSync(join(runsDir, runId, RUN_MANIFEST_FILE));
    await expect(loadSurfaceRun(join(runsDir, runId))).rejects.toThrow('holds no committed run');
  }, 300_000);
});
