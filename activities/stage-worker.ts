/** Worker-thread entry of onStageThread (stage-thread.ts): runs the one stage it is given and posts its answer. */
import { parentPort, workerData } from 'node:worker_threads';
import { RETRAIN_STAGES, type StageName } from './retrain-stages.ts';
import { type StageMessage, stageRequestSchema } from './stage-messages.ts';

if (parentPort === null) throw new Error('stage-worker.ts runs only as a worker thread started by onStageThread');
const port = parentPort;
const post = (message: StageMessage): void => port.postMessage(message);

const request = stageRequestSchema.parse(workerData);
if (!(request.stage in RETRAIN_STAGES)) throw new Error(`no retrain stage '${request.stage}'`);
const run = RETRAIN_STAGES[request.stage as StageName] as (input: unknown, report: (progress: unknown) => void) => Promise<unknown>;
try {
  post({ type: 'result', result: await run(request.input, (progress) => post({ type: 'progress', progress })) });
} catch (error) {
  const failure = error instanceof Error ? error : new Error(String(error));
  post({ type: 'error', name: failure.name, message: failure.message, stack: failure.stack });
}
