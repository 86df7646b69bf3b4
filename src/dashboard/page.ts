/**
 * The dashboard as one self-contained HTML page: headline figures, the controls, the charts (Vega-Lite
 * specs with their data), the recommendation and model-health tables, with vega, vega-lite, vega-embed,
 * the page script and the styles inlined. The same page is served and exported.
 */
import { readFileSync } from 'node:fs';
import { formatPValue } from '../analysis/format-p-value.ts';
import { budgetPoints, type BudgetPoint, dashboardCharts, initialBudgetIndex } from './charts.ts';
import type { DashboardData } from './dashboard-data.ts';
import { type BrowserLibrary, vegaBrowserLibraries } from './vega-libraries.ts';

const PAGE_SCRIPT = readFileSync(new URL('./page-script.js', import.meta.url), 'utf8');
const PAGE_STYLES = readFileSync(new URL('./page.css', import.meta.url), 'utf8');

const compact = new Intl.NumberFormat('en-US', { notation: 'compact', maximumSignificantDigits: 4 });
const whole = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });
const percent = new Intl.NumberFormat('en-US', { style: 'percent', maximumFractionDigits: 1 });
const signedPercent = new Intl.NumberFormat('en-US', { style: 'percent', maximumFractionDigits: 1, signDisplay: 'exceptZero' });
const fixed =
  (digits: number) =>
  (v: number): string =>
    v.toFixed(digits);
const orDash = (v: number | null, format: (v: number) => string): string => (v === null ? '—' : format(v));

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (ch) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[ch] ?? ch);
}

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
        `<td>${whole.format(r.recommended_spend)}</td><td>${r.delta_vs_current >= 0 ? '+' : '−'}${whole.format(Math.abs(r.delta_vs_current))}</td>` +
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
  const config = { charts: charts.map(({ id, signals, spec }) => ({ id, signals, spec })), budgets: points };
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
${healthPanel(data)}
</div>
<footer>From the warehouse views v_bi_current_run, v_bi_channel_summary, v_bi_contributions, v_bi_response_curves, v_bi_frontier,
v_bi_frontier_allocations, v_bi_recommendations and v_bi_model_health. Intervals are 90% posterior credible intervals.
Charts: ${libraries.map((l) => `${escapeHtml(l.name)} ${escapeHtml(l.version)}`).join(', ')}.</footer>
</main>
<script type="application/json" id="dashboard-config">${jsonForScript(config)}</script>
${libraries.map((l) => `<script>${scriptSafe(l.source)}</script>`).join('\n')}
<script>${scriptSafe(PAGE_SCRIPT)}</script>
</body>
</html>
`;
}
