/**
 * Plan speed (issue 14, acceptance 4, surface and plan parts), in process: a 13-week horizon surface of
 * 1,000 posterior draws x 5 channels with >= 10,000 scenarios (target <= 10 s), and a plan answered from it
 * (target <= 1 s). The posterior is a real fit of Meridian's national data (5 channels, seasonal revenue per
 * conversion) under examples/meridian-national.json, 4 chains x (500 warm-up + 250 draws) = 1,000 draws,
 * fitted once. Each repetition times, separately:
 *   (a) the horizon: buildHorizon (future weeks, extended model, latest window's k), its response source
 *       (every draw through the extended model) and the components on the factor grid (horizonCurves);
 *   (b) the enumerated horizon surface: the run config's scenario design (enumerateSurface);
 *   (c) a plan answered from the curves, as `mmm optimize` answers from a surface: the exact DP plan for a
 *       budget, its alternatives, marginal returns and the change against the reference plan, a 41-level
 *       frontier, and a goal seek (least budget reaching a paid-media target with probability 0.8);
 * and, beside (c), the plan's weekly forecast with both bands (forecastPlan), which `mmm plan` also prints.
 * Run: npm run bench:plan
 */
import { loadFitInputs } from '../../src/data/load-fit-inputs.ts';
import { diverseAlternatives } from '../../src/explore/alternatives.ts';
import { outcomeChange } from '../../src/explore/budget-change.ts';
import { formatCompact } from '../../src/explore/format.ts';
import { efficientFrontier } from '../../src/explore/frontier.ts';
import { goalSeek } from '../../src/explore/goal-seek.ts';
import { marginalReturns } from '../../src/explore/marginal.ts';
import { optimize } from '../../src/explore/optimizer.ts';
import { score } from '../../src/explore/score.ts';
import { fitMmm } from '../../src/fit/fit-mmm.ts';
import { buildHorizon, forecastPlan } from '../../src/run/horizon.ts';
import { horizonCurves, HorizonResponseSource } from '../../src/run/horizon-response-source.ts';
import { enumerateSurface } from '../../src/surface/enumerate.ts';
import { exampleConfig, referenceFile } from '../support/reference-data.ts';

const REPETITIONS = 5;
const WEEKS = 13;
/** The plan's budget: the reference plan's horizon total scaled by this. */
const BUDGET_FACTOR = 1.2;
/** The goal: this multiple of the reference plan's paid-media outcome, with probability 0.8. */
const GOAL_FACTOR = 1.1;

const elapsed = (since: number): number => (performance.now() - since) / 1000;
const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const figures = (xs: number[]): string => `median ${median(xs).toFixed(3)} s, max ${Math.max(...xs).toFixed(3)} s`;

const { panel, config } = loadFitInputs(referenceFile('meridian/national_all_channels.csv'), exampleConfig('meridian-national.json'));
const sampler = { ...config.sampler, chains: 4, warmup: 500, draws: 250, seed: 1 };
let started = performance.now();
const fit = await fitMmm(panel, { ...config, sampler });
console.log(
  `fit of Meridian's national data (${panel.channels.length} channels, ${panel.dates.length} weeks, ${sampler.chains} chains x (${sampler.warmup} + ${sampler.draws})) in ${elapsed(started).toFixed(1)} s`,
);
const run = { panel, config, posterior: fit.posterior, model: fit.model };
const request = { settings: { weeks: WEEKS } };

const times = {
  horizon: [] as number[],
  surface: [] as number[],
  total: [] as number[],
  optimum: [] as number[],
  frontier: [] as number[],
  goal: [] as number[],
  plan: [] as number[],
  forecast: [] as number[],
};
for (let rep = 1; rep <= REPETITIONS; rep++) {
  started = performance.now();
  const horizon = buildHorizon(run, request, { maxDraws: 1000 });
  const source = new HorizonResponseSource(horizon);
  const curves = horizonCurves(source);
  const horizonSeconds = elapsed(started);

  started = performance.now();
  const surface = enumerateSurface(curves, config.surface, 'bench');
  const surfaceSeconds = elapsed(started);

  started = performance.now();
  const reference = curves.curves.historicalSpend;
  const budget = BUDGET_FACTOR * curves.curves.totalHistoricalSpend;
  const optimum = optimize(curves, { budget });
  const alternatives = diverseAlternatives(curves, { budget, count: 4 });
  marginalReturns(curves, optimum.plan.spend);
  const referenceScore = score(curves, reference);
  const change = outcomeChange(referenceScore, optimum.plan.score);
  const optimumSeconds = elapsed(started);
  started = performance.now();
  const frontier = efficientFrontier(curves, { levels: 41 });
  const frontierSeconds = elapsed(started);
  started = performance.now();
  const goal = goalSeek(curves, { target: GOAL_FACTOR * referenceScore.incremental.mean, targetKind: 'incremental', probability: 0.8 });
  const goalSeconds = elapsed(started);
  const planSeconds = optimumSeconds + frontierSeconds + goalSeconds;

  started = performance.now();
  const forecast = forecastPlan(horizon, optimum.plan.spend);
  const forecastSeconds = elapsed(started);

  times.horizon.push(horizonSeconds);
  times.surface.push(surfaceSeconds);
  times.total.push(horizonSeconds + surfaceSeconds);
  times.optimum.push(optimumSeconds);
  times.frontier.push(frontierSeconds);
  times.goal.push(goalSeconds);
  times.plan.push(planSeconds);
  times.forecast.push(forecastSeconds);
  if (rep === 1) {
    console.log(
      `horizon ${horizon.window.start}..${horizon.window.end} (${horizon.future.dates.length} weeks), ${curves.curves.nDraws} draws, ${curves.curves.channels.length} channels, ` +
        `${curves.curves.factors.length} grid nodes, k = ${curves.calibration.factor.toFixed(4)}; surface: ${surface.scenarios.length} scenarios, ${surface.allocations.length} allocation rows`,
    );
    console.log(
      `plan: budget ${formatCompact(budget)} (${BUDGET_FACTOR} x the reference ${formatCompact(curves.curves.totalHistoricalSpend)}), exact ${optimum.exact}, ` +
        `outcome ${formatCompact(optimum.plan.score.outcome.mean)} vs reference ${formatCompact(referenceScore.outcome.mean)} (change ${formatCompact(change.extraOutcome.mean)}), ` +
        `${alternatives.length} alternatives, ${frontier.length} frontier levels; goal ${formatCompact(goal.plan.score.incremental.p05)}+ paid media at p ${goal.probability.toFixed(3)} from budget ${formatCompact(goal.budget)}; ` +
        `forecast of ${forecast.expected.length} weeks`,
    );
  }
  console.log(
    `rep ${rep}: (a) ${horizonSeconds.toFixed(3)} s, (b) ${surfaceSeconds.toFixed(3)} s, (a)+(b) ${(horizonSeconds + surfaceSeconds).toFixed(3)} s, (c) ${planSeconds.toFixed(3)} s (plan ${optimumSeconds.toFixed(3)}, frontier ${frontierSeconds.toFixed(3)}, goal seek ${goalSeconds.toFixed(3)}), forecast ${forecastSeconds.toFixed(3)} s`,
  );
}

console.log(`\nover ${REPETITIONS} repetitions:`);
console.log(`(a) horizon + response source + components on the factor grid: ${figures(times.horizon)}`);
console.log(`(b) enumerated horizon surface: ${figures(times.surface)}`);
console.log(`(a)+(b) horizon surface: ${figures(times.total)} (target <= 10 s)`);
console.log(`(c) plan answered from the curves: ${figures(times.plan)} (target <= 1 s)`);
console.log(`    DP plan for the budget + 4 alternatives + marginal returns + change against the reference: ${figures(times.optimum)}`);
console.log(`    41-level frontier: ${figures(times.frontier)}`);
console.log(`    goal seek (${GOAL_FACTOR} x the reference plan's paid-media outcome with probability 0.8): ${figures(times.goal)}`);
console.log(`    the plan's weekly forecast (forecastPlan, both bands): ${figures(times.forecast)}`);
