/**
 * A plan answered over the horizon (issue 14; docs/decision-layer.md, "mmm plan"): what `mmm plan` and the
 * plan workflow compute, from a built horizon (horizon.ts). The budget is allocated across channels by the
 * exact DP on the horizon's calibrated curves (explore/optimizer.ts), each channel keeping its flighting;
 * the answer holds what the plan brings against the reference plan (each channel's default budget with its
 * flighting) scaled to the same budget, the weekly forecast in both bands (forecastPlan), each channel's
 * outcome per week, and on request the least budget reaching a goal (explore/goal-seek.ts) and the timing
 * of channels' weekly spend (timing-plan.ts). Each recommended allocation (the plan, the goal's) says per channel moved
 * from the reference plan the run's evidence label and P(the move helps) on the horizon's curves (explore/move-evidence.ts).
 * The answer keeps the horizon's curves and the run config's surface
 * design capped at the request's cap, from which the plan's rows enumerate the horizon surface (plan-rows.ts).
 * Every outcome is calibrated by the latest window's k.
 */
import { z } from 'zod';
import { interval, type Interval } from '../analysis/interval.ts';
import type { ChannelEvidence } from '../analysis/evidence.ts';
import type { HorizonForecast } from '../analysis/horizon-forecast.ts';
import { allocationRecord, channelIndex, totalOf } from '../explore/allocation.ts';
import { outcomeChange, type OutcomeChange } from '../explore/budget-change.ts';
import { channelConstraintsSchema, DEFAULT_CAP, resolveBounds } from '../explore/constraints.ts';
import { goalSeek, GoalUnreachableError, type GoalTargetKind } from '../explore/goal-seek.ts';
import { channelMoves, type ChannelMove } from '../explore/move-evidence.ts';
import { optimize, optimizeRequestSchema } from '../explore/optimizer.ts';
import { budgetGrid } from '../explore/spend-grid.ts';
import { score, type ScoreResult } from '../explore/score.ts';
import type { CalibratedCurves } from '../surface/calibration.ts';
import type { SurfaceDesign } from '../config/schema.ts';
import type { HorizonSettings } from '../config/horizon-settings.ts';
import { forecastPlan, scaledFuture, type Horizon } from './horizon.ts';
import { HorizonResponseSource, horizonCurves } from './horizon-response-source.ts';
import { planTiming, type TimingPlan } from './timing-plan.ts';
import { WindowSpendResponse } from './window-spend-response.ts';

export const planGoalSchema = z
  .object({
    /** Outcome over the horizon (calibrated): total (baseline included) or incremental (paid media only). */
    target: z.number(),
    kind: z.enum(['total', 'incremental']).default('total'),
    probability: z.number().gt(0).lt(1).default(0.8),
  })
  .strict();

export const planRequestSchema = z
  .object({
    /** Total budget over the horizon's weeks; default the reference plan's total. */
    budget: z.number().nonnegative().optional(),
    /** Per-channel bounds on the allocation, as `mmm optimize` takes them (relative bounds are to the reference plan). */
    channels: channelConstraintsSchema.default({}),
    /** Each channel at most cap x its reference spend (the horizon curves' largest factor). */
    cap: z.number().min(1).default(DEFAULT_CAP),
    goal: planGoalSchema.optional(),
    /** Channels whose weekly spend is timed (budget: the plan's), or every channel the plan spends on. */
    timing: z.union([z.literal('all'), z.array(z.string().min(1)).min(1)]).optional(),
  })
  .strict();
export type PlanRequest = z.input<typeof planRequestSchema>;

/** A channel's move from the reference plan: what it rests on (move-evidence.ts; the move's spends are the row's). */
export type PlanMoveEvidence = Pick<ChannelMove, 'moved' | 'informed' | 'evidenceLabel' | 'pMoveHelps'>;

export interface PlanChannel extends PlanMoveEvidence {
  channel: string;
  /** The reference plan's spend (the channel's default budget with its flighting). */
  reference: number;
  spend: number;
  contribution: Interval;
}

export interface PlanWeek {
  week: string;
  channel: string;
  spend: number;
  /** The channel's expected outcome in this week (from its horizon spend up to it), calibrated. */
  outcome: Interval;
}

export interface PlanGoal {
  target: number;
  kind: GoalTargetKind;
  probability: number;
  /** Null when no budget within the cap and bounds reaches the target with that probability. */
  reached: {
    budget: number;
    allocation: Record<string, number>;
    /** Share of draws whose expected outcome (total or incremental, as `kind`) reaches the target. */
    probability: number;
    /** Expected outcome over the window (baseline included) and from paid media, and each channel's contribution. */
    outcome: Interval;
    incremental: Interval;
    contributions: Record<string, Interval>;
    /** Share of draws in which it beats the reference mix at the same budget. */
    pBeatsReference: number;
    /** Each channel's move from the reference plan: evidence and P(the move helps), in channel order. */
    moves: ({ channel: string } & PlanMoveEvidence)[];
  } | null;
  /** When unreached: the largest budget the bounds allow and the probability it reaches. */
  unreached: { budget: number; probability: number } | null;
}

export interface PlanAnswer {
  /** The plan weeks (carry-over weeks excluded). */
  horizon: { start: string; end: string; weeks: number };
  /** The weeks outcomes are summed over: the plan weeks, then the carry-over weeks when counted. */
  window: { start: string; end: string };
  settings: HorizonSettings;
  flighting: Record<string, string>;
  /** The assumptions made for the user, in plain words. */
  statements: string[];
  calibration: { factor: number; window: { start: string; end: string } };
  budget: number;
  gridStep: number;
  allocation: PlanChannel[];
  /** Expected outcome over the window (baseline included) and from paid media. */
  outcome: Interval;
  incremental: Interval;
  /** The reference plan (each channel's default budget with its flighting), scored as the plan is. */
  referencePlan: { budget: number; outcome: Interval; incremental: Interval; contributions: Record<string, Interval> };
  /** The plan against the reference plan at its own budget, per draw. */
  change: OutcomeChange;
  /** Share of draws in which the plan beats the reference mix at the same budget. */
  pBeatsReference: number;
  forecast: HorizonForecast;
  weekly: PlanWeek[];
  goal: PlanGoal | null;
  timing: TimingPlan | null;
  /** The horizon's calibrated curves the plan was answered on. */
  curves: CalibratedCurves;
  /** The run config's surface design with its budget levels stopped at the cap, for the horizon surface. */
  surfaceDesign: SurfaceDesign;
  nDraws: number;
}

const moveEvidence = ({ moved, informed, evidenceLabel, pMoveHelps }: ChannelMove): PlanMoveEvidence => ({
  moved,
  informed,
  evidenceLabel,
  pMoveHelps,
});

const contributionsOf = (scored: ScoreResult): Record<string, Interval> =>
  Object.fromEntries(scored.channels.map((s) => [s.channel, s.contribution]));

const flightingOf = (horizon: Horizon): Record<string, string> =>
  Object.fromEntries(horizon.panel.channels.map((channel, c) => [channel, horizon.future.flighting[c]]));

/** Each channel's expected outcome per window week at `spend` (currency per channel, flighting kept), calibrated. */
function weeklyOutcomes(source: HorizonResponseSource, spend: Float64Array): PlanWeek[] {
  const { horizon } = source;
  const k = horizon.calibration.factor;
  const future = scaledFuture(horizon, spend);
  const { channels } = horizon.panel;
  const C = channels.length;
  const weeks = future.dates;
  const perChannel = channels.map((channel, c) => {
    const path = Float64Array.from(weeks, (_, j) => future.spend[j * C + c]);
    const response = new WindowSpendResponse(source.source, c, { countCarryover: false });
    const byPeriod = new Float64Array(response.nDraws * response.periods);
    response.periodOutcomes(path, byPeriod);
    return { path, byPeriod, periods: response.periods, nDraws: response.nDraws };
  });
  return weeks.flatMap((week, j) =>
    channels.map((channel, c) => {
      const { path, byPeriod, periods, nDraws } = perChannel[c];
      return {
        week,
        channel,
        spend: path[j],
        outcome: interval(Float64Array.from({ length: nDraws }, (_, d) => k * byPeriod[d * periods + j])),
      };
    }),
  );
}

/**
 * The plan for `input` over `horizon`. `evidence` is the run's evidence per channel of the horizon's panel
 * (readChannelEvidence; null where the run has none), carried by each recommended channel's move.
 */
export function answerPlan(
  horizon: Horizon,
  input: PlanRequest = {},
  evidence: readonly (ChannelEvidence | null)[] = horizon.panel.channels.map(() => null),
): PlanAnswer {
  const request = planRequestSchema.parse(input);
  // Channels named for timing are checked before anything is computed.
  const named =
    request.timing === undefined || request.timing === 'all'
      ? []
      : request.timing.map((name) => channelIndex(horizon.panel.channels, name));
  const source = new HorizonResponseSource(horizon);
  const run = horizonCurves(source, { maxFactor: request.cap });
  const { channels } = source;
  const reference = source.historicalSpend;
  const budget = request.budget ?? totalOf(reference);
  const result = optimize(run, { budget, channels: request.channels });
  const { plan } = result;
  const referenceScore: ScoreResult = score(run, reference);
  const moves = channelMoves(run, plan.spend, result.bounds, result.gridStep, evidence);

  let goal: PlanGoal | null = null;
  if (request.goal) {
    const { target, kind, probability } = request.goal;
    try {
      const found = goalSeek(run, { target, targetKind: kind, probability, channels: request.channels });
      // The goal's plan moves from the reference plan within the request's bounds, on the grid of its own budget.
      const bounds = resolveBounds(run.curves, request.channels);
      const { step } = budgetGrid(bounds, found.budget, optimizeRequestSchema.shape.gridUnits.parse(undefined));
      const goalMoves = channelMoves(run, found.plan.spend, bounds, step, evidence);
      goal = {
        target,
        kind,
        probability,
        reached: {
          budget: found.budget,
          allocation: allocationRecord(channels, found.plan.spend),
          probability: found.probability,
          outcome: found.plan.score.outcome,
          incremental: found.plan.score.incremental,
          contributions: contributionsOf(found.plan.score),
          pBeatsReference: found.plan.score.pBeatsCurrent,
          moves: goalMoves.map((move) => ({ channel: move.channel, ...moveEvidence(move) })),
        },
        unreached: null,
      };
    } catch (error) {
      if (!(error instanceof GoalUnreachableError)) throw error;
      goal = { target, kind, probability, reached: null, unreached: { budget: error.budget, probability: error.achieved } };
    }
  }

  let timing: TimingPlan | null = null;
  if (request.timing) {
    const timed = request.timing === 'all' ? channels.filter((_, c) => plan.spend[c] > 0) : named.map((c) => channels[c]);
    // Carry-over weeks (countCarryover) belong to the window but take no spend: dark for the timing.
    const darkWeeks = horizon.future.dates.slice(horizon.future.planWeeks);
    timing = planTiming(source.source, {
      channels: timed.map((channel) => ({ channel, budget: plan.spend[channels.indexOf(channel)], darkWeeks })),
      calibrationFactor: horizon.calibration.factor,
    });
  }

  // The design's budget levels stop at the cap: no channel's curve reaches past cap x its reference spend.
  const { surface: design } = horizon.config;
  const surfaceDesign = { ...design, budgetLevels: { ...design.budgetLevels, to: Math.min(design.budgetLevels.to, request.cap) } };

  const { dates, planWeeks } = horizon.future;
  return {
    horizon: { start: dates[0], end: dates[planWeeks - 1], weeks: planWeeks },
    window: source.window,
    settings: horizon.settings,
    flighting: flightingOf(horizon),
    statements: horizon.future.statements,
    calibration: { factor: horizon.calibration.factor, window: horizon.calibration.window },
    budget,
    gridStep: result.gridStep,
    allocation: channels.map((channel, c) => ({
      channel,
      reference: reference[c],
      spend: plan.spend[c],
      contribution: plan.score.channels[c].contribution,
      ...moveEvidence(moves[c]),
    })),
    outcome: plan.score.outcome,
    incremental: plan.score.incremental,
    referencePlan: {
      budget: referenceScore.totalSpend,
      outcome: referenceScore.outcome,
      incremental: referenceScore.incremental,
      contributions: contributionsOf(referenceScore),
    },
    change: outcomeChange(referenceScore, plan.score),
    pBeatsReference: plan.score.pBeatsCurrent,
    forecast: forecastPlan(horizon, plan.spend),
    weekly: weeklyOutcomes(source, plan.spend),
    goal,
    timing,
    curves: run,
    surfaceDesign,
    nDraws: source.nDraws,
  };
}
