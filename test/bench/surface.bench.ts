/**
 * Decision-layer speed (issue 4, acceptance 4) on 1,000 posterior draws x 5 channels of known curves:
 * components + enumerated surface (target <= 60 s), score() p50/p99 (target p99 <= 5 ms), a 41-level
 * frontier plus top-5 alternatives (target <= 1 s). Run: npm run bench:surface
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { diverseAlternatives } from '../../src/explore/alternatives.ts';
import { efficientFrontier } from '../../src/explore/frontier.ts';
import { score } from '../../src/explore/score.ts';
import { interpolationExactness, quasiRandomAllocations } from '../../src/surface/exactness.ts';
import { buildSurfaceRun, readSurfaceDirectory } from '../../src/surface/surface-run.ts';
import { FIVE_CHANNELS, randomCurveSource } from '../support/known-curve-source.ts';

const quantile = (sorted: number[], q: number): number => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
const fmt = (ms: number): string => ms.toFixed(3);

const source = randomCurveSource({ channels: FIVE_CHANNELS, nDraws: 1000, seed: 2024 });
const dir = await mkdtemp(join(tmpdir(), 'mmm-bench-surface-'));
try {
  const started = performance.now();
  const summary = await buildSurfaceRun(source, dir, { runId: 'bench' });
  const totalSeconds = (performance.now() - started) / 1000;
  console.log(
    `draws ${summary.nDraws}, channels ${summary.channels.length}, grid nodes ${summary.gridNodes}, scenarios ${summary.scenarios}`,
  );
  console.log(
    `components ${summary.componentsSeconds.toFixed(2)} s, surface ${summary.surfaceSeconds.toFixed(2)} s, with files written ${totalSeconds.toFixed(2)} s (target <= 60 s)`,
  );

  const { run } = await readSurfaceDirectory(join(dir, 'surface'));
  const allocations = quasiRandomAllocations(run.curves, 2000);
  for (const spend of allocations.slice(0, 200)) score(run, spend); // warm-up
  const times = allocations
    .map((spend) => {
      const t = performance.now();
      score(run, spend);
      return performance.now() - t;
    })
    .sort((a, b) => a - b);
  console.log(
    `score() over ${times.length} allocations: p50 ${fmt(quantile(times, 0.5))} ms, p99 ${fmt(quantile(times, 0.99))} ms (target p99 <= 5 ms)`,
  );

  efficientFrontier(run, {}); // warm-up
  diverseAlternatives(run, { count: 5 });
  const rounds = Array.from({ length: 5 }, () => {
    const t = performance.now();
    const frontier = efficientFrontier(run, { levels: 41 });
    const alternatives = diverseAlternatives(run, { count: 5 });
    if (frontier.length !== 41 || alternatives.length !== 5) throw new Error(`got ${frontier.length} levels, ${alternatives.length} plans`);
    return performance.now() - t;
  }).sort((a, b) => a - b);
  console.log(
    `41-level frontier + top-5 alternatives: median ${rounds[2].toFixed(0)} ms, max ${rounds[4].toFixed(0)} ms (target <= 1000 ms)`,
  );

  const exactness = interpolationExactness(run.curves, source, quasiRandomAllocations(run.curves, 1000));
  console.log(
    `exactness over 1,000 allocations x 1,000 draws: max relative error ${(exactness.maxRelativeError * 100).toFixed(4)}% paid media, ${(exactness.maxRelativeErrorTotal * 100).toFixed(5)}% total (target <= 0.5%)`,
  );
  // Allocations whose factors are grid nodes isolate the float32 storage error (interpolation is exact at nodes).
  const { factors, historicalSpend } = run.curves;
  const onNodes = allocations.slice(0, 200).map((_, i) => historicalSpend.map((h, c) => factors[(i * 7 + c * 31) % factors.length] * h));
  const storage = interpolationExactness(run.curves, source, onNodes);
  console.log(`float32 storage alone (200 allocations on grid nodes): max relative error ${storage.maxRelativeError.toExponential(2)}`);
} finally {
  await rm(dir, { recursive: true, force: true });
}
