/**
 * The retrain activities with their runs in Google Cloud Storage (fake-gcs-server on loopback), run
 * through Temporal's activity test environment: each stage works on a workspace downloaded from the
 * bucket and saves what it wrote; a retried fit finds its own committed run and reuses it, a retried
 * assemble answers the same, and the committed run read back from the bucket is intact.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MockActivityEnvironment } from '@temporalio/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ActivityEnvironment } from '../../../activities/environment.ts';
import { createRetrainActivities } from '../../../activities/retrain.ts';
import { parseConfig } from '../../../src/config/load-config.ts';
import { panelFromCsv } from '../../../src/data/load-fit-inputs.ts';
import { RUN_MANIFEST_FILE, verifyRun } from '../../../src/io/run-manifest.ts';
import { writeModelInput } from '../../../src/run/model-input.ts';
import { openRunStore } from '../../../src/run/storage/open-run-store.ts';
import { withRunWorkspace } from '../../../src/run/storage/run-store.ts';
import { loadSurfaceRun } from '../../../src/surface/surface-run.ts';
import { SMALL_CONFIG, WEEKS } from '../../cli/cli-harness.ts';
import { syntheticRows, toCsv } from '../../fixtures/data/synthetic-csv.ts';
import { GCS_EMULATOR_START_BOUND_MS, type RunningGcsEmulator, startGcsEmulator } from '../../support/gcs-emulator.ts';

const BUCKET = 'mmm-runs';
const runId = 'run-1';
let emulator: RunningGcsEmulator;
let scratch: string;
let environment: ActivityEnvironment;

const run = <A extends unknown[], R>(fn: (...args: A) => Promise<R>, ...args: A): Promise<R> =>
  new MockActivityEnvironment().run(fn, ...args);
const store = () => openRunStore(environment);
/** The stored run's manifest text, as a fresh workspace reads it from the bucket. */
const storedManifest = () =>
  withRunWorkspace(store(), runId, { save: false }, (dir) => {
    verifyRun(dir);
    return readFileSync(join(dir, RUN_MANIFEST_FILE), 'utf8');
  });

beforeAll(async () => {
  emulator = await startGcsEmulator();
  await emulator.createBucket(BUCKET);
  scratch = mkdtempSync(join(tmpdir(), 'mmm-gcs-activities-'));
  environment = {
    warehouse: { engine: 'duckdb', path: join(scratch, 'unused.duckdb'), schema: 'main' },
    runsDir: join(scratch, 'runs-unused'),
    runsUri: `gs://${BUCKET}/runs`,
    gcsEndpoint: emulator.host,
    dbtWorkDir: join(scratch, 'dbt'),
  };
  const config = parseConfig(SMALL_CONFIG, 'small-config');
  await withRunWorkspace(store(), runId, { save: true }, (dir) =>
    writeModelInput(dir, { config, panel: panelFromCsv(toCsv(syntheticRows(WEEKS)), config, 'data.csv') }),
  );
}, GCS_EMULATOR_START_BOUND_MS + 10_000);

afterAll(async () => {
  await emulator?.stop();
  rmSync(scratch, { recursive: true, force: true });
});

describe('retrain activities on Google Cloud Storage', () => {
  it('commits the fit in the bucket; a retried fit finds its own committed run and reuses it', async () => {
    const activities = createRetrainActivities(environment);
    const outcome = await run(activities.fitModel, runId);
    expect(outcome.verdict).not.toBe('fail');
    const committed = await storedManifest();
    expect(await run(activities.fitModel, runId)).toEqual(outcome);
    expect(await storedManifest()).toBe(committed);
    expect(await store().listRuns()).toEqual([runId]);
  }, 300_000);

  it('runs the surface stages from the bucket; assembling again after the commit answers the same', async () => {
    const activities = createRetrainActivities(environment);
    await run(activities.prepareSurface, runId);
    await run(activities.enumerateSurfaceChunk, runId, 1, 2);
    await run(activities.enumerateSurfaceChunk, runId, 0, 2);
    const assembled = await run(activities.assembleSurface, runId, 2);
    expect(await run(activities.assembleSurface, runId, 2)).toEqual(assembled);
    const surface = await withRunWorkspace(store(), runId, { save: false }, (dir) => loadSurfaceRun(dir));
    expect(surface.runId).toBe(runId);
    expect(surface.curves.channels.length).toBeGreaterThan(0);
  }, 300_000);
});
