/**
 * Runs a retrain stage (retrain-stages.ts) on a worker thread of its own and waits for it. The activity's
 * main thread stays free meanwhile, so its heartbeat timer keeps firing through minutes of computation and
 * a worker process that dies in a stage is seen within the heartbeat timeout. On the main thread, the
 * post-sampling analysis of a 200-geo x 10-channel fit (about 140 CPU seconds) outlasts the fit's 30-second
 * heartbeat timeout (a 40-geo one, about 17, comes close on a loaded machine), and the
 * surface stages needed a two-minute floor on theirs.
 */
import { Worker } from 'node:worker_threads';
import { runtimeModuleUrl, WORKER_THREAD_EXEC_ARGV } from '../src/io/runtime-location.ts';
import { heartbeatProgress } from './heartbeat.ts';
import type { StageInput, StageName, StageOutput } from './retrain-stages.ts';
import { stageMessageSchema, type StageRequest } from './stage-messages.ts';

export function onStageThread<S extends StageName>(stage: S, input: StageInput<S>): Promise<StageOutput<S>> {
  return new Promise((resolve, reject) => {
    const request: StageRequest = { stage, input };
    const thread = new Worker(runtimeModuleUrl('./stage-worker.ts', import.meta.url), {
      execArgv: WORKER_THREAD_EXEC_ARGV,
      workerData: request,
    });
    let answered = false;
    thread.on('message', (raw: unknown) => {
      const message = stageMessageSchema.parse(raw);
      if (message.type === 'progress') {
        heartbeatProgress(message.progress);
        return;
      }
      answered = true;
      if (message.type === 'result') resolve(message.result as StageOutput<S>);
      // The error's name travels with it: activities/failures.ts types the failure by Error.name.
      else reject(Object.assign(new Error(message.message), { name: message.name, stack: message.stack }));
    });
    thread.on('error', (error) => {
      answered = true;
      reject(error);
    });
    thread.on('exit', (code) => {
      if (!answered) reject(new Error(`the ${stage} stage's thread exited with code ${code} before it answered`));
    });
  });
}
