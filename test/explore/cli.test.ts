import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { UsageError } from '../../src/cli/command.ts';
import { exploreCommand } from '../../src/cli/commands/explore.ts';
import { optimizeCommand } from '../../src/cli/commands/optimize.ts';
import { createSurfaceCommand } from '../../src/cli/commands/surface.ts';
import { InfeasibleConstraintError } from '../../src/explore/constraints.ts';
import { recommendationEvidenceRowSchema, recommendationRowSchema } from '../../src/explore/rows.ts';
import { summarizeDraws } from '../../src/analysis/interval.ts';
import { diverseAlternatives } from '../../src/explore/alternatives.ts';
import { formatCompact } from '../../src/explore/format.ts';
import { goalSeek } from '../../src/explore/goal-seek.ts';
import { score } from '../../src/explore/score.ts';
import { SpendOutOfRangeError } from '../../src/surface/response-curves.ts';
import { loadSurfaceRun, type SurfaceRun } from '../../src/surface/surface-run.ts';
import { runMmm } from '../support/run-mmm.ts';
import { commitKnownCurveRun, FIVE_CHANNELS, randomCurveSource } from '../support/known-curve-source.ts';

const source = randomCurveSource({ channels: FIVE_CHANNELS, nDraws: 200, seed: 31 });
let dir: string;

/** Runs a command and returns what it printed to stdout. */
async function printed(run: () => Promise<number>): Promise<string> {
  let text = '';
  const spy = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    text += String(chunk);
    return true;
  });
  try {
    expect(await run()).toBe(0);
  } finally {
    spy.mockRestore();
  }
  return text;
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'mmm-cli-'));
  commitKnownCurveRun(dir, source);
  const surface = createSurfaceCommand(async (runDir, options) => {
    expect(runDir).toBe(dir);
    expect(options.window).toEqual(source.window);
    return source;
  });
  await expect(surface.run(['--run', dir, '--window', '2023-12-25:2023-01-02'])).rejects.toThrow(UsageError);
  const out = await printed(() => surface.run(['--run', dir, '--run-id', 'cli-run', '--window', '2023-01-02:2023-12-25']));
  expect(out).toMatch(/calibration k\s+1\.0400 \(band 0\.8\.\.1\.25\)/);
  expect(out).toMatch(/scenarios\s+11,481/);
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('mmm optimize', () => {
  it.each([
    ['q05', 'per-draw optima'],
    ['mean-sd:2', 'duality'],
  ])('with --objective %s states how far the answer can be from the best plan on the grid', async (objective, method) => {
    const text = await printed(() => optimizeCommand.run(['--run', dir, '--objective', objective, '--alternatives', '0']));
    expect(text).toMatch(
      new RegExp(
        `^optimality\\s+local search around the best candidate gained [\\d,.]+ \\([\\d.]+% of the paid-media outcome\\) in \\d+ moves; the best plan on the grid scores at most [\\d,.]+ \\([\\d.]+% of the paid-media outcome\\) more: no plan exceeds [\\d,]+ \\(bound by ${method}\\)$`,
        'm',
      ),
    );
    const json = JSON.parse(
      await printed(() => optimizeCommand.run(['--run', dir, '--objective', objective, '--alternatives', '0', '--json', '-'])),
    );
    expect(json.exact).toBe(false);
    expect(json.optimality.method).toBe(method);
    expect(json.optimality.gap).toBeGreaterThanOrEqual(0);
    expect(json.optimality.relativeGap).toBeGreaterThanOrEqual(0);
    expect(json.optimality.localSearch.improvement).toBeGreaterThanOrEqual(0);
    expect(json.optimality.relativeGap).toBeLessThan(0.5);
  });

  it('prints channel, current, recommended, change and mROI, and writes JSON with recommendation rows', async () => {
    const jsonPath = join(dir, 'plan.json');
    const out = await printed(() => optimizeCommand.run(['--run', dir, '--lock', 'radio', '--json', jsonPath]));
    const lines = out.split('\n');
    expect(lines[0]).toMatch(/^channel\s+current\s+recommended\s+change\s+mROI\s+P\(move helps\)\s+evidence\s+limit$/);
    // Locked: not moved, so no P(move helps); a run committed without a fit summary has no evidence.
    expect(lines.find((l) => l.startsWith('radio'))).toMatch(
      /^radio\s+5,000\s+5,000\s+0\s+[\d.]+\s+unknown \(fitted before evidence\)\s+locked at current 5,000$/,
    );
    expect(lines.find((l) => l.startsWith('tv'))).toMatch(/^tv\s+50,000\s+[\d,]+\s+[+-][\d,]+\s+[\d.]+\s+\d+\.\d%\s+unknown/);
    expect(lines.find((l) => l.startsWith('total'))).toMatch(/^total\s+100,000\s+100,000\s+0/);
    expect(out).toContain('exact optimum on the spend grid');
    expect(out).toMatch(
      /^Reallocating the same 100K gains about [\d.]+K? \[[\d.]+K?, [\d.]+K?\] more outcome than current spend \(90% interval\)\.$/m,
    );
    expect(out).toMatch(/^cap\s+each channel at most 3 x its current spend \(--cap\)$/m);
    expect(out).toContain('Alternatives within 1.0% of the best that beat the current mix with probability >= 50.0% (--min-p-beats)');
    const json = JSON.parse(await readFile(jsonPath, 'utf8'));
    expect(json.runId).toBe('cli-run');
    expect(json.channels.map((c: { channel: string }) => c.channel)).toEqual(['tv', 'search', 'social', 'display', 'radio']);
    expect(json.channels.reduce((s: number, c: { recommended: number }) => s + c.recommended, 0)).toBeCloseTo(100_000, 6);
    expect(json.rows.length).toBe(5 * (1 + json.alternatives.length));
    for (const row of json.rows) recommendationRowSchema.parse(row);
    // One evidence row per recommendation row, P(the move helps) exactly where the channel moved.
    expect(json.evidenceRows.map((r: { rank: number; channel: string }) => `${r.rank}/${r.channel}`)).toEqual(
      json.rows.map((r: { rank: number; channel: string }) => `${r.rank}/${r.channel}`),
    );
    for (const row of json.evidenceRows) {
      recommendationEvidenceRowSchema.parse(row);
      expect(row.p_move_helps === null).toBe(!row.moved);
      expect(row.evidence_label).toBeNull();
    }
    expect(json.channels.find((c: { channel: string }) => c.channel === 'radio')).toMatchObject({ moved: false, pMoveHelps: null });
    expect(json.optimality).toMatchObject({ method: 'exact', gap: 0 });
    expect(JSON.parse(json.rows[0].constraints)).toMatchObject({
      budget: 100_000,
      channels: { radio: { locked: true } },
      objective: { kind: 'mean' },
    });
  });

  it('refuses constraints that cannot be met, naming the binding one', async () => {
    await expect(optimizeCommand.run(['--run', dir, '--min', 'tv=95%', '--min', 'search=400%'])).rejects.toThrow(InfeasibleConstraintError);
    await expect(optimizeCommand.run(['--run', dir, '--budget', '50000', '--min', 'tv=60000'])).rejects.toThrow('tv: min 60,000');
  });

  it('rejects malformed flags as usage errors', async () => {
    await expect(optimizeCommand.run([])).rejects.toThrow(UsageError);
    await expect(optimizeCommand.run(['--run', dir, '--budget', 'lots'])).rejects.toThrow(UsageError);
    await expect(optimizeCommand.run(['--run', dir, '--bogus'])).rejects.toThrow(UsageError);
  });

  it('exits 1 with the error on stderr through the mmm binary', async () => {
    const refused = await runMmm(['optimize', '--run', dir, '--max', 'tv=1000', '--max', 'search=1000', '--budget', '99000']);
    expect(refused.status).toBe(1);
    expect(refused.stderr).toContain(
      'InfeasibleConstraintError: budget 99,000 exceeds the 92,000 the channels can take: tv: max 1,000; search: max 1,000',
    );
  });
});

describe('mmm explore', () => {
  it('scores an allocation', async () => {
    const out = await printed(() => exploreCommand.run(['--run', dir, '--allocation', '{"tv":60000,"radio":0}']));
    expect(out).toMatch(/^tv\s+60,000/m);
    expect(out).toMatch(/^radio\s+0\s+0\s+0\s+0\s+-$/m);
    expect(out).toMatch(/^total spend\s+105,000$/m);
    expect(out).toContain('P(beats current mix)');
  });

  it('writes marginal returns as JSON', async () => {
    const out = await printed(() => exploreCommand.run(['--run', dir, '--marginal', '--json', '-']));
    const marginal = JSON.parse(out);
    expect(marginal.channels.map((m: { channel: string }) => m.channel)).toEqual(['tv', 'search', 'social', 'display', 'radio']);
    expect(marginal.channels[1].mroi.mean).toBeGreaterThan(0);
    expect(marginal.cap).toBe(3);
  });

  it('prints a frontier with one row per level', async () => {
    const out = await printed(() => exploreCommand.run(['--run', dir, '--frontier', '--levels', '5']));
    const rows = out.split('\n\n')[0].split('\n').slice(2);
    expect(rows.map((r) => r.split(/\s+/)[0])).toEqual(['0', '50,000', '100,000', '150,000', '200,000']);
  });

  it('goal-seeks the least budget for a target', async () => {
    const out = await printed(() => exploreCommand.run(['--run', dir, '--goal', String(source.observedTotal), '--probability', '0.9']));
    expect(out).toMatch(
      /^least budget [\d,]+ reaches total outcome \(baseline included\) [\d,]+ with probability 9\d\.\d% \(asked: at least 90\.0%/,
    );
  });

  it('requires exactly one mode', async () => {
    await expect(exploreCommand.run(['--run', dir])).rejects.toThrow('give exactly one of');
    await expect(exploreCommand.run(['--run', dir, '--frontier', '--goal', '5'])).rejects.toThrow(UsageError);
    await expect(exploreCommand.run(['--run', dir, '--allocation', '{"tv":-1}'])).rejects.toThrow(UsageError);
  });
});

describe('plain answers (issue 11): what a budget change buys, alternatives worth taking, goal kinds, the cap', () => {
  let run: SurfaceRun;
  beforeAll(async () => {
    run = await loadSurfaceRun(dir);
  });

  /** outcome(plan) - outcome(current spend) per draw, summarised independently of the CLI. */
  const changeAgainstCurrent = (spend: Float64Array) => {
    const current = score(run, run.curves.historicalSpend).draws;
    return summarizeDraws(score(run, spend).draws.map((v, d) => v - current[d]));
  };
  const sentence = (c: { mean: number; p05: number; p95: number }) =>
    `about ${formatCompact(c.mean)} [${formatCompact(c.p05)}, ${formatCompact(c.p95)}]`;

  it('optimize states what the extra budget buys, with the 90% interval of the per-draw difference, in the text and the JSON', async () => {
    const json = JSON.parse(await printed(() => optimizeCommand.run(['--run', dir, '--budget', '130000', '--json', '-'])));
    const plan = Float64Array.from(json.channels.map((c: { recommended: number }) => c.recommended));
    const expected = changeAgainstCurrent(plan);
    expect(json.change.extraSpend).toBeCloseTo(30_000, 6);
    expect(json.change.fromSpend).toBeCloseTo(100_000, 6);
    for (const key of ['mean', 'p05', 'p95'] as const) expect(json.change.extraOutcome[key]).toBeCloseTo(expected[key], 6);
    expect(expected.p05).toBeGreaterThan(0);
    // Scored on the same draws: the interval of the difference is narrower than the difference of the intervals.
    expect(expected.p95 - expected.p05).toBeLessThan(json.outcome.recommended.p95 - json.outcome.recommended.p05);
    const text = await printed(() => optimizeCommand.run(['--run', dir, '--budget', '130000']));
    expect(text).toContain(`The extra 30K (100K -> 130K) buys ${sentence(expected)} more outcome than current spend (90% interval).`);
  });

  it('shows only alternatives that beat the current mix with probability >= --min-p-beats (default 0.5) and says how many it hid', async () => {
    // A wide tolerance, so that some alternatives beat the current mix in fewer draws than others.
    const args = ['--run', dir, '--alternatives', '6', '--tolerance', '0.2'];
    const direct = diverseAlternatives(run, { count: 7, tolerance: 0.2 })
      .slice(1)
      .map((alt) => alt.plan.score.pBeatsCurrent);
    expect(direct.length).toBeGreaterThan(2);
    // A threshold between the alternatives' probabilities, so that some are shown and some hidden.
    const threshold = [...direct].sort((a, b) => a - b)[Math.floor(direct.length / 2)];
    expect(Math.min(...direct)).toBeLessThan(threshold);
    for (const minPBeats of [undefined, threshold]) {
      const json = JSON.parse(
        await printed(() =>
          optimizeCommand.run([...args, ...(minPBeats === undefined ? [] : ['--min-p-beats', String(minPBeats)]), '--json', '-']),
        ),
      );
      const limit = minPBeats ?? 0.5;
      expect(json.minPBeatsCurrent).toBe(limit);
      expect(json.alternatives.map((a: { pBeatsCurrent: number }) => a.pBeatsCurrent)).toEqual(direct.filter((p) => p >= limit));
      expect(json.hiddenAlternatives).toBe(direct.filter((p) => p < limit).length);
      expect(json.rows.length).toBe(5 * (1 + json.alternatives.length));
    }
    const text = await printed(() => optimizeCommand.run([...args, '--min-p-beats', String(threshold)]));
    const hidden = direct.filter((p) => p < threshold).length;
    expect(text).toContain(
      `(${hidden} more within 20.0% of the best not shown: P(beats current mix) below ${(threshold * 100).toFixed(1)}%)`,
    );
  });

  it('explore --goal defaults to probability 0.8, as --help says', async () => {
    expect(exploreCommand.usage).toContain('--probability P      goal-seek probability (default 0.8)');
    const target = run.calibration.observedTotal * 1.05;
    const json = JSON.parse(await printed(() => exploreCommand.run(['--run', dir, '--goal', String(target), '--json', '-'])));
    expect(json.requestedProbability).toBe(0.8);
    expect(json.targetKind).toBe('total');
    expect(json.probability).toBeGreaterThanOrEqual(0.8);
    expect(json.budget).toBeCloseTo(goalSeek(run, { target, probability: 0.8 }).budget, 6);
    expect(json.budget).toBeGreaterThan(goalSeek(run, { target, probability: 0.5 }).budget);
    expect(goalSeek(run, { target }).requestedProbability).toBe(0.8);
  });

  it('goal seek says whether the target is total or incremental and supports both', async () => {
    const target = 0.9 * score(run, run.curves.historicalSpend).incremental.mean;
    const text = await printed(() => exploreCommand.run(['--run', dir, '--goal', String(target), '--goal-kind', 'incremental']));
    expect(text).toMatch(
      /^least budget [\d,]+ reaches incremental outcome \(from paid media alone\) [\d,]+ with probability \d+\.\d% \(asked: at least 80\.0%; --goal-kind, --probability\)$/m,
    );
    const json = JSON.parse(
      await printed(() => exploreCommand.run(['--run', dir, '--goal', String(target), '--goal-kind', 'incremental', '--json', '-'])),
    );
    expect(json.targetKind).toBe('incremental');
    // Independently: the plan's paid-media outcome per draw reaches the target in at least 80% of draws.
    const plan = score(
      run,
      Float64Array.from(run.curves.channels.map((ch) => json.channels.find((c: { channel: string }) => c.channel === ch).spend)),
    );
    const k = run.calibration.factor;
    const reached = plan.draws.filter((v, d) => v - k * run.curves.baseline[d] >= target).length / plan.draws.length;
    expect(reached).toBeGreaterThanOrEqual(0.8);
    expect(reached).toBeCloseTo(json.probability, 12);
    // The same number as a total target is met by the baseline alone.
    expect(goalSeek(run, { target, targetKind: 'total' }).budget).toBe(0);
    expect(json.budget).toBeGreaterThan(0.5 * run.curves.totalHistoricalSpend);
    await expect(exploreCommand.run(['--run', dir, '--goal', '5', '--goal-kind', 'paid'])).rejects.toThrow(UsageError);
  });

  it('every explore report states what its change against current spend buys', async () => {
    const allocation = Float64Array.from(run.curves.historicalSpend);
    allocation[0] = 60_000;
    allocation[4] = 0;
    const out = await printed(() => exploreCommand.run(['--run', dir, '--allocation', '{"tv":60000,"radio":0}']));
    const change = changeAgainstCurrent(allocation);
    const verb = change.mean >= 0 ? `buys ${sentence(change)} more outcome than` : 'loses';
    expect(out).toContain(`The extra 5K (100K -> 105K) ${verb}`);
    const frontier = JSON.parse(await printed(() => exploreCommand.run(['--run', dir, '--frontier', '--levels', '5', '--json', '-'])));
    for (const point of frontier.points) {
      expect(point.change.extraSpend).toBeCloseTo(point.budget - 100_000, 6);
      expect(point.change.extraOutcome.mean).toBeCloseTo(
        changeAgainstCurrent(
          Float64Array.from(run.curves.channels.map((ch) => point.channels.find((c: { channel: string }) => c.channel === ch).spend)),
        ).mean,
        6,
      );
    }
    const marginal = await printed(() => exploreCommand.run(['--run', dir, '--marginal']));
    expect(marginal).toMatch(/^channel\s+spend\s+mROI\s+p05\s+p95\s+next 1% of spend\s+buys\s+p05\s+p95$/m);
    expect(marginal).toMatch(/^tv\s+50,000(\s+\S+){3}\s+500\s+\+\S+/m);
  });

  it('caps each channel at --cap x current spend (default 3, printed) and refuses spend beyond it, naming the flag', async () => {
    const json = JSON.parse(await printed(() => optimizeCommand.run(['--run', dir, '--budget', '150000', '--cap', '1.5', '--json', '-'])));
    expect(json.cap).toBe(1.5);
    for (const c of json.channels) expect(c.recommended).toBeLessThanOrEqual(1.5 * c.current * (1 + 1e-9));
    expect(json.channels.some((c: { limit: string | null }) => c.limit?.startsWith('cap '))).toBe(true);
    expect(await printed(() => optimizeCommand.run(['--run', dir, '--cap', '1.5']))).toMatch(
      /^cap\s+each channel at most 1\.5 x its current spend \(--cap\)$/m,
    );
    await expect(exploreCommand.run(['--run', dir, '--allocation', '{"tv":160000}'])).rejects.toThrow(SpendOutOfRangeError);
    await expect(exploreCommand.run(['--run', dir, '--allocation', '{"tv":90000}', '--cap', '1.5'])).rejects.toThrow(
      /cap of 1\.5 x current spend \(raise it with --cap\)/,
    );
    await expect(exploreCommand.run(['--run', dir, '--marginal', '--cap', '0.5'])).rejects.toThrow(UsageError);
  });
});
