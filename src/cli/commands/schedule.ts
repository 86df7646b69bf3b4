/** `mmm schedule`: the weekly retrain of a model as a Temporal Schedule, never beside another retrain of the model. */
import { parseArgs } from 'node:util';
import { UsageError, type CliCommand } from '../command.ts';
import { RETRAIN_FLAG_OPTIONS, RETRAIN_FLAGS_HELP, retrainInputFromFlags } from '../retrain-input-flags.ts';
import { TEMPORAL_ENVIRONMENT_HELP, temporalSettings } from '../temporal-flags.ts';
import { createRetrainSchedule, DEFAULT_RETRAIN_CRON, retrainSchedule, triggerRetrain } from '../../orchestration/schedules.ts';
import { retrainWorkflowId } from '../../workflow-contracts/contracts.ts';
import { retrainHolder } from '../../orchestration/retrain-client.ts';
import { connectClient } from '../../orchestration/temporal-connection.ts';

const usage = `Usage: mmm schedule create --model ID --config FILE [--cron EXPR] [retrain options]
       mmm schedule pause|unpause|trigger|delete|describe --model ID

Weekly retrains through Temporal Schedules. Each scheduled or triggered retrain runs as workflow
retrain-ID, like 'mmm retrain': while any retrain of the model runs (started by the schedule, the CLI or
the API), the next one is skipped, and 'trigger' says which workflow and run hold the model.

Options:
${RETRAIN_FLAGS_HELP}
  --cron EXPR         when to retrain (default '${DEFAULT_RETRAIN_CRON}': Mondays 06:00 UTC)

${TEMPORAL_ENVIRONMENT_HELP}`;

const ACTIONS = ['create', 'pause', 'unpause', 'trigger', 'delete', 'describe'] as const;
type Action = (typeof ACTIONS)[number];

export const scheduleCommand: CliCommand = {
  usage,
  async run(args) {
    const [action, ...rest] = args;
    if (!ACTIONS.includes(action as Action))
      throw new UsageError(`the first argument is one of ${ACTIONS.join(', ')}; got '${action ?? ''}'`);
    const { values } = parseArgs({ args: rest, options: { ...RETRAIN_FLAG_OPTIONS, cron: { type: 'string' } }, strict: true });
    if (!values.model) throw new UsageError('--model is required');
    const client = await connectClient(temporalSettings());
    try {
      const handle = retrainSchedule(client, values.model);
      switch (action as Action) {
        case 'create': {
          const id = await createRetrainSchedule(client, retrainInputFromFlags(values), { cron: values.cron });
          process.stdout.write(
            `schedule ${id} created: ${values.cron ?? DEFAULT_RETRAIN_CRON} (UTC); skipped while the model has a retrain running\n`,
          );
          break;
        }
        case 'pause':
          await handle.pause(`paused with mmm schedule pause`);
          break;
        case 'unpause':
          await handle.unpause(`unpaused with mmm schedule unpause`);
          break;
        case 'trigger': {
          const triggered = await triggerRetrain(client, values.model);
          process.stdout.write(
            triggered.outcome === 'started'
              ? `schedule ${handle.scheduleId}: retrain started as workflow ${triggered.workflowId}, run ${triggered.runId}\n`
              : `schedule ${handle.scheduleId}: retrain skipped: ${triggered.reason}, run ${triggered.holderRunId ?? 'unknown (it has just ended)'}\n`,
          );
          return 0;
        }
        case 'delete':
          await handle.delete();
          break;
        case 'describe': {
          const { state, info } = await handle.describe();
          const holder = await retrainHolder(client, values.model);
          process.stdout.write(
            `${handle.scheduleId}: ${state.paused ? 'paused' : 'active'}; next ${info.nextActionTimes[0]?.toISOString() ?? 'none'}; ` +
              `${info.recentActions.length} recent actions; retrain ${holder.runId ? `running (workflow ${retrainWorkflowId(values.model)}, run ${holder.runId})` : 'not running'}\n`,
          );
          return 0;
        }
      }
      if (action !== 'create') process.stdout.write(`schedule ${handle.scheduleId}: ${action} done\n`);
      return 0;
    } finally {
      await client.connection.close();
    }
  },
};
