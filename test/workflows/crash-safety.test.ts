/**
 * Crash safety: the worker process (`mmm worker` with a prebuilt workflow bundle, as in production) is
 * killed with SIGKILL while the fit activity runs; a new worker picks the retrain up once the fit's
 * heartbeat times out, it completes, and every output table holds exactly one copy of each row.
 */
import type { ChildProcess } from 'node:child_process';
import { defaultPayloadConverter } from '@temporalio/common';
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import type { FitHeartbeat } from '../../activities/retrain-stages.ts';
import { retrainWorkflowId, TASK_QUEUES, type RetrainInput, type RetrainResult } from '../../src/workflow-contracts/contracts.ts';
import { RETRAIN_WORKFLOW } from '../../src/orchestration/retrain-client.ts';
import { OPTIONAL_RUN_TABLES, RUN_TABLES, RUN_TABLE_NAMES } from '../../src/warehouse/tables.ts';
import { TEST_SAMPLER, useTemporalHarness, WORKFLOW_TEST_TIMEOUT_MS, workerProcesses } from '../support/temporal-harness.ts';

const workers = workerProcesses();
const harness = useTemporalHarness('crash', workers);

const startWorker = (): ChildProcess => workers.spawn(harness(), { stdio: ['ignore', 'pipe', 'pipe'] });

const ready = (child: ChildProcess) =>
  new Promise<void>((done, fail) => {
    let output = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      output += chunk.toString('utf8');
      if (output.includes('worker ready')) done();
    });
    child.once('exit', (code) => fail(new Error(`worker exited with ${code} before it was ready: ${output}`)));
  });

describe('a worker killed in the middle of the fit', { timeout: WORKFLOW_TEST_TIMEOUT_MS }, () => {
  it('is replaced by a new worker that completes the retrain with exactly one copy of every row', async () => {
    const first = startWorker();
    await ready(first);
    const handle = await harness().env.client.workflow.start(RETRAIN_WORKFLOW, {
      workflowId: retrainWorkflowId('demo'),
      taskQueue: TASK_QUEUES.io,
      args: [
        {
          modelId: 'demo',
          configPath: harness().coarseDemoConfig,
          sampler: TEST_SAMPLER,
          heartbeatTimeoutSeconds: 10,
        } satisfies RetrainInput,
      ],
    });

    // Wait until the fit has reported progress, then kill the worker without a chance to clean up.
    let progress: FitHeartbeat | null = null;
    // Generous: dbt, extraction and validation come first, and the machine may be loaded.
    const deadline = Date.now() + 10 * 60_000;
    while (progress === null || progress.iterations < 200) {
      if (Date.now() > deadline) throw new Error(`the fit did not report progress in time (last ${JSON.stringify(progress)})`);
      await new Promise((wait) => setTimeout(wait, 250));
      const { raw } = await handle.describe();
      const payload = raw.pendingActivities?.find((a) => a.activityType?.name === 'fitModel')?.heartbeatDetails?.payloads?.[0];
      // A heartbeat before the fit's first progress carries no details.
      progress = (payload ? defaultPayloadConverter.fromPayload<FitHeartbeat | undefined>(payload) : null) ?? null;
    }
    first.kill('SIGKILL');
    await new Promise((done) => first.once('exit', done));
    expect(progress.iterations).toBeLessThan(progress.totalIterations);

    const second = startWorker();
    await ready(second);
    const result = (await handle.result()) as RetrainResult;
    expect(result.promoted).toBe(true);

    const history = await handle.fetchHistory();
    const fitAttempts = (history.events ?? [])
      .filter(
        (e) =>
          e.activityTaskStartedEventAttributes &&
          (history.events ?? []).find((s) => s.eventId?.toString() === e.activityTaskStartedEventAttributes?.scheduledEventId?.toString())
            ?.activityTaskScheduledEventAttributes?.activityType?.name === 'fitModel',
      )
      .map((e) => e.activityTaskStartedEventAttributes?.attempt);
    expect(fitAttempts).toEqual([2]);

    await harness().withWarehouse(async (w) => {
      for (const table of RUN_TABLE_NAMES) {
        const key = RUN_TABLES[table].key.map((column) => sql.ref(column));
        const { rows } = await sql<{ total: number; distinct_keys: number }>`
          select count(*) as total, count(distinct (run_id, ${sql.join(key)})) as distinct_keys from ${sql.table(table)}`.execute(w.db);
        if (!OPTIONAL_RUN_TABLES.has(table)) expect(Number(rows[0].total), table).toBeGreaterThan(0);
        expect(Number(rows[0].distinct_keys), table).toBe(Number(rows[0].total));
      }
      const runs = await w.db.selectFrom('mmm_runs').select(['run_id', 'status']).execute();
      expect(runs).toEqual([{ run_id: result.runId, status: 'succeeded' }]);
      expect(await w.currentRun('demo')).toBe(result.runId);
      expect((await w.db.selectFrom('mmm_current').selectAll().execute()).length).toBe(1);
    });
    second.kill('SIGTERM');
  });
});
