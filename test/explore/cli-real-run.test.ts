/**
 * The plain answers through the `mmm` binary on a real fitted run (the PyMC example, 4 chains x 300 + 300
 * draws, seed 1; its surface from 400 thinned draws): a --cap above the stored grid extends the response
 * components from the stored posterior, and the extended scores agree with the model evaluated directly.
 */
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadResponseSource } from '../../src/run/mmm-response-source.ts';
import { loadFitInputs } from '../../src/data/load-fit-inputs.ts';
import { fitMmm } from '../../src/fit/fit-mmm.ts';
import { writeFitRun } from '../../src/run/run-directory.ts';
import { EXTENSION_DIR } from '../../src/surface/components-extension.ts';
import { buildSurfaceRun, loadSurfaceRun, SURFACE_DIR } from '../../src/surface/surface-run.ts';
import { exampleConfig, referenceFile } from '../support/reference-data.ts';
import { runMmm } from '../support/run-mmm.ts';

const DRAWS = 400;
let dir: string;

beforeAll(async () => {
  const { panel, config } = loadFitInputs(referenceFile('pymc-marketing/mmm_example.csv'), exampleConfig('pymc-example.json'));
  const fit = await fitMmm(panel, { ...config, sampler: { ...config.sampler, chains: 4, warmup: 300, draws: 300, seed: 1 } });
  expect(fit.diagnostics.verdict).not.toBe('fail');
  dir = await mkdtemp(join(tmpdir(), 'mmm-explore-real-'));
  writeFitRun(dir, panel, fit);
  await buildSurfaceRun(await loadResponseSource(dir, { maxDraws: DRAWS }), dir, { runId: 'pymc-real' });
}, 600_000);
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('mmm explore / optimize on a real fitted run', () => {
  it('extends the components from the stored posterior when --cap exceeds the stored grid, and scores as the model does', async () => {
    const stored = await loadSurfaceRun(dir);
    const spendX1 = 3.87 * stored.curves.historicalSpend[0];
    const allocation = JSON.stringify({ x1: spendX1 });

    const refused = await runMmm(['explore', '--run', dir, '--allocation', allocation]);
    expect(refused.status).toBe(1);
    expect(refused.stderr).toMatch(
      /spend [\d.]+ on channel 'x1' is outside \[0, [\d.]+\], the per-channel cap of 3 x current spend \(raise it with --cap\)/,
    );

    const scored = await runMmm(['explore', '--run', dir, '--allocation', allocation, '--cap', '5', '--json', '-']);
    expect(scored.status, scored.stderr).toBe(0);
    const json = JSON.parse(scored.stdout);
    expect(json.cap).toBe(5);
    const marker = join(dir, SURFACE_DIR, EXTENSION_DIR, 'base.json');
    const cachedAt = (await stat(marker)).mtimeMs;

    // The model itself on the same draws: baseline + g_x1(3.87) + g_x2(1), 3.87 between grid nodes, calibrated.
    const source = await loadResponseSource(dir, { maxDraws: DRAWS });
    const total = new Float64Array(source.nDraws);
    const channel = new Float64Array(source.nDraws);
    source.baseline(total);
    for (const [c, factor] of [
      [0, 3.87],
      [1, 1],
    ] as const) {
      source.channelContribution(c, factor, channel);
      total.forEach((_, d) => {
        total[d] += channel[d];
      });
    }
    const k = stored.calibration.factor;
    const direct = (total.reduce((a, b) => a + b, 0) / total.length) * k;
    const relative = Math.abs(json.outcome.mean - direct) / Math.abs(direct);
    console.log(
      `x1 at 3.87 x current spend: outcome ${json.outcome.mean.toFixed(0)} from extended components, ${direct.toFixed(0)} from the model (relative error ${relative.toExponential(2)})`,
    );
    expect(relative).toBeLessThan(0.005);
    expect(json.change.extraSpend).toBeCloseTo(2.87 * stored.curves.historicalSpend[0], 6);

    const again = await runMmm(['explore', '--run', dir, '--allocation', allocation, '--cap', '4.5']);
    expect(again.status, again.stderr).toBe(0);
    expect(again.stdout).toMatch(/^cap\s+each channel at most 4\.5 x its current spend \(--cap\)$/m);
    expect((await stat(marker)).mtimeMs).toBe(cachedAt);
  }, 600_000);

  it('optimize says what a 50% larger budget buys, with its interval, and which alternatives are worth showing', async () => {
    const stored = await loadSurfaceRun(dir);
    const budget = 1.5 * stored.curves.totalHistoricalSpend;
    const result = await runMmm(['optimize', '--run', dir, '--budget', String(budget)]);
    expect(result.status, result.stderr).toBe(0);
    expect(result.stdout).toMatch(
      /^The extra [\d.]+ \([\d.]+ -> [\d.]+\) buys about [\d.]+K? \[[\d.]+K?, [\d.]+K?\] more outcome than current spend \(90% interval\)\.$/m,
    );
    expect(result.stdout).toMatch(/^cap\s+each channel at most 3 x its current spend \(--cap\)$/m);
    expect(result.stdout).toMatch(/the current mix with probability >= 50\.0% \(--min-p-beats\)/);
    // Each channel with the fit's evidence label; a budget 50% larger moves every channel, each with P(the move helps).
    const lines = result.stdout.split('\n');
    expect(lines[0]).toMatch(/^channel\s+current\s+recommended\s+change\s+mROI\s+P\(move helps\)\s+evidence\s+limit$/);
    for (const channel of stored.curves.channels)
      expect(lines.find((line) => line.startsWith(`${channel} `))).toMatch(/\s\d+\.\d%\s+(not )?informed by the data/);
  }, 300_000);
});
