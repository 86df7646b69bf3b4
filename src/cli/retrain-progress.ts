/**
 * Progress of a retrain as lines on stdout: one per stage as the workflow reaches it (stages passed
 * between two polls included), the fit's progress from its heartbeats every 10%, with the attempt
 * after a retry, and a warning when the retrain waits for a worker that no task queue has seen.
 */
import type { RetrainProgress } from '../orchestration/retrain-client.ts';
import type { RetrainStatus } from '../workflow-contracts/contracts.ts';

const STAGE_ORDER: readonly RetrainStatus['stage'][] = ['dbt', 'extract', 'validate', 'fit', 'surface', 'publish', 'done'];

const STAGE_TEXT: Record<RetrainStatus['stage'], string> = {
  dbt: 'dbt build: raw exports -> staging -> marts',
  extract: 'extracting the marts',
  validate: 'validating the model input',
  fit: 'fitting the Bayesian MMM',
  surface: 'building the calibrated scenario surface',
  publish: 'publishing every table',
  done: 'done',
  rejected: 'the run was refused by its gates; recording it as rejected',
};

export class RetrainProgressPrinter {
  private stage: RetrainStatus['stage'] | null = null;
  private stageIndex = -1;
  private lastDecile = -1;
  private chunksShown = 0;
  private noWorkerShown = false;
  private readonly started = performance.now();

  constructor(private readonly write: (line: string) => void) {}

  update({ status, fit, attempt, unpolled }: RetrainProgress): void {
    const elapsed = `${((performance.now() - this.started) / 1000).toFixed(0)} s`;
    if (unpolled.length > 0 && !this.noWorkerShown) {
      const queues = unpolled.map(
        ({ queue, tasks, secondsSinceLastPoll }) =>
          `${queue} for ${tasks} tasks (${secondsSinceLastPoll === null ? 'never polled' : `last polled ${secondsSinceLastPoll.toFixed(0)} s ago`})`,
      );
      this.write(
        `  [${elapsed}] waiting for a worker: no worker is polling task queue ${queues.join(', ')}; ` +
          `start one with 'mmm worker' (the retrain continues when one polls)`,
      );
    }
    this.noWorkerShown = unpolled.length > 0;
    if (status && status.stage !== this.stage) {
      const index = STAGE_ORDER.indexOf(status.stage);
      const passed = index < 0 ? [status.stage] : STAGE_ORDER.slice(this.stageIndex + 1, index + 1);
      for (const stage of passed) this.write(`  [${elapsed}] ${STAGE_TEXT[stage]}${stage === 'dbt' ? ` (run ${status.runId})` : ''}`);
      this.stage = status.stage;
      this.stageIndex = Math.max(this.stageIndex, index);
    }
    if (status?.stage === 'fit' && fit) {
      const decile = Math.floor((10 * fit.iterations) / fit.totalIterations);
      if (decile > this.lastDecile) {
        this.lastDecile = decile;
        const retry = attempt > 1 ? `, attempt ${attempt}` : '';
        this.write(
          `  [${elapsed}]   fit ${decile * 10}% (${fit.iterations}/${fit.totalIterations} iterations, ${fit.divergences} divergent draws${retry})`,
        );
      }
    }
    if (status?.stage === 'surface' && status.surfaceChunksDone > this.chunksShown) {
      this.chunksShown = status.surfaceChunksDone;
      this.write(`  [${elapsed}]   surface chunk ${status.surfaceChunksDone}/${status.surfaceChunks}`);
    }
  }
}
