/** `mmm retrain`: starts the retrain workflow of a model; with --wait, follows it to the end. */
import { parseArgs } from 'node:util';
import type { CliCommand } from '../command.ts';
import { integerFlag } from '../flags.ts';
import { RETRAIN_FLAG_OPTIONS, RETRAIN_FLAGS_HELP, retrainInputFromFlags } from '../retrain-input-flags.ts';
import { RetrainProgressPrinter } from '../retrain-progress.ts';
import { TEMPORAL_ENVIRONMENT_HELP, temporalSettings } from '../temporal-flags.ts';
import { toJsonText } from '../../explore/format.ts';
import { followRetrain, NO_WORKER_SECONDS, startRetrain } from '../../orchestration/retrain-client.ts';
import { connectClient } from '../../orchestration/temporal-connection.ts';

const usage = `Usage: mmm retrain --model ID --config FILE [--wait] [--json] [options]

Starts retrainWorkflow (dbt build -> extract -> validate -> fit -> surface -> publish and promote) on the
workers of the configured Temporal cluster ('mmm worker'), as workflow retrain-ID. Refused (exit 1,
naming the workflow and run that hold the model) while the model already has a retrain running,
whoever started it (this command, the API or its schedule).

Options:
${RETRAIN_FLAGS_HELP}
  --wait              follow the retrain to the end, showing progress; exit 1 if it fails
  --no-worker-after N with --wait: say so when the retrain has waited N seconds for a worker and no
                      worker has polled its task queues for N seconds (default ${NO_WORKER_SECONDS})
  --json              print the result as JSON (with --wait)

${TEMPORAL_ENVIRONMENT_HELP}`;

export const retrainCommand: CliCommand = {
  usage,
  async run(args) {
    const { values } = parseArgs({
      args,
      options: {
        ...RETRAIN_FLAG_OPTIONS,
        wait: { type: 'boolean', default: false },
        'no-worker-after': { type: 'string' },
        json: { type: 'boolean', default: false },
      },
      strict: true,
    });
    const input = retrainInputFromFlags(values);
    const noWorkerSeconds = integerFlag('no-worker-after', values['no-worker-after'], 1) ?? NO_WORKER_SECONDS;
    const settings = temporalSettings();
    const client = await connectClient(settings);
    try {
      const handle = await startRetrain(client, input);
      process.stdout.write(`retrain started: workflow ${handle.workflowId} on ${settings.address}\n`);
      if (!values.wait) return 0;
      const printer = new RetrainProgressPrinter((line) => process.stdout.write(`${line}\n`));
      const result = await followRetrain(client, handle, (progress) => printer.update(progress), { noWorkerSeconds });
      process.stdout.write(
        values.json
          ? toJsonText(result)
          : `run ${result.runId}: verdict ${result.verdict}, calibration k = ${result.calibrationFactor.toFixed(4)}, ${result.scenarios} scenarios, ` +
              `${result.rowsWritten} rows written, ${result.promoted ? 'promoted to current' : 'not promoted'}\n`,
      );
      return 0;
    } finally {
      await client.connection.close();
    }
  },
};
