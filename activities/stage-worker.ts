/**
 * Worker-thread entry of the stage threads (stage-thread.ts): runs each stage it is sent, one at a time (the
 * pool sends the next only after the answer), and posts the stage's progress and its answer.
 */
import { parentPort } from 'node:worker_threads';
import { RETRAIN_STAGES, type StageName } from './retrain-stages.ts';
import { type StageMessage, stageRequestSchema } from './stage-messages.ts';

if (parentPort === null) throw new Error('stage-worker.ts runs only as a worker thread started by stage-thread.ts');
const port = parentPort;
const post = (message: StageMessage): void => port.postMessage(message);

async function runStage(raw: unknown): Promise<unknown> {
  const request = stageRequestSchema.parse(raw);
  if (!(request.stage in RETRAIN_STAGES)) throw new Error(`no retrain stage '${request.stage}'`);
  const run = RETRAIN_STAGES[request.stage as StageName] as (input: unknown, report: (progress: unknown) => void) => Promise<unknown>;
  return run(request.input, (progress) => post({ type: 'progress', progress }));
}

port.on('message', (raw: unknown) => {
  runStage(raw).then(
    (result) => post({ type: 'result', result }),
    (error: unknown) => {
      const failure = error instanceof Error ? error : new Error(String(error));
      post({ type: 'error', name: failure.name, message: failure.message, stack: failure.stack });
    },
  );
});
