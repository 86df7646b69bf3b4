/** `mmm schedule`: the weekly retrain of a model as a Temporal Schedule (overlap policy SKIP). */
import { parseArgs } from 'node:util';
import { UsageError, type CliCommand } from '../command.ts';
import { RETRAIN_FLAG_OPTIONS, RETRAIN_FLAGS_HELP, retrainInputFromFlags } from '../retrain-input-flags.ts';
import { TEMPORAL_ENVIRONMENT_HELP, temporalSettings } from '../temporal-flags.ts';
import { createRetrainSchedule, DEFAULT_RETRAIN_CRON, retrainSchedule, triggerRetrain } from '../../orchestration/schedules.ts';
import { connectClient } from '../../orchestration/temporal-connection.ts';

const usage = `Usage: mmm schedule create --model ID --config FILE [--cron EXPR] [retrain options]
       mmm schedule pause|unpause|trigger|delete|describe --model ID

Weekly retrains through Temporal Schedules. A retrain still running when the next is due is skipped
(overlap policy SKIP), as is a trigger while one runs.

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
    if (!ACTIONS.includes(action as Action)) throw new UsageError(`the first argument is one of ${ACTIONS.join(', ')}; got '${action ?? ''}'`);
    const { values } = parseArgs({ args: rest, options: { ...RETRAIN_FLAG_OPTIONS, cron: { type: 'string' } }, strict: true });
    if (!values.model) throw new UsageError('--model is required');
    const client = await connectClient(temporalSettings());
    try {
      const handle = retrainSchedule(client, values.model);
      switch (action as Action) {
        case 'create': {
          const id = await createRetrainSchedule(client, retrainInputFromFlags(values), { cron: values.cron });
          process.stdout.write(`schedule ${id} created: ${values.cron ?? DEFAULT_RETRAIN_CRON} (UTC), overlap policy SKIP\n`);
          break;
        }
        case 'pause': await handle.pause(`paused with mmm schedule pause`); break;
        case 'unpause': await handle.unpause(`unpaused with mmm schedule unpause`); break;
        case 'trigger': await triggerRetrain(client, values.model); break;
        case 'delete': await handle.delete(); break;
        case 'describe': {
          const { state, info } = await handle.describe();
          process.stdout.write(`${handle.scheduleId}: ${state.paused ? 'paused' : 'active'}; next ${info.nextActionTimes[0]?.toISOString() ?? 'none'}; `
            + `${info.recentActions.length} recent actions, ${info.numActionsSkippedOverlap} skipped for overlap, ${info.runningActions.length} running\n`);
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
