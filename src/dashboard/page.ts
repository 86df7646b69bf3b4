/**
 * The dashboard as one self-contained HTML page: headline figures, the controls, the charts (Vega-Lite
 * specs with their data), the recommendation and model-health tables, the markets of a geo model (market-view.ts), with vega, vega-lite, vega-embed,
 * the page script and the styles inlined. The same page is served and exported.
 */
import { readFileSync } from 'node:fs';
import { EVIDENCE_THRESHOLD, NOT_INFORMED_LABEL } from '../analysis/evidence.ts';
import { formatPValue } from '../analysis/format-p-value.ts';
import { z } from 'zod';
import {
  budgetPoints,
  type BudgetPoint,
  type DashboardChart,
  dashboardCharts,
  initialBudgetIndex,
  initialPlanIndex,
  marketCharts,
  nextQuarterCharts,
  type PlanPoint,
  planPoints,
} from './charts.ts';
import type { DashboardData } from './dashboard-data.ts';
import { marketSection, marketSelectionConfig } from './market-view.ts';
import { compact, escapeHtml, fixed, orDash, percent, signedPercent, signedWhole, whole } from './page-format.ts';
import { synergyCard } from './synergies.ts';
import { type BrowserLibrary, vegaBrowserLibraries } from './vega-libraries.ts';

const PAGE_SCRIPT = readFileSync(new URL('./page-script.js', import.meta.url), 'utf8');
const PAGE_STYLES = readFileSync(new URL('./page.css', import.meta.url), 'utf8');

/** Text that can sit inside <script>: no '</script' or '<!--' can end or confuse the element. */
export function scriptSafe(source: string): string {
  return source.replace(/<\/(script)/gi, '<\\/$1').replace(/<!--/g, '<\\!--');
}

/** JSON inside <script type="application/json">: '<' escaped, which JSON allows in strings. */
const jsonForScript = (value: unknown): string => JSON.stringify(value).replace(/</g, '\\u003c');

function kpiTile(label: string, value: string, detail: string): string {
  return `<div class="kpi"><div class="label">${escapeHtml(label)}</div><div class="value">${escapeHtml(value)}</div><div class="detail">${escapeHtml(detail)}</div></div>`;
}

/** The current plan's expected outcome at the current budget (the surface's current mix at level 1). */
const currentPlanOutcome = (data: DashboardData): number | null =>
  data.frontier.find((p) => p.is_current_plan === true)?.outcome_mean ?? null;

function headline(data: DashboardData): string {
  const { run, health, channels } = data;
  const best = channels[0];
  const recommended = data.frontier.find((p) => p.plan_type === 'recommended' && p.rank === 1);
  const current = currentPlanOutcome(data);
  const tiles = [
    kpiTile('Media spend', compact.format(run.total_spend), `${run.channels} channels over ${run.data_weeks} weeks`),
    kpiTile(
      'Incremental outcome from media',
      compact.format(run.media_incremental_outcome_mean),
      `${percent.format(run.media_contribution_share_mean)} of the outcome (posterior mean)`,
    ),
    kpiTile('Media ROI', orDash(run.media_roi_mean, fixed(2)), 'incremental outcome / spend, all channels'),
    kpiTile(
      'Highest ROI',
      `${best.channel} ${best.roi_mean.toFixed(2)}`,
      `90% interval ${best.roi_p05.toFixed(2)}–${best.roi_p95.toFixed(2)}`,
    ),
    recommended === undefined || current === null
      ? kpiTile('Recommended plan', '—', 'no optimisation request for this run')
      : kpiTile(
          'Recommended plan',
          `${recommended.outcome_mean >= current ? '+' : '−'}${compact.format(Math.abs(recommended.outcome_mean - current))}`,
          `expected outcome vs the current plan; P(beats current) ${percent.format(recommended.p_beats_current ?? 0)}`,
        ),
    kpiTile(
      'Model health',
      (health.verdict ?? 'unknown').toUpperCase(),
      `max R-hat ${orDash(health.max_rhat, fixed(3))}, R² ${orDash(health.r2, fixed(3))}`,
    ),
  ];
  return `<section class="kpis" aria-label="Headline figures">${tiles.join('')}</section>`;
}

function controls(data: DashboardData, points: readonly BudgetPoint[], start: number): string {
  const options = [...data.channels]
    .sort((a, b) => a.channel.localeCompare(b.channel))
    .map((c) => `<option value="${escapeHtml(c.channel)}">${escapeHtml(c.channel)}</option>`)
    .join('');
  const point = points[start];
  const budget =
    point === undefined
      ? ''
      : `<span><label for="budget-range">Budget</label><input type="range" id="budget-range" min="0" max="${points.length - 1}" step="1" value="${start}">
    <output id="budget-readout" for="budget-range"></output></span>`;
  return `<section class="controls" aria-label="Controls">
    <span><label for="channel-select">Channel</label><select id="channel-select"><option value="">All channels</option>${options}</select></span>
    ${budget}
  </section>`;
}

function recommendationTable(data: DashboardData): string {
  const plan = data.recommendations.filter((r) => r.rank === 1);
  if (plan.length === 0) return '<p>No optimisation request has been made for this run.</p>';
  const first = plan[0];
  const rows = plan
    .map(
      (r) =>
        `<tr data-channel-row="${escapeHtml(r.channel)}"><td>${escapeHtml(r.channel)}</td><td>${whole.format(r.current_spend)}</td>` +
        `<td>${whole.format(r.recommended_spend)}</td><td>${signedWhole(r.delta_vs_current)}</td>` +
        `<td>${orDash(r.delta_share, (v) => signedPercent.format(v))}</td></tr>`,
    )
    .join('');
  return `<p>Request <code>${escapeHtml(first.request_id)}</code> (${escapeHtml(first.requested_at.slice(0, 16).replace('T', ' '))} UTC):
    expected outcome ${compact.format(first.outcome_mean)} (90% ${compact.format(first.outcome_p05)}–${compact.format(first.outcome_p95)}),
    <strong>P(beats current) ${percent.format(first.p_beats_current)}</strong>.</p>
    <table><thead><tr><th scope="col">channel</th><th scope="col">current</th><th scope="col">recommended</th><th scope="col">change</th><th scope="col">change %</th></tr></thead>
    <tbody>${rows}</tbody></table>`;
}

function healthPanel(data: DashboardData): string {
  const h = data.health;
  const verdict = h.verdict ?? 'unknown';
  const holdout =
    h.holdout_r2 === null
      ? ''
      : `<tr><th scope="row">Holdout R² / MAPE / wMAPE</th><td>${orDash(h.holdout_r2, fixed(3))} / ${orDash(h.holdout_mape, (v) => percent.format(v))} / ${orDash(h.holdout_wmape, (v) => percent.format(v))}</td></tr>`;
  const calibration =
    h.calibration_factor === null
      ? '—'
      : `${h.calibration_factor.toFixed(4)}${h.calibration_window_start === null ? '' : ` (${h.calibration_window_start} to ${h.calibration_window_end ?? '?'})`}`;
  const { reasons, misspecification: m } = data.checks;
  const residuals =
    m === null
      ? '—'
      : `Ljung-Box Q ${m.ljungBox.q.toFixed(1)} over ${m.ljungBox.lags} lags, p ${formatPValue(m.ljungBox.pValue)} (lag-1 correlation ${m.ljungBox.lag1.toFixed(2)})`;
  const coverage = m === null ? '—' : `${percent.format(m.predictiveCoverage90)} of observed weeks inside their 90% predictive intervals`;
  const drift = m?.slowDrift
    ? `components slower than a year explain ${percent.format(m.slowDrift.share)} beyond the model's time terms, p ${formatPValue(m.slowDrift.pValue)}`
    : '—';
  const outliers = m?.residualOutliers
    ? `skewness ${m.residualOutliers.skewness.toFixed(2)}, excess kurtosis ${m.residualOutliers.excessKurtosis.toFixed(1)}, p ${formatPValue(m.residualOutliers.pValue)}`
    : '—';
  return `<figure class="card" id="model-health"><h2>Model health</h2>
    <figcaption>Sampler diagnostics, misspecification checks, fit and calibration of the current run.</figcaption>
    <p>Verdict <span class="verdict ${escapeHtml(verdict)}">${escapeHtml(verdict.toUpperCase())}</span></p>
    <table><tbody>
      <tr><th scope="row">Max R-hat</th><td>${orDash(h.max_rhat, fixed(3))}</td></tr>
      <tr><th scope="row">Min ESS bulk / tail</th><td>${orDash(h.min_ess_bulk, (v) => whole.format(v))} / ${orDash(h.min_ess_tail, (v) => whole.format(v))}</td></tr>
      <tr><th scope="row">Divergent transitions</th><td>${orDash(h.divergences, (v) => whole.format(v))}</td></tr>
      <tr><th scope="row">Misspecification checks</th><td>${m === null ? '—' : escapeHtml(m.verdict)}</td></tr>
      <tr><th scope="row">Slow drift</th><td>${escapeHtml(drift)}</td></tr>
      <tr><th scope="row">Outlier weeks</th><td>${escapeHtml(outliers)}</td></tr>
      <tr><th scope="row">Residual autocorrelation</th><td>${escapeHtml(residuals)}</td></tr>
      <tr><th scope="row">Predictive coverage</th><td>${escapeHtml(coverage)}</td></tr>
      <tr><th scope="row">R² / MAPE / wMAPE (training)</th><td>${orDash(h.r2, fixed(3))} / ${orDash(h.mape, (v) => percent.format(v))} / ${orDash(h.wmape, (v) => percent.format(v))}</td></tr>
      ${holdout}
      <tr><th scope="row">Data window</th><td>${h.data_start} to ${h.data_end} (${h.data_weeks} weeks)</td></tr>
      <tr><th scope="row">Calibration factor</th><td>${escapeHtml(calibration)}</td></tr>
    </tbody></table>
    ${reasons.length > 0 ? `<ul class="reasons">${reasons.map((r) => `<li>${escapeHtml(r)}</li>`).join('')}</ul>` : ''}
  </figure>`;
}

/**
 * Each channel's evidence (docs/model.md, "Evidence"): how far the data narrowed its ROI from the prior, and the
 * label 'not informed by the data' where its interval is mostly the prior's; then the run's lift tests, each
 * estimate beside the model's implied incremental outcome of the test.
 */
function evidencePanel(data: DashboardData): string {
  const rows = data.channels
    .map((c) => {
      const informed =
        c.evidence_label === null ? '' : c.evidence_label === NOT_INFORMED_LABEL ? ' class="not-informed"' : ' class="informed"';
      return (
        `<tr data-evidence-row="${escapeHtml(c.channel)}"${informed}><td>${escapeHtml(c.channel)}</td>` +
        `<td>${c.roi_mean.toFixed(2)} (${c.roi_p05.toFixed(2)}–${c.roi_p95.toFixed(2)})</td>` +
        `<td>${orDash(c.evidence_contraction, fixed(2))}</td><td class="evidence-label">${escapeHtml(c.evidence_label ?? 'not recorded for this run')}</td></tr>`
      );
    })
    .join('');
  const tests = data.experiments
    .map(
      (e) =>
        `<tr data-experiment-row="${escapeHtml(e.experiment_id)}"><td>${escapeHtml(e.experiment_id)}</td><td>${escapeHtml(e.channel)}</td>` +
        `<td>${compact.format(e.estimate)} ± ${compact.format(e.standard_error)}</td>` +
        `<td>${compact.format(e.implied_mean)} (${compact.format(e.implied_p05)}–${compact.format(e.implied_p95)})</td></tr>`,
    )
    .join('');
  const experiments =
    data.experiments.length === 0
      ? '<p>No lift test calibrated this run.</p>'
      : `<table id="experiments"><thead><tr><th scope="col">lift test</th><th scope="col">channel</th><th scope="col">estimate ± SE</th><th scope="col">model's implied outcome (90%)</th></tr></thead>
    <tbody>${tests}</tbody></table>`;
  return `<figure class="card wide" id="evidence"><h2>Evidence per channel</h2>
    <figcaption>Contraction: 1 − posterior sd / prior sd of log ROI. Below ${EVIDENCE_THRESHOLD} the data did not inform the channel and its interval is mostly the prior's.</figcaption>
    <table><thead><tr><th scope="col">channel</th><th scope="col">ROI (90%)</th><th scope="col">contraction</th><th scope="col">evidence</th></tr></thead>
    <tbody>${rows}</tbody></table>
    <h3>Lift tests</h3>
    ${experiments}
  </figure>`;
}

/** The part of a plan's request the section states: the channels whose weekly spend the timing solver chose. */
const planRequestTimingSchema = z.object({ timing: z.union([z.literal('all'), z.array(z.string())]).optional() });

function timingSuggestion(request: string): string {
  let json: unknown;
  try {
    json = JSON.parse(request);
  } catch {
    return '';
  }
  const timing = planRequestTimingSchema.safeParse(json).data?.timing;
  if (timing === undefined) return '';
  const channels = timing === 'all' ? 'every channel' : timing.join(', ');
  return `<p class="timing">Timing suggestion: the weekly spend of ${escapeHtml(channels)} is the timing solver's (the expected-outcome-maximising weeks), shown in the weekly spend chart.</p>`;
}

/** One plan's table of the next-quarter section; only the chosen plan's is shown. */
function planTable(data: DashboardData, point: PlanPoint, shown: boolean): string {
  const plan = data.nextQuarter.plans[point.index];
  const rows = data.nextQuarter.allocations
    .filter((a) => a.plan_id === point.planId)
    .map(
      (a) =>
        `<tr data-channel-row="${escapeHtml(a.channel)}"><td>${escapeHtml(a.channel)}</td><td>${whole.format(a.spend)}</td>` +
        `<td>${signedWhole(a.delta_vs_reference)}</td>` +
        `<td>${compact.format(a.contribution_mean)} (${compact.format(a.contribution_p05)}–${compact.format(a.contribution_p95)})</td></tr>`,
    )
    .join('');
  return `<div class="plan" data-plan-index="${point.index}"${shown ? '' : ' hidden'}>
    <p>Plan <code>${escapeHtml(plan.plan_id)}</code>, ${plan.horizon_start} to ${plan.horizon_end} (${plan.horizon_weeks} weeks, ${escapeHtml(plan.flighting)} flighting):
    budget <span class="plan-budget">${whole.format(plan.total_spend)}</span>, expected outcome ${compact.format(plan.outcome_mean)}
    (90% ${compact.format(plan.outcome_p05)}–${compact.format(plan.outcome_p95)}), from media ${compact.format(plan.incremental_mean)};
    P(beats the reference mix) ${orDash(plan.p_beats_reference, (v) => percent.format(v))}.</p>
    <table><thead><tr><th scope="col">channel</th><th scope="col">spend</th><th scope="col">change vs reference</th><th scope="col">outcome (90%)</th></tr></thead>
    <tbody>${rows}</tbody></table>
    ${timingSuggestion(plan.request)}
  </div>`;
}

/** The "Next quarter" section: its budget control, the forecast and weekly spend charts and the plan tables. */
function nextQuarterSection(data: DashboardData, card: (chart: DashboardChart) => string): string {
  const points = planPoints(data);
  if (points.length === 0) {
    return `<section id="next-quarter" aria-labelledby="next-quarter-title"><h2 id="next-quarter-title">Next quarter</h2>
    <p>No plan has been answered for this run (<code>mmm plan --model ${escapeHtml(data.run.model_id)}</code> writes one).</p></section>`;
  }
  const start = initialPlanIndex(points);
  return `<section id="next-quarter" aria-labelledby="next-quarter-title"><h2 id="next-quarter-title">Next quarter</h2>
  <div class="controls"><span><label for="plan-range">Budget</label><input type="range" id="plan-range" min="0" max="${points.length - 1}" step="1" value="${start}">
    <output id="plan-readout" for="plan-range"></output></span></div>
  <div class="grid">
  ${nextQuarterCharts(data).map(card).join('\n')}
  <figure class="card wide" id="card-plan-table"><h2>The plan</h2>
    <figcaption>Spend per channel over the horizon, its change against the reference plan (each channel's default budget) and its expected outcome with the 90% interval.</figcaption>
    ${points.map((p) => planTable(data, p, p.index === start)).join('\n')}
  </figure>
  </div></section>`;
}

export function renderDashboardPage(data: DashboardData, libraries: readonly BrowserLibrary[] = vegaBrowserLibraries()): string {
  const charts = dashboardCharts(data);
  const points = budgetPoints(data);
  const start = initialBudgetIndex(points);
  const { run } = data;
  const card = (
    chart: (typeof charts)[number],
    extra = '',
  ): string => `<figure class="card${chart.wide ? ' wide' : ''}" id="card-${chart.id}">
    <h2>${escapeHtml(chart.title)}</h2><figcaption>${escapeHtml(chart.description)}</figcaption>
    <div class="chart" id="chart-${chart.id}" role="img" aria-label="${escapeHtml(`${chart.title}: ${chart.description}`)}" data-state="pending"></div>${extra}</figure>`;
  const cards = charts.map((chart) => card(chart, chart.id === 'reallocation' ? recommendationTable(data) : ''));
  const markets = marketCharts(data);
  const config = {
    charts: [...charts, ...markets, ...nextQuarterCharts(data)].map(({ id, signals, spec }) => ({ id, signals, spec })),
    budgets: points,
    plans: planPoints(data),
    markets: marketSelectionConfig(data),
  };
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(`MMM dashboard — ${run.model_id}`)}</title>
<style>${PAGE_STYLES}</style>
</head>
<body data-state="loading">
<main>
<header>
  <h1>Marketing mix — model ${escapeHtml(run.model_id)}</h1>
  <p>Run <code>${escapeHtml(run.run_id)}</code> · data ${run.data_start} to ${run.data_end} (${run.data_weeks} weeks) · promoted ${escapeHtml(run.promoted_at.slice(0, 16).replace('T', ' '))} UTC · read from the warehouse ${escapeHtml(data.readAt.slice(0, 16).replace('T', ' '))} UTC</p>
</header>
${headline(data)}
${controls(data, points, start)}
<div class="grid">
${cards.join('\n')}
${evidencePanel(data)}
${synergyCard(data.synergies)}
${healthPanel(data)}
</div>
${marketSection(data, markets, (chart) => card(chart))}
${nextQuarterSection(data, (chart) => card(chart))}
<footer>From the warehouse views v_bi_current_run, v_bi_channel_summary, v_bi_contributions, v_bi_response_curves, v_bi_frontier,
v_bi_frontier_allocations, v_bi_recommendations, v_bi_model_health, the table mmm_experiments, v_bi_geo_channel_summary, v_bi_geo_recommendations and v_bi_plan_scenarios, v_bi_plan_allocations, v_bi_plan_weekly. Intervals are 90% posterior credible intervals.
Charts: ${libraries.map((l) => `${escapeHtml(l.name)} ${escapeHtml(l.version)}`).join(', ')}.</footer>
</main>
<script type="application/json" id="dashboard-config">${jsonForScript(config)}</script>
${libraries.map((l) => `<script>${scriptSafe(l.source)}</script>`).join('\n')}
<script>${scriptSafe(PAGE_SCRIPT)}</script>
</body>
</html>
`;
}
