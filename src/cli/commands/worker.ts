/** `mmm worker`: runs the Temporal workers (task queues mmm-io and mmm-cpu) until SIGINT or SIGTERM. */
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { UsageError, type CliCommand } from '../command.ts';
import { integerFlag } from '../flags.ts';
import { TEMPORAL_ENVIRONMENT_HELP, temporalSettings } from '../temporal-flags.ts';
import { activityEnvironmentFromEnv } from '../../../activities/environment.ts';
import { TASK_QUEUES, type TaskQueueKind } from '../../workflow-contracts/contracts.ts';
import { connectWorker } from '../../orchestration/temporal-connection.ts';
import { createMmmWorkers, runWorkers, writeWorkflowBundle } from '../../orchestration/worker.ts';

const usage = `Usage: mmm worker [--queues io,cpu] [--workflow-bundle FILE] [--cpu-slots N]
       mmm worker --build-bundle FILE

Polls Temporal for retrain and optimize work until stopped (SIGINT/SIGTERM drain running activities).
The io queue (${TASK_QUEUES.io}) runs the workflows, dbt and the warehouse; the cpu queue (${TASK_QUEUES.cpu})
the fit and the surface. Run as many workers as you like: surface chunks and fits spread over them.

Options:
  --queues LIST           io, cpu or io,cpu (default io,cpu)
  --workflow-bundle FILE  load a prebuilt workflow bundle (production) instead of bundling workflows/ at start
  --cpu-slots N           concurrent CPU activities (default 1; a fit already uses one thread per chain)
  --build-bundle FILE     write the workflow bundle to FILE and exit

${TEMPORAL_ENVIRONMENT_HELP}
  MMM_WAREHOUSE, MMM_DUCKDB_PATH, MMM_BIGQUERY_*   the warehouse (docs/warehouse.md)
  MMM_RUNS_DIR          run directories (default .mmm/runs) when runs are stored locally
  MMM_RUNS_URI          gs://bucket/prefix: runs in Google Cloud Storage (workers on many machines)
  MMM_GCS_ENDPOINT      the Cloud Storage API's URL when it is not Google's (an emulator)
  MMM_RAW_DIR           DuckDB: folder of raw export files dbt reads; MMM_RAW_DATASET on BigQuery
  MMM_DBT_WORK_DIR      dbt target/ and logs/ (default .mmm/dbt)`;

export const workerCommand: CliCommand = {
  usage,
  async run(args) {
    const { values } = parseArgs({
      args,
      options: {
        queues: { type: 'string', default: 'io,cpu' },
        'workflow-bundle': { type: 'string' },
        'cpu-slots': { type: 'string' },
        'build-bundle': { type: 'string' },
      },
      strict: true,
    });
    if (values['build-bundle']) {
      await writeWorkflowBundle(resolve(values['build-bundle']));
      process.stdout.write(`workflow bundle written to ${resolve(values['build-bundle'])}\n`);
      return 0;
    }
    const queues = values.queues.split(',').map((q) => q.trim());
    const unknown = queues.filter((q) => !(q in TASK_QUEUES));
    if (unknown.length > 0 || queues.length === 0) throw new UsageError(`--queues takes io, cpu or io,cpu; got '${values.queues}'`);
    const settings = temporalSettings();
    const environment = activityEnvironmentFromEnv();
    const connection = await connectWorker(settings);
    try {
      const workers = await createMmmWorkers({
        connection,
        namespace: settings.namespace,
        environment,
        queues: queues as TaskQueueKind[],
        workflowBundle: values['workflow-bundle'] ? { codePath: resolve(values['workflow-bundle']) } : undefined,
        cpuSlots: integerFlag('cpu-slots', values['cpu-slots'], 1),
      });
      process.stdout.write(
        `worker ready: queues ${queues.map((q) => TASK_QUEUES[q as TaskQueueKind]).join(', ')} on ${settings.address} (namespace ${settings.namespace}); ` +
          `warehouse ${environment.warehouse.engine}, runs in ${environment.runsUri ?? environment.runsDir}\n`,
      );
      await runWorkers(workers);
    } finally {
      await connection.close();
    }
    return 0;
  },
};
