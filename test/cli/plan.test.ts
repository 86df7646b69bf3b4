/**
 * `mmm plan --run DIR` through the real binary on a real fit of the PyMC example (4 chains x 300 + 300
 * draws, seed 1: publishable): the allocation spends the budget, the weekly channel outcomes and baseline
 * add up to the forecast week by week, the forecast over the horizon agrees with what the DP scored, the goal's
 * budget reaches the target with the probability asked, each channel moved carries the run's evidence label and
 * P(the move helps), checked draw by draw against the extended model; timing never loses to even flighting; custom flighting
 * from the warehouse's mmm_input_plan_spend gives the plan and forecast of the CSV file of the same spend; bad
 * input is refused naming the item, with nothing written.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { periodOutcomeDraws } from '../../src/analysis/horizon-forecast.ts';
import { addDays } from '../../src/data/dates.ts';
import { counterfactualWithout } from '../../src/explore/move-evidence.ts';
import { extendModel } from '../../src/model/horizon/extended-model.ts';
import { buildHorizon, scaledFuture } from '../../src/run/horizon.ts';
import { readFitRun, readFitSummary } from '../../src/run/run-directory.ts';
import { openWarehouse } from '../../src/warehouse/open-warehouse.ts';
import { fitPymcExample, runMmm } from '../support/run-mmm.ts';
import { writeMart } from '../warehouse/support/marts.ts';
import { snapshotTree } from './cli-harness.ts';

const dir = mkdtempSync(join(tmpdir(), 'mmm-plan-'));
/** Warehouse files beside the run's folder: a refused command must leave `dir` as it was. */
const warehouseDir = mkdtempSync(join(tmpdir(), 'mmm-plan-warehouse-'));
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
  allocation: {
    channel: string;
    reference: number;
    spend: number;
    contribution: { mean: number };
    moved: boolean;
    informed: boolean | null;
    evidenceLabel: string | null;
    pMoveHelps: number | null;
  }[];
  outcome: { mean: number; p05: number; p95: number };
  forecast: Band[];
  forecastExpected: Band[];
  baselineForecast: Band[];
  weekly: { week: string; channel: string; spend: number; outcome: { mean: number } }[];
  goal: {
    target: number;
    probability: number;
    reached: {
      budget: number;
      probability: number;
      allocation: Record<string, number>;
      moves: { channel: string; moved: boolean; evidenceLabel: string | null; pMoveHelps: number | null }[];
    } | null;
  };
  timing: { channels: { channel: string; budget: number; weeks: { spend: number }[]; gain: { extraOutcome: { mean: number } } }[] };
  calibration: { factor: number };
}

beforeAll(async () => {
  mkdirSync(join(dir, 'inputs'));
  const fit = await fitPymcExample(run);
  expect(fit.status, fit.stderr).toBe(0);
}, 900_000); // a real fit: minutes on a loaded 2-core machine
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
  rmSync(warehouseDir, { recursive: true, force: true });
});

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

  it("gives each channel moved from the reference plan the run's evidence label and P(the move helps), as the extended model gives it per draw", () => {
    const labels = new Map(readFitSummary(run).channels.map((c) => [c.name, c.evidence?.label]));
    for (const c of [...plan.allocation, ...(plan.goal.reached?.moves ?? [])]) {
      expect(c.evidenceLabel, c.channel).toBe(labels.get(c.channel));
      expect(c.pMoveHelps === null, c.channel).toBe(!c.moved);
    }
    const moved = plan.allocation.filter((c) => c.moved);
    expect(moved.length).toBeGreaterThan(0);
    expect(plan.goal.reached?.moves.map((m) => m.channel)).toEqual(plan.allocation.map((c) => c.channel));

    // Independent check: the fitted model over the data and the horizon, evaluated directly per posterior draw (its own
    // forward pass, not the horizon's components), scores the plan and each moved channel's counterfactual; with no
    // bounds given a channel may take 0 to 3 x its reference spend (the default cap).
    const horizon = buildHorizon(readFitRun(run), { settings: { weeks: WEEKS } });
    const { tStart, tEnd, drawIndices, settings } = horizon;
    const outcome = (spend: Float64Array): Float64Array => {
      const model = extendModel(horizon.fitted, horizon.panel, scaledFuture(horizon, spend), settings.trend).model;
      const perPeriod = periodOutcomeDraws(model, horizon.posterior, drawIndices, tStart, tEnd);
      const periods = tEnd - tStart;
      return Float64Array.from(drawIndices, (_, d) => perPeriod.slice(d * periods, (d + 1) * periods).reduce((a, b) => a + b, 0));
    };
    const reference = Float64Array.from(plan.allocation, (c) => c.reference);
    const spend = Float64Array.from(plan.allocation, (c) => c.spend);
    const bounds = { lower: reference.map(() => 0), upper: reference.map((r) => 3 * r), lowerReason: [], upperReason: [] };
    const planDraws = outcome(spend);
    const report = moved.map((c) => {
      const without = outcome(counterfactualWithout(spend, reference, bounds, plan.allocation.indexOf(c)));
      const direct = planDraws.filter((y, d) => y > without[d]).length / drawIndices.length;
      return { channel: c.channel, reported: c.pMoveHelps!, direct };
    });
    console.log(
      `P(move helps) against the extended model per draw (${drawIndices.length} draws): ${report.map((r) => `${r.channel} ${r.reported.toFixed(3)} / ${r.direct.toFixed(3)}`).join(', ')}`,
    );
    // The components interpolate the model (relative error ~5e-5): only a near-tie draw could fall the other way.
    for (const r of report) expect(Math.abs(r.reported - r.direct), r.channel).toBeLessThanOrEqual(0.01);
    expect(text).toMatch(/channel\s+reference\s+plan\s+change\s+outcome \(90%\)\s+P\(move helps\)\s+evidence\s+flighting/);
    expect(text).toContain(
      'P(move helps): the share of posterior draws in which the plan beats the same plan with that channel back at its reference spend',
    );
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

describe('mmm plan --flighting custom:warehouse', { timeout: 120_000 }, () => {
  const weeks = Array.from({ length: WEEKS }, (_, j) => addDays('2021-09-06', 7 * j));
  // Two geos whose cents sum to each week's national spend; x2 dark every third week in the north.
  const geoSpend = (geo: number, channel: string, j: number): number =>
    channel === 'x1' ? [0.1 + 0.02 * (j % 4), 0.15 + 0.01 * j][geo] : [j % 3 === 0 ? 0 : 0.2, 0.11][geo];
  const round = (x: number) => Math.round(x * 100) / 100;
  const martRows = (keep: (week: string, channel: string) => boolean = () => true) =>
    weeks.flatMap((week_start, j) =>
      ['north', 'south'].flatMap((geo, g) =>
        ['x1', 'x2']
          .filter((channel) => keep(week_start, channel))
          .map((channel) => ({ geo, week_start, channel, spend: round(geoSpend(g, channel, j)), media_units: null, media_unit: null })),
      ),
    );
  const writePlanMart = async (path: string, rows: ReturnType<typeof martRows>) => {
    const warehouse = await openWarehouse({ engine: 'duckdb', path, schema: 'main' });
    try {
      await writeMart(warehouse, 'main', 'mmm_input_plan_spend', rows);
    } finally {
      await warehouse.close();
    }
  };

  it('gives the same plan and forecast as the CSV file of the same weeks and spend (the geos summed)', async () => {
    const path = join(warehouseDir, 'plan.duckdb');
    await writePlanMart(path, martRows());
    const csv = join(dir, 'inputs', 'plan-of-the-mart.csv');
    const national = (channel: string, j: number) => String(round(geoSpend(0, channel, j)) + round(geoSpend(1, channel, j)));
    writeFileSync(csv, `date_week,x1,x2\n${weeks.map((w, j) => `${w},${national('x1', j)},${national('x2', j)}`).join('\n')}\n`);

    const plan = async (flighting: string[]) => {
      const result = await runMmm(['plan', '--run', run, '--horizon', String(WEEKS), '--budget', '6', ...flighting, '--json', '-']);
      expect(result.status, result.stderr).toBe(0);
      return JSON.parse(result.stdout) as PlanJson & { statements: string[] };
    };
    const fromWarehouse = await plan(['--flighting', 'custom:warehouse', '--warehouse', path]);
    const fromFile = await plan(['--flighting', `custom:${csv}`]);
    const figures = ({ horizon, budget, allocation, outcome, forecast, forecastExpected, baselineForecast, weekly }: PlanJson) => ({
      horizon,
      budget,
      allocation,
      outcome,
      forecast,
      forecastExpected,
      baselineForecast,
      weekly,
    });
    expect(figures(fromWarehouse)).toEqual(figures(fromFile));
    expect(fromWarehouse.forecast).toHaveLength(WEEKS);
    expect(fromWarehouse.statements).toContain(
      `x1: spend per week from the warehouse table mmm_input_plan_spend (${Number(
        weeks.reduce((s, _, j) => s + Number(national('x1', j)), 0).toPrecision(6),
      )} in total)`,
    );
    expect(fromWarehouse.statements.some((a) => a.startsWith('controls (event_1, event_2): their seasonal average'))).toBe(true);
    console.log(
      `custom flighting, warehouse vs CSV: forecast weeks ${fromWarehouse.forecast.length}, total expected ${fromWarehouse.outcome.mean} = ${fromFile.outcome.mean}, first week ${JSON.stringify(fromWarehouse.forecast[0])}`,
    );
  });

  it('refuses a plan missing a week of a channel, naming the key, and writes nothing', async () => {
    const path = join(warehouseDir, 'gap.duckdb');
    await writePlanMart(
      path,
      martRows((week, channel) => !(week === weeks[5] && channel === 'x2')),
    );
    const before = snapshotTree(dir);
    const result = await runMmm([
      'plan',
      '--run',
      run,
      '--flighting',
      'custom:warehouse',
      '--warehouse',
      path,
      '--json',
      join(dir, 'gap.json'),
    ]);
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(
      /mmm_input_plan_spend: 2 problems:[\s\S]*missing row for key \(geo='north', week_start=2021-10-11, channel='x2'\): channel 'x2' has custom flighting/,
    );
    expect(snapshotTree(dir)).toEqual(before);
  });

  it('--warehouse without custom:warehouse is a usage error', async () => {
    const result = await runMmm(['plan', '--run', run, '--warehouse', join(warehouseDir, 'plan.duckdb')]);
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/--warehouse goes with --flighting custom:warehouse/);
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
