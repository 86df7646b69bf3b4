/**
 * `mmm plan`'s answer for the terminal and as JSON: the allocation, what it brings, the weekly forecast in
 * both bands (labelled), the goal and the timing, then the assumptions the horizon made.
 */
import type { Interval } from '../analysis/interval.ts';
import { describeChange } from '../explore/budget-change.ts';
import { formatAmount, formatCompact, formatKeyValues, formatPercent, formatTable } from '../explore/format.ts';
import type { PlanAnswer } from '../run/plan-answer.ts';
import { evidenceText, pMoveHelpsText, priorMovesNote } from './optimize-format.ts';

/** The two kinds of band, labelled wherever a figure is shown. */
export const EXPECTED_BAND = 'expected outcome: parameter uncertainty only, what decisions compare';
export const PREDICTIVE_BAND =
  "predictive: observation noise included, widened by the fit's forecast backtest where it strayed further; what will be observed";

const band = (s: Interval): string => `${formatAmount(s.mean)} (90% ${formatAmount(s.p05)}..${formatAmount(s.p95)})`;
const signed = (value: number): string => (value > 0 ? `+${formatAmount(value)}` : formatAmount(value));

function allocationTable(answer: PlanAnswer): string {
  const total = (pick: (c: PlanAnswer['allocation'][number]) => number) => answer.allocation.reduce((s, c) => s + pick(c), 0);
  return formatTable(
    ['channel', 'reference', 'plan', 'change', 'outcome (90%)', 'P(move helps)', 'evidence', 'flighting'],
    [
      ...answer.allocation.map((c) => [
        c.channel,
        formatAmount(c.reference),
        formatAmount(c.spend),
        signed(c.spend - c.reference),
        band(c.contribution),
        pMoveHelpsText(c),
        evidenceText(c),
        answer.flighting[c.channel],
      ]),
      [
        'total',
        formatAmount(total((c) => c.reference)),
        formatAmount(total((c) => c.spend)),
        signed(total((c) => c.spend) - total((c) => c.reference)),
        band(answer.incremental),
        '',
        '',
        '',
      ],
    ],
    [0, 6, 7],
  );
}

function forecastTable(answer: PlanAnswer): string {
  const { forecast } = answer;
  const spendOf = new Map<string, number>();
  for (const row of answer.weekly) spendOf.set(row.week, (spendOf.get(row.week) ?? 0) + row.spend);
  return formatTable(
    ['week', 'spend', 'expected', 'expected 90%', 'predictive 90%', 'baseline'],
    forecast.expected.map((expected, j) => {
      const predictive = forecast.predictive[j];
      return [
        expected.week,
        formatAmount(spendOf.get(expected.week) ?? 0),
        formatAmount(expected.mean),
        `${formatAmount(expected.p05)}..${formatAmount(expected.p95)}`,
        `${formatAmount(predictive.p05)}..${formatAmount(predictive.p95)}`,
        formatAmount(forecast.baseline[j].mean),
      ];
    }),
  );
}

function goalText(answer: PlanAnswer): string {
  const { goal } = answer;
  if (goal === null) return '';
  const what =
    goal.kind === 'total'
      ? 'total outcome over the horizon (the baseline included)'
      : 'incremental outcome over the horizon (paid media alone, the baseline excluded)';
  const asked = `Goal: ${what} of at least ${formatAmount(goal.target)} with probability ${formatPercent(goal.probability)}, on the expected-outcome band (${EXPECTED_BAND}).`;
  if (goal.reached === null) {
    const { budget, probability } = goal.unreached ?? { budget: 0, probability: 0 };
    return `\n\n${asked}\nNot reachable: the most the cap and bounds allow, ${formatAmount(budget)}, reaches it with probability ${formatPercent(probability)}.`;
  }
  const { reached } = goal;
  return `\n\n${asked}\nLeast budget: ${formatAmount(reached.budget)} (reaches it in ${formatPercent(reached.probability)} of draws; its ${goal.kind} outcome ${band(goal.kind === 'total' ? reached.outcome : reached.incremental)})\n${formatTable(
    ['channel', 'spend', 'P(move helps)', 'evidence'],
    reached.moves.map((move) => [move.channel, formatAmount(reached.allocation[move.channel]), pMoveHelpsText(move), evidenceText(move)]),
    [0, 3],
  )}${priorMovesNote(reached.moves)}`;
}

function timingText(answer: PlanAnswer): string {
  const { timing } = answer;
  if (timing === null) return '';
  const channels = timing.channels.map((plan) => {
    const weeks = formatTable(
      ['week', 'timed spend', 'even spend', 'outcome, timed', 'outcome, even'],
      plan.weeks.map((w) => [
        w.week,
        formatAmount(w.spend),
        formatAmount(w.evenSpend),
        formatAmount(w.outcome.mean),
        formatAmount(w.evenOutcome.mean),
      ]),
    );
    const gain = plan.gain.extraOutcome;
    return `${plan.channel}: ${formatAmount(plan.budget)} timed (from ${plan.start}) brings ${band(plan.outcome)} against ${band(plan.evenOutcome)} flighted evenly: a gain of about ${formatCompact(gain.mean)} [${formatCompact(gain.p05)}, ${formatCompact(gain.p95)}] (90% interval; better in ${formatPercent(plan.gain.pGain)} of draws)\n${weeks}`;
  });
  const total = timing.gain.extraOutcome;
  return `\n\nTiming: the weekly spend maximising each channel's expected outcome for its planned budget, against even flighting over the same weeks\n${channels.join('\n\n')}\nAll timed channels together gain about ${formatCompact(total.mean)} [${formatCompact(total.p05)}, ${formatCompact(total.p95)}] over even flighting (90% interval; better in ${formatPercent(timing.gain.pGain)} of draws).`;
}

/** The plain answer `mmm plan` prints. */
export function formatPlan(answer: PlanAnswer, cap: number): string {
  const { horizon, window, calibration } = answer;
  const counted = window.end === horizon.end ? '' : `; outcomes counted to ${window.end} (the carry-over weeks)`;
  const head = `Plan for ${horizon.start}..${horizon.end} (${horizon.weeks} weeks${counted}): budget ${formatAmount(answer.budget)}, allocated by the exact optimum on the spend grid (step ${formatAmount(answer.gridStep)}), each channel keeping its flighting.`;
  const brings = `The plan brings ${band(answer.outcome)} over the horizon (expected outcome, the baseline included), of which ${band(answer.incremental)} from paid media.\n${describeChange(answer.change, 'the reference plan')}\nIt beats the reference mix at the same budget in ${formatPercent(answer.pBeatsReference)} of posterior draws.${priorMovesNote(answer.allocation)}\nP(move helps): the share of posterior draws in which the plan beats the same plan with that channel back at its reference spend and the money spread over the other channels.`;
  const totals = formatKeyValues([
    ['forecast over the horizon, expected', band(answer.forecast.total.expected)],
    ['forecast over the horizon, predictive', band(answer.forecast.total.predictive)],
    ['baseline (no spend in the horizon)', band(answer.forecast.total.baseline)],
  ]);
  const assumptions = [
    ...answer.statements,
    `calibration k = ${calibration.factor.toFixed(4)} of the latest window ${calibration.window.start}..${calibration.window.end}, applied to every figure`,
    `each channel at most ${cap} x its spend in the reference plan (--cap)`,
    `${answer.nDraws} posterior draws`,
  ];
  return `${head}\n\n${allocationTable(answer)}\n\n${brings}\n\nWeekly forecast of the plan (${EXPECTED_BAND}; ${PREDICTIVE_BAND}):\n${forecastTable(answer)}\n\n${totals}${goalText(answer)}${timingText(answer)}\n\nAssumptions:\n${assumptions.map((s) => `  - ${s}`).join('\n')}\n`;
}

/**
 * The JSON `mmm plan --json` writes: the answer, with `forecast` the weekly total outcome in the predictive band;
 * the horizon's curves and surface design stay out (the plan tables hold the enumerated surface).
 */
export function planJson(answer: PlanAnswer, extra: Record<string, unknown>) {
  const { forecast, curves: _curves, surfaceDesign: _design, ...rest } = answer;
  return {
    ...extra,
    ...rest,
    bands: { forecast: PREDICTIVE_BAND, forecastExpected: EXPECTED_BAND, decisions: EXPECTED_BAND },
    forecast: forecast.predictive,
    forecastExpected: forecast.expected,
    baselineForecast: forecast.baseline,
    forecastTotal: forecast.total,
    forecastBandScale: forecast.bandScale,
  };
}
