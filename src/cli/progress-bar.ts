/**
 * A sampler progress bar on stderr: one line redrawn in place on a terminal, a line every 10%
 * otherwise (CI logs, pipes), so long fits always show they are alive.
 */
import type { SamplerProgress } from '../inference/sampler.ts';

export class SamplerProgressBar {
  private readonly done: number[];
  private lastPrintedDecile = -1;
  private readonly started = performance.now();

  constructor(
    private readonly chains: number,
    private readonly totalPerChain: number,
    /** What the line says is running ('fit', 'backtest fit'). */
    private readonly label = 'fit',
    private readonly stream: NodeJS.WriteStream = process.stderr,
  ) {
    this.done = new Array<number>(chains).fill(0);
  }

  update(progress: SamplerProgress): void {
    this.done[progress.chain] = progress.iteration;
    const total = this.chains * this.totalPerChain;
    const completed = this.done.reduce((a, b) => a + b, 0);
    const fraction = completed / total;
    const elapsed = (performance.now() - this.started) / 1000;
    const eta = fraction > 0 ? elapsed * (1 / fraction - 1) : NaN;
    const phase = progress.phase === 'warmup' ? 'warm-up' : 'sampling';
    const text = `${this.label} ${(fraction * 100).toFixed(0).padStart(3)}% ${phase} ${completed}/${total} iterations, ${elapsed.toFixed(0)} s elapsed${Number.isFinite(eta) ? `, ~${eta.toFixed(0)} s left` : ''}`;
    if (this.stream.isTTY) {
      const width = 24;
      const filled = Math.round(fraction * width);
      this.stream.write(`\r[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${text}`);
      return;
    }
    const decile = Math.floor(fraction * 10);
    if (decile > this.lastPrintedDecile) {
      this.lastPrintedDecile = decile;
      this.stream.write(`${text}\n`);
    }
  }

  finish(): void {
    if (this.stream.isTTY) this.stream.write('\n');
  }
}
