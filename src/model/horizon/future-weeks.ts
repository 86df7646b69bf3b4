/**
 * The weeks after the data's end that a plan covers, with everything the model needs for them
 * (docs/decision-layer.md, "The planning horizon"): each channel's reference spend per week (its horizon
 * budget spread by its flighting), the media units that spend buys, the controls and the revenue per KPI.
 * National data only (per-market horizons come with the markets issue). Every assumption made for the
 * user is stated in `statements`, for the plan's output.
 *
 * - flighting `even`: budget / H each week; `historical`: the channel's spend in the same weeks a year
 *   (52 weeks) before, scaled to the budget; `custom`: the weekly spend of a plan spend file.
 * - budget per channel (even, historical): the caller's, else for `historical` the channel's spend in those
 *   same weeks a year before (last year repeated), for `even` H / 52 x its spend over the data's last 52 weeks
 *   (its run rate over the last year).
 * - media units of channels modelled on impressions or GRPs: the plan file's media column, else spend / cost
 *   per unit, the cost the caller's (settings.costPerUnit) or the channel's average over the data's last 13 weeks.
 * - controls and revenue per KPI: the plan file's columns, else the seasonal average, the mean over the same
 *   weeks (52-week steps back) of every earlier year in the data.
 * - countCarryover: maxLag weeks without spend follow the horizon (their controls are seasonal averages).
 */
import type { FlightingKind, HorizonSettings } from '../../config/horizon-settings.ts';
import type { MmmConfig } from '../../config/schema.ts';
import { addDays } from '../../data/dates.ts';
import { panelDims, type Panel } from '../../data/panel.ts';
import type { PlanSpendFile } from '../../data/plan-spend-file.ts';

/** Weeks per year for "the same weeks a year before" (whole weeks, so a week maps to a week of the data). */
export const WEEKS_PER_YEAR = 52;
/** Weeks over which a channel's recent cost per media unit is averaged. */
export const COST_PER_UNIT_WEEKS = 13;
const DAYS_PER_WEEK = 7;

export class HorizonError extends Error {
  override readonly name = 'HorizonError';
}

/** What a plan asks for beyond the settings (a request's budget and its plan spend file). */
export interface HorizonRequest {
  settings: HorizonSettings;
  /** Horizon budget per channel name (currency) for even or historical flighting; channels left out take the default. */
  budgets?: Readonly<Record<string, number>>;
  /** The plan spend file (required when a channel's flighting is custom); its controls and revenue per KPI are used when given. */
  planSpend?: PlanSpendFile;
}

/** The future periods: the H horizon weeks, then (countCarryover) maxLag weeks without spend. Arrays are period-major like a national panel's. */
export interface FutureWeeks {
  /** Start date of each future period. */
  dates: string[];
  /** H: the weeks a plan spends in; the rest (countCarryover) only count carry-over. */
  planWeeks: number;
  /** Reference spend per (period, channel), currency: the plan at f = 1. */
  spend: Float64Array;
  /** Media units per (period, channel) the reference spend buys. */
  media: Float64Array;
  /** Controls per (period, control). */
  controls: Float64Array;
  /** Revenue per KPI unit per period; null when the data have none. */
  revenuePerKpi: Float64Array | null;
  /** Each channel's flighting. */
  flighting: FlightingKind[];
  /** Each channel's currency per media unit; null for channels modelled on spend. */
  costPerUnit: (number | null)[];
  /** The assumptions made, in plain words (the output states them). */
  statements: string[];
}

/** The ISO start dates of the `count` weeks after the data's last week. */
export function weeksAfter(panel: Panel, count: number): string[] {
  const last = panel.dates[panel.dates.length - 1];
  return Array.from({ length: count }, (_, j) => addDays(last, DAYS_PER_WEEK * (j + 1)));
}

/**
 * x at future period T + j (national series x[t], t < T) as the mean of x[T + j - 52 m] over m >= 1 with
 * T + j - 52 m >= 0; the mean of the whole series when the data hold no such week.
 */
export function seasonalAverage(series: (t: number) => number, T: number, j: number): number {
  let sum = 0;
  let count = 0;
  for (let t = T + j - WEEKS_PER_YEAR; t >= 0; t -= WEEKS_PER_YEAR) {
    if (t < T) {
      sum += series(t);
      count++;
    }
  }
  if (count > 0) return sum / count;
  for (let t = 0; t < T; t++) sum += series(t);
  return sum / T;
}

const format = (value: number): string => Number(value.toPrecision(6)).toString();

export function futureWeeks(panel: Panel, config: MmmConfig, request: HorizonRequest): FutureWeeks {
  const { G, T, C, K } = panelDims(panel);
  const { settings, budgets = {}, planSpend } = request;
  if (G !== 1) {
    throw new HorizonError(`the data have ${G} geos; a plan horizon is national only (per-market horizons come with the markets issue)`);
  }
  const unknown = (names: Iterable<string>, what: string) => {
    for (const name of names) {
      if (!panel.channels.includes(name)) {
        throw new HorizonError(`${what} names channel '${name}', which the model does not have (channels: ${panel.channels.join(', ')})`);
      }
    }
  };
  unknown(Object.keys(settings.channelFlighting), 'plan.channelFlighting');
  unknown(Object.keys(settings.costPerUnit), 'plan.costPerUnit');
  unknown(Object.keys(budgets), 'the plan budget');
  const H = settings.weeks;
  const carryWeeks = settings.countCarryover ? config.model.maxLag : 0;
  const W = H + carryWeeks;
  const dates = weeksAfter(panel, W);
  const statements: string[] = [
    `horizon: ${H} weeks, ${dates[0]}..${dates[H - 1]}` +
      (carryWeeks > 0
        ? `, then ${carryWeeks} weeks without spend whose carry-over outcome counts (countCarryover)`
        : '; carry-over past its end is not counted'),
    settings.trend === 'last-slope' ? "trend: the last knot segment's slope continued" : "trend: held flat at the data's last week",
  ];
  const at = (t: number, c: number) => panel.spend[t * C + c];

  const flighting = panel.channels.map((name) => settings.channelFlighting[name] ?? settings.flighting);
  const spend = new Float64Array(W * C);
  panel.channels.forEach((name, c) => {
    const kind = flighting[c];
    if (kind === 'custom') {
      const series = planSpend?.spend.get(name);
      if (planSpend === undefined || series === undefined)
        throw new HorizonError(`channel '${name}' has custom flighting, but no plan spend file gives its spend`);
      for (let j = 0; j < H; j++) spend[j * C + c] = series[j];
      statements.push(`${name}: spend per week from ${planSpend.spendSource} (${format(series.reduce((a, b) => a + b, 0))} in total)`);
      return;
    }
    if (budgets[name] !== undefined && !(budgets[name] >= 0 && Number.isFinite(budgets[name]))) {
      throw new HorizonError(`the plan budget ${budgets[name]} for channel '${name}' is not a finite number >= 0`);
    }
    const weights = new Float64Array(H);
    let defaultBudget: number;
    let basis: string;
    if (kind === 'historical') {
      if (T - WEEKS_PER_YEAR < 0) {
        throw new HorizonError(
          `channel '${name}' has historical flighting, which needs a year of data; the data hold ${T} weeks (use even or custom)`,
        );
      }
      for (let j = 0; j < H; j++) weights[j] = at(T + j - WEEKS_PER_YEAR, c);
      defaultBudget = weights.reduce((a, b) => a + b, 0);
      if (!(defaultBudget > 0)) {
        throw new HorizonError(
          `channel '${name}' has historical flighting, but it spent nothing in the same weeks a year before (${panel.dates[T - WEEKS_PER_YEAR]}..${panel.dates[Math.min(T - 1, T + H - 1 - WEEKS_PER_YEAR)]}); use even or custom flighting`,
        );
      }
      basis = 'its spend in the same weeks a year before';
    } else {
      weights.fill(1);
      let lastYear = 0;
      for (let t = Math.max(0, T - WEEKS_PER_YEAR); t < T; t++) lastYear += at(t, c);
      defaultBudget = (H / Math.min(T, WEEKS_PER_YEAR)) * lastYear;
      basis = `its run rate over the data's last ${Math.min(T, WEEKS_PER_YEAR)} weeks`;
    }
    const budget = budgets[name] ?? defaultBudget;
    if (!(budget > 0)) {
      throw new HorizonError(`channel '${name}' has a horizon budget of 0 (${basis}); give it a budget or custom flighting`);
    }
    const total = weights.reduce((a, b) => a + b, 0);
    for (let j = 0; j < H; j++) spend[j * C + c] = (budget * weights[j]) / total;
    const flight = kind === 'historical' ? 'as in the same weeks a year before' : 'evenly';
    statements.push(
      `${name}: ${format(budget)} spread ${flight}` + (budgets[name] === undefined ? ` (the budget is ${basis})` : ' (the budget given)'),
    );
  });

  const costPerUnit: (number | null)[] = config.data.channels.map((channel, c) => {
    if (channel.media === null) {
      if (settings.costPerUnit[channel.name] !== undefined) {
        throw new HorizonError(`plan.costPerUnit names channel '${channel.name}', which is modelled on spend (no media column)`);
      }
      return null;
    }
    const given = settings.costPerUnit[channel.name];
    if (given !== undefined) return given;
    let money = 0;
    let units = 0;
    for (let t = Math.max(0, T - COST_PER_UNIT_WEEKS); t < T; t++) {
      money += at(t, c);
      units += panel.media[t * C + c];
    }
    if (!(units > 0 && money > 0)) {
      throw new HorizonError(
        `channel '${channel.name}' bought no media units over the data's last ${COST_PER_UNIT_WEEKS} weeks, so its cost per unit is unknown; give plan.costPerUnit.${channel.name}`,
      );
    }
    return money / units;
  });
  const media = new Float64Array(W * C);
  panel.channels.forEach((name, c) => {
    const cost = costPerUnit[c];
    const given = planSpend?.media.get(name);
    if (planSpend !== undefined && given !== undefined && flighting[c] === 'custom') {
      for (let j = 0; j < H; j++) media[j * C + c] = given[j];
      statements.push(`${name}: media units per week from ${planSpend.spendSource}`);
    } else if (cost === null) {
      for (let j = 0; j < H; j++) media[j * C + c] = spend[j * C + c];
    } else {
      for (let j = 0; j < H; j++) media[j * C + c] = spend[j * C + c] / cost;
      const how = settings.costPerUnit[name] !== undefined ? 'given' : `the average over the data's last ${COST_PER_UNIT_WEEKS} weeks`;
      statements.push(`${name}: ${format(cost)} per media unit (${how})`);
    }
  });

  const seasonal = (value: (t: number) => number, j: number) => seasonalAverage(value, T, j);
  const controls = new Float64Array(W * K);
  const givenControls = planSpend?.controls ?? null;
  for (let j = 0; j < W; j++) {
    for (let k = 0; k < K; k++) {
      controls[j * K + k] = givenControls !== null && j < H ? givenControls[j * K + k] : seasonal((t) => panel.controls[t * K + k], j);
    }
  }
  if (K > 0) {
    statements.push(
      givenControls !== null
        ? `controls: from the plan spend file${carryWeeks > 0 ? ', their seasonal average in the carry-over weeks' : ''}`
        : `controls (${panel.controlNames.join(', ')}): their seasonal average, the mean of the same weeks in every earlier year of the data`,
    );
  }
  let revenuePerKpi: Float64Array | null = null;
  if (panel.revenuePerKpi !== null) {
    const history = panel.revenuePerKpi;
    const given = planSpend?.revenuePerKpi ?? null;
    revenuePerKpi = Float64Array.from({ length: W }, (_, j) => (given !== null && j < H ? given[j] : seasonal((t) => history[t], j)));
    statements.push(given !== null ? 'revenue per KPI: from the plan spend file' : 'revenue per KPI: its seasonal average');
  }
  return { dates, planWeeks: H, spend, media, controls, revenuePerKpi, flighting, costPerUnit, statements };
}
