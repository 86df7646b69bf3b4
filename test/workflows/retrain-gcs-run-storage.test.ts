/**
 * retrainWorkflow with its runs in Google Cloud Storage (issue 18, acceptance 1, first half): the real
 * Temporal dev server, the embedded DuckDB warehouse, fake-gcs-server on loopback as the bucket. The
 * workers' runs directory stays untouched, the run is committed in the bucket, and what is published
 * equals a retrain with the same seed whose runs are in a local directory; so do the answers of
 * optimizeWorkflow (the surface read from the bucket) and planWorkflow (the posterior read from the
 * bucket, the answered rows passed between activities through it).
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ActivityEnvironment } from '../../activities/environment.ts';
import { RUN_MANIFEST_FILE, verifyRun } from '../../src/io/run-manifest.ts';
import { RETRAIN_WORKFLOW, runOptimize, runPlan } from '../../src/orchestration/retrain-client.ts';
import { readFitSummary } from '../../src/run/run-directory.ts';
import { openRunStore } from '../../src/run/storage/open-run-store.ts';
import { withRunWorkspace } from '../../src/run/storage/run-store.ts';
import { OPTIONAL_RUN_TABLES, RUN_TABLE_NAMES } from '../../src/warehouse/tables.ts';
import {
  retrainWorkflowId,
  TASK_QUEUES,
  type OptimizeResult,
  type PlanResult,
  type RetrainInput,
  type RetrainResult,
} from '../../src/workflow-contracts/contracts.ts';
import { type RunningGcsEmulator, startGcsEmulator } from '../support/gcs-emulator.ts';
import { publishedRows } from '../support/published-rows.ts';
import {
  runMmmWorkers,
  TEST_SAMPLER,
  useTemporalHarness,
  WORKFLOW_TEST_TIMEOUT_MS,
  type TemporalHarness,
} from '../support/temporal-harness.ts';

const BUCKET = 'mmm-runs';

let emulator: RunningGcsEmulator | undefined;

const harness = useTemporalHarness('retrain-gcs', {
  async setUp({ dir }) {
    emulator = await startGcsEmulator();
    await emulator.createBucket(BUCKET);
  },
  async tearDown() {
    await emulator?.stop();
  },
});

/** Workers whose runs are in the emulator's bucket, with a runs directory of their own that must stay unused. */
function gcsEnvironment(h: TemporalHarness): ActivityEnvironment {
  if (emulator === undefined) throw new Error('the GCS emulator has not started');
  return { ...h.environment, runsDir: join(h.dir, 'runs-unused'), runsUri: `gs://${BUCKET}/mmm/runs`, gcsEndpoint: emulator.host };
}

interface Answers {
  retrain: RetrainResult;
  optimize: OptimizeResult;
  plan: PlanResult;
}

/** A retrain of `modelId` on workers with `environment`, then an optimization and a plan of it; the workers stopped after. */
async function retrainAndAsk(environment: ActivityEnvironment, modelId: string): Promise<Answers> {
  const stopWorkers = await runMmmWorkers(harness(), environment);
  const { client } = harness().env;
  try {
    const handle = await client.workflow.start(RETRAIN_WORKFLOW, {
      workflowId: retrainWorkflowId(modelId),
      taskQueue: TASK_QUEUES.io,
      args: [
        {
          modelId,
          configPath: harness().coarseDemoConfig,
          sampler: TEST_SAMPLER,
          surfaceChunks: 2,
          dbtBuild: modelId === 'gcs',
        } satisfies RetrainInput,
      ],
    });
    const retrain = (await handle.result()) as RetrainResult;
    const optimize = await runOptimize(client, { modelId, requestId: `optimize-${modelId}`, min: { social: '80%' } });
    const plan = await runPlan(client, { modelId, planId: `plan-${modelId}`, settings: { weeks: 4, trend: 'flat' } });
    return { retrain, optimize, plan };
  } finally {
    await stopWorkers();
  }
}

/** An answer without the ids and locations that name its run, request or store. */
const withoutIds = <T extends object>(answer: T) =>
  Object.fromEntries(Object.entries(answer).filter(([key]) => !['runId', 'requestId', 'planId', 'rowsFile'].includes(key)));

describe('retrainWorkflow with runs in Google Cloud Storage', { timeout: WORKFLOW_TEST_TIMEOUT_MS }, () => {
  it(
    'commits the run in the bucket, nothing in a local directory, and publishes, optimizes and plans as with a local directory',
    async () => {
      const environment = gcsEnvironment(harness());
      const gcsAnswers = await retrainAndAsk(environment, 'gcs');
      const onGcs = gcsAnswers.retrain;
      expect(onGcs.promoted).toBe(true);
      expect(gcsAnswers.plan.rowsFile).toBe(`gs://${BUCKET}/mmm/runs/plan-answers/plan-gcs.json`);
      expect(existsSync(environment.runsDir)).toBe(false);

      const bucketStore = openRunStore(environment);
      expect(await bucketStore.listRuns()).toEqual([onGcs.runId]);
      const stored = await withRunWorkspace(bucketStore, onGcs.runId, { save: false }, (dir) => ({
        files: verifyRun(dir).files.map((f) => f.path),
        surfaceCommitted: existsSync(join(dir, 'surface', 'surface.json')),
        chunksLeft: existsSync(join(dir, 'surface', 'chunks')),
        posterior: readFileSync(join(dir, 'posterior.bin')),
        forecastBacktest: readFitSummary(dir).forecastBacktest,
      }));
      expect(stored.files).toEqual(expect.arrayContaining(['posterior.bin', 'posterior.json', 'analysis.json', 'summary.json']));
      expect(stored.surfaceCommitted).toBe(true);
      // The fit stage ran the forecast backtest of the data's last 13 weeks (src/run/forecast-backtest.ts).
      expect(stored.forecastBacktest).toMatchObject({ status: 'done', weeks: 13 });
      // assembleSurface removed the chunks after committing the surface, in the bucket as on disk.
      expect(stored.chunksLeft).toBe(false);

      const localAnswers = await retrainAndAsk(harness().environment, 'local');
      const onLocal = localAnswers.retrain;
      expect(onLocal.promoted).toBe(true);
      expect(existsSync(join(harness().environment.runsDir, onLocal.runId, RUN_MANIFEST_FILE))).toBe(true);

      // Same seed, same data: the same draws, byte for byte, and the same published rows.
      expect(readFileSync(join(harness().environment.runsDir, onLocal.runId, 'posterior.bin')).equals(stored.posterior)).toBe(true);
      expect(onGcs.scenarios).toBe(onLocal.scenarios);
      const [gcsRows, localRows] = await harness().withWarehouse(async (warehouse) => [
        await publishedRows(warehouse, onGcs.runId),
        await publishedRows(warehouse, onLocal.runId),
      ]);
      for (const table of RUN_TABLE_NAMES) {
        if (!OPTIONAL_RUN_TABLES.has(table)) expect(gcsRows[table]!.length, table).toBeGreaterThan(0);
        expect(gcsRows[table], table).toEqual(localRows[table]);
      }
      expect(withoutIds(gcsAnswers.optimize)).toEqual(withoutIds(localAnswers.optimize));
      expect(gcsAnswers.plan.rows.mmm_plan_weekly).toBeGreaterThan(0);
      expect(withoutIds(gcsAnswers.plan)).toEqual(withoutIds(localAnswers.plan));
    },
    WORKFLOW_TEST_TIMEOUT_MS,
  );
});
