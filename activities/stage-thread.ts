/**
 * Runs a retrain stage (retrain-stages.ts) on a worker thread and waits for it. The activity's main thread
 * stays free meanwhile, so its heartbeat timer keeps firing through minutes of computation and a worker
 * process that dies in a stage is seen within the heartbeat timeout. On the main thread, the post-sampling
 * analysis of a 200-geo x 10-channel fit (about 140 CPU seconds) outlasts the fit's 30-second heartbeat
 * timeout (a 40-geo one, about 17, comes close on a loaded machine), and the surface stages needed a
 * two-minute floor on theirs.
 *
 * The threads are kept and reused (StageThreads): a new thread loads the stages' whole module graph
 * (about 135 modules; a second or more of CPU when it runs the TypeScript sources through tsx), and a
 * retrain runs five stages or more. A thread runs one stage at a time; when every thread is busy another
 * is started, so there are never more threads than stages that ran at once (the worker's cpu slots), and a
 * thread idle for IDLE_THREAD_MS ends, so an idle worker keeps none. Reuse is safe because a stage is a
 * function of its run workspace and arguments: the stage modules hold no module-level state that a stage
 * changes (their module-level values are constant registries), and nothing of one stage is passed to the
 * next. A thread that fails outside a stage (an uncaught error, an exit) is dropped, never reused.
 */
import { AsyncResource } from 'node:async_hooks';
import { Worker } from 'node:worker_threads';
import { runtimeModuleUrl, WORKER_THREAD_EXEC_ARGV } from '../src/io/runtime-location.ts';
import { heartbeatProgress } from './heartbeat.ts';
import type { StageInput, StageName, StageOutput } from './retrain-stages.ts';
import { stageMessageSchema, type StageRequest } from './stage-messages.ts';

/** How long a thread waits for its next stage before it ends: a retrain's stages follow each other within seconds. */
const IDLE_THREAD_MS = 60_000;

/** The stage a busy thread runs: where its progress and its answer go. */
interface RunningStage {
  stage: string;
  progress(progress: unknown): void;
  resolve(result: unknown): void;
  reject(error: Error): void;
}

/** One reusable stage thread: `running` is its stage, null while it waits for one. */
interface StageThread {
  worker: Worker;
  running: RunningStage | null;
  idleTimer?: NodeJS.Timeout;
}

/** A pool of stage threads, started as stages need them. */
export class StageThreads {
  private readonly idle: StageThread[] = [];
  private threadsStarted = 0;

  /** How many threads this pool has started. */
  get started(): number {
    return this.threadsStarted;
  }

  /** Runs `stage` on an idle thread, or a new one when none is idle; its progress goes to the calling activity's heartbeat. */
  async run<S extends StageName>(stage: S, input: StageInput<S>): Promise<StageOutput<S>> {
    // The thread's messages arrive outside the activity's async context: the progress handler is bound to it here.
    const progress = AsyncResource.bind((details: unknown) => heartbeatProgress(details));
    const thread = this.idle.pop() ?? this.start();
    clearTimeout(thread.idleTimer);
    // A busy thread keeps the process alive, as the stage's own work would; an idle one does not.
    thread.worker.ref();
    const request: StageRequest = { stage, input };
    return new Promise<unknown>((resolve, reject) => {
      thread.running = { stage, progress, resolve, reject };
      thread.worker.postMessage(request);
    }) as Promise<StageOutput<S>>;
  }

  private start(): StageThread {
    const worker = new Worker(runtimeModuleUrl('./stage-worker.ts', import.meta.url), { execArgv: WORKER_THREAD_EXEC_ARGV });
    this.threadsStarted += 1;
    const thread: StageThread = { worker, running: null };
    worker.on('message', (raw: unknown) => {
      const message = stageMessageSchema.parse(raw);
      const running = thread.running;
      if (running === null) return;
      if (message.type === 'progress') {
        running.progress(message.progress);
        return;
      }
      this.release(thread);
      if (message.type === 'result') running.resolve(message.result);
      // The error's name travels with it: activities/failures.ts types the failure by Error.name.
      else running.reject(Object.assign(new Error(message.message), { name: message.name, stack: message.stack }));
    });
    worker.on('error', (error) => this.fail(thread, error));
    worker.on('exit', (code) =>
      this.fail(thread, new Error(`the ${thread.running?.stage} stage's thread exited with code ${code} before it answered`)),
    );
    return thread;
  }

  /** Puts a thread that answered back among the idle ones, to end after IDLE_THREAD_MS unless a stage takes it. */
  private release(thread: StageThread): void {
    thread.running = null;
    thread.worker.unref();
    thread.idleTimer = setTimeout(() => {
      this.drop(thread);
      void thread.worker.terminate();
    }, IDLE_THREAD_MS).unref();
    this.idle.push(thread);
  }

  /** Drops a thread that failed outside a stage (or exited), rejecting the stage it was running. */
  private fail(thread: StageThread, error: Error): void {
    this.drop(thread);
    const running = thread.running;
    thread.running = null;
    running?.reject(error);
    void thread.worker.terminate();
  }

  private drop(thread: StageThread): void {
    clearTimeout(thread.idleTimer);
    const at = this.idle.indexOf(thread);
    if (at >= 0) this.idle.splice(at, 1);
  }
}

/** The process's stage threads, shared by every activity of its workers. */
const stageThreads = new StageThreads();

/** Runs `stage` on one of the process's stage threads. */
export const onStageThread = <S extends StageName>(stage: S, input: StageInput<S>): Promise<StageOutput<S>> =>
  stageThreads.run(stage, input);
