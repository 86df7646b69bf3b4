/**
 * `mmm plan --run DIR` through the real binary on a real fit of the PyMC example (4 chains x 300 + 300
 * draws, seed 1: verdict warn): the allocation spends the budget, the weekly channel outcomes and baseline
 * add up to the forecast week by week, the forecast over the horizon agrees with what the DP scored, the goal's
 * budget reaches the target with the probability asked, timing never loses to even flighting; bad input is
 * refused naming the item, with nothing written.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fitPymcExample, runMmm } from '../support/run-mmm.ts';
import { snapshotTree } from './cli-harness.ts';

const dir = mkdtempSync(join(tmpdir(), 'mmm-plan-'));
const run = join(dir, 'run');
const WEEKS = 13;
const MAX_LAG = 8;

interface Band {
  week: string;
  mean: number;
  p05: number;
  p95: number;
}
interface PlanJson {
  horizon: { start: string; end: string; weeks: number };
  budget: number;
  allocation: { channel: string; reference: number; spend: number; contribution: { mean: number } }[];
  outcome: { mean: number; p05: number; p95: number };
  forecast: Band[];
  forecastExpected: Band[];
  baselineForecast: Band[];
  weekly: { week: string; channel: string; spend: number; outcome: { mean: number } }[];
  goal: {
    target: number;
    probability: number;
    reached: { budget: number; probability: number; allocation: Record<string, number> } | null;
  };
  timing: { channels: { channel: string; budget: number; weeks: { spend: number }[]; gain: { extraOutcome: { mean: number } } }[] };
  calibration: { factor: number };
}

beforeAll(async () => {
  mkdirSync(join(dir, 'inputs'));
  const fit = await fitPymcExample(run);
  expect(fit.status, fit.stderr).toBe(0);
}, 300_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('mmm plan --run', { timeout: 120_000 }, () => {
  let plan: PlanJson;
  let text: string;

  beforeAll(async () => {
    const out = join(dir, 'plan.json');
    const result = await runMmm([
      'plan',
      '--run',
      run,
      '--horizon',
      String(WEEKS),
      '--budget',
      '6',
      '--goal',
      '70000',
      '--probability',
      '0.8',
      '--timing',
      'all',
      '--json',
      out,
    ]);
    expect(result.status, result.stderr).toBe(0);
    text = result.stdout;
    plan = JSON.parse(readFileSync(out, 'utf8')) as PlanJson;
  }, 120_000);

  it('allocates the budget over the 13 weeks after the data, every channel keeping its even flighting', () => {
    expect(plan.horizon).toEqual({ start: '2021-09-06', end: '2021-11-29', weeks: WEEKS });
    const spent = plan.allocation.reduce((s, c) => s + c.spend, 0);
    expect(spent).toBeCloseTo(6, 6);
    for (const { channel, spend } of plan.allocation) {
      const weeks = plan.weekly.filter((w) => w.channel === channel);
      expect(weeks).toHaveLength(WEEKS);
      for (const w of weeks) expect(w.spend).toBeCloseTo(spend / WEEKS, 9);
    }
  });

  it('holds forecast: [{ week, mean, p05, p95 }] per week, and the channels plus the baseline add up to it', () => {
    expect(plan.forecast).toHaveLength(WEEKS);
    for (const [j, band] of plan.forecast.entries()) {
      expect(Object.keys(band).sort()).toEqual(['mean', 'p05', 'p95', 'week']);
      expect(band.p05).toBeLessThan(band.mean);
      expect(band.p95).toBeGreaterThan(band.mean);
      const expected = plan.forecastExpected[j];
      // The predictive band holds the expected band: observation noise widens it.
      expect(band.p95 - band.p05).toBeGreaterThan(expected.p95 - expected.p05);
      const channels = plan.weekly.filter((w) => w.week === band.week).reduce((s, w) => s + w.outcome.mean, 0);
      expect(channels + plan.baselineForecast[j].mean).toBeCloseTo(expected.mean, 6);
    }
  });

  it("agrees with what the DP scored over the horizon (the curves' interpolation within 0.5%)", () => {
    const total = plan.forecastExpected.reduce((s, w) => s + w.mean, 0);
    expect(Math.abs(total - plan.outcome.mean) / plan.outcome.mean).toBeLessThan(0.005);
  });

  it('answers the goal with the least budget reaching it in at least 80% of draws, and says it is on the expected-outcome band', () => {
    const reached = plan.goal.reached;
    expect(reached).not.toBeNull();
    expect(reached?.probability).toBeGreaterThanOrEqual(0.8);
    expect(Object.values(reached?.allocation ?? {}).reduce((a, b) => a + b, 0)).toBeCloseTo(reached?.budget ?? 0, 6);
    expect(text).toContain('on the expected-outcome band');
    expect(text).toContain('(the baseline included)');
    expect(text).toMatch(/Least budget: [\d.]+ \(reaches it in \d+\.\d% of draws/);
  });

  it('times every channel for its planned budget, never below even flighting', () => {
    expect(plan.timing.channels.map((c) => c.channel)).toEqual(plan.allocation.map((c) => c.channel));
    for (const timed of plan.timing.channels) {
      const planned = plan.allocation.find((c) => c.channel === timed.channel)?.spend ?? NaN;
      expect(timed.budget).toBeCloseTo(planned, 9);
      expect(timed.weeks.reduce((s, w) => s + w.spend, 0)).toBeCloseTo(planned, 6);
      expect(timed.gain.extraOutcome.mean).toBeGreaterThanOrEqual(0);
    }
    expect(text).toMatch(/All timed channels together gain about/);
  });

  it('prints the allocation, what it brings with its interval, both bands labelled, and the assumptions', () => {
    expect(text).toMatch(/^Plan for 2021-09-06\.\.2021-11-29 \(13 weeks\): budget 6, allocated by the exact optimum/);
    expect(text).toMatch(/The plan brings [\d,]+ \(90% [\d,]+\.\.[\d,]+\) over the horizon/);
    expect(text).toContain('expected outcome: parameter uncertainty only');
    expect(text).toContain('predictive: observation noise included');
    expect(text).toContain(`calibration k = ${plan.calibration.factor.toFixed(4)}`);
    expect(text).toContain('controls (event_1, event_2): their seasonal average');
  });

  it('with --count-carryover forecasts the maxLag weeks after the horizon too', async () => {
    const result = await runMmm(['plan', '--run', run, '--horizon', '4', '--count-carryover', '--json', '-']);
    expect(result.status, result.stderr).toBe(0);
    const answer = JSON.parse(result.stdout) as PlanJson;
    expect(answer.horizon.weeks).toBe(4);
    expect(answer.forecast).toHaveLength(4 + MAX_LAG);
    const after = answer.weekly.filter((w) => w.week > answer.horizon.end);
    expect(after.every((w) => w.spend === 0)).toBe(true);
    expect(after.some((w) => w.outcome.mean > 0)).toBe(true);
  });
});

describe('mmm plan with custom flighting and an unreachable goal', { timeout: 120_000 }, () => {
  it("spends the plan file's weekly shape, scaled to the budget the DP gives each channel", async () => {
    const weeks = ['2021-09-06', '2021-09-13', '2021-09-20', '2021-09-27'];
    const file = join(dir, 'inputs', 'custom.csv');
    // x1 bursts in the first two weeks, x2 only in the last.
    writeFileSync(file, `date_week,x1,x2\n${weeks.map((w, j) => `${w},${j < 2 ? 0.5 : 0},${j === 3 ? 0.4 : 0}`).join('\n')}\n`);
    const result = await runMmm(['plan', '--run', run, '--horizon', '4', '--flighting', `custom:${file}`, '--json', '-']);
    expect(result.status, result.stderr).toBe(0);
    const answer = JSON.parse(result.stdout) as PlanJson;
    // Without --budget the budget is the file's total.
    expect(answer.budget).toBeCloseTo(1.4, 9);
    for (const { channel, spend } of answer.allocation) {
      const path = answer.weekly.filter((w) => w.channel === channel).map((w) => w.spend);
      const shape = channel === 'x1' ? [0.5, 0.5, 0, 0] : [0, 0, 0, 1];
      path.forEach((v, j) => expect(v).toBeCloseTo((spend * shape[j]) / shape.reduce((a, b) => a + b, 0), 9));
    }
  });

  it('reports a goal no budget within the cap reaches, with the most it allows', async () => {
    const result = await runMmm(['plan', '--run', run, '--horizon', '4', '--goal', '1e9']);
    expect(result.status, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/Not reachable: the most the cap and bounds allow, [\d.,]+, reaches it with probability 0\.0%/);
  });
});

describe('mmm plan refuses bad input, naming the item, and writes nothing', { timeout: 120_000 }, () => {
  const refused = async (args: string[], status: number, message: RegExp) => {
    const json = join(dir, 'refused.json');
    const before = snapshotTree(dir);
    const result = await runMmm(['plan', '--run', run, ...args, '--json', json]);
    expect(result.status, result.stderr).toBe(status);
    expect(result.stderr).toMatch(message);
    expect(result.stdout).toBe('');
    expect(existsSync(json)).toBe(false);
    expect(snapshotTree(dir)).toEqual(before);
  };

  it('a horizon past 52 weeks (a flag value out of range: usage error)', async () => {
    await refused(['--horizon', '60'], 2, /--horizon '60': a horizon of 60 weeks is past what the data can support \(at most 52/);
  });

  it('a custom flighting row for a week outside the horizon', async () => {
    const file = join(dir, 'inputs', 'plan.csv');
    writeFileSync(file, 'date_week,x1,x2\n2021-09-06,1,1\n2030-01-07,1,1\n');
    await refused(
      ['--horizon', '2', '--flighting', `custom:${file}`],
      1,
      /row 3 \(date 2030-01-07\): week 2030-01-07 is not one of the horizon's weeks 2021-09-06\.\.2021-09-13/,
    );
  });

  it('future controls missing a column', async () => {
    const file = join(dir, 'inputs', 'controls.csv');
    writeFileSync(file, 'date_week,event_1\n2021-09-06,0\n2021-09-13,1\n');
    await refused(
      ['--horizon', '2', '--controls', file],
      1,
      /column 'event_2': future controls are given for 'event_1' but not for this one/,
    );
  });

  it('a controls file with no control column', async () => {
    const file = join(dir, 'inputs', 'no-controls.csv');
    writeFileSync(file, 'date_week,x1\n2021-09-06,0\n2021-09-13,1\n');
    await refused(
      ['--horizon', '2', '--controls', file],
      1,
      /a controls file gives every control column \(event_1, event_2\); it has none of them/,
    );
  });

  it('timing of a channel the model does not have', async () => {
    await refused(['--timing', 'tv'], 1, /unknown channel 'tv'; the run has 'x1', 'x2'/);
  });

  it('an unknown flighting', async () => {
    await refused(['--flighting', 'weekly'], 2, /--flighting 'weekly': one of even, historical, custom:FILE/);
  });
});
