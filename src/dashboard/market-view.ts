/**
 * The dashboard's "Markets" section for a geo model's run (issue 15): its geo group selector, the mROI heat
 * chart, a sortable table of every (geo, channel) pair's ROI and mROI with their 90% intervals, the channels
 * over the chosen geos, and the recommended shifts between geos of the run's latest request by market. The
 * page script filters rows by their `data-geo` and shows the `data-market-selection` element of the choice.
 * A national run gets a sentence saying why there is nothing here.
 */
import type { DashboardChart } from './charts.ts';
import type { DashboardData } from './dashboard-data.ts';
import { ALL_GEOS, channelAggregates, marketSelections, type MarketSelection, marketShifts } from './markets.ts';
import { compact, escapeHtml, fixed, orDash, percent, signedPercent, signedWhole, whole } from './page-format.ts';

/** What the page script needs for a choice of the selector: its geos and the readout describing it. */
export interface MarketSelectionConfig {
  key: string;
  geos: string[];
  description: string;
}

const ratio = fixed(2);
const withInterval = (mean: number, p05: number, p95: number) => `${ratio(mean)} (${ratio(p05)}–${ratio(p95)})`;
const geoAttributes = (geo: string) => `data-geo="${escapeHtml(geo)}"`;
const KIND_LABEL = { country: 'Country', region: 'Region', geo: 'Geo' } as const;

/** The readout of a choice: how many geos, their spend, incremental outcome and ROI over all channels. */
function describeSelection(data: DashboardData, selection: MarketSelection): string {
  const channels = channelAggregates(data.markets.pairs, selection.geos);
  const spend = channels.reduce((sum, c) => sum + c.spend, 0);
  const outcome = channels.reduce((sum, c) => sum + c.incrementalOutcomeMean, 0);
  const roi = spend > 0 ? `, ROI ${ratio(outcome / spend)}` : '';
  return `${selection.geos.length} ${selection.geos.length === 1 ? 'geo' : 'geos'}: spend ${compact.format(spend)}, incremental outcome ${compact.format(outcome)}${roi}`;
}

export function marketSelectionConfig(data: DashboardData): MarketSelectionConfig[] {
  if (data.markets.pairs.length === 0) return [];
  return marketSelections(data.markets).map((s) => ({ key: s.key, geos: s.geos, description: describeSelection(data, s) }));
}

function selector(selections: readonly MarketSelection[]): string {
  const count = (s: MarketSelection) => {
    if (s.kind === 'geo') return '';
    if (s.kind === 'all') return ` (${s.geos.length})`;
    return ` (${s.geos.length} ${s.geos.length === 1 ? 'geo' : 'geos'})`;
  };
  const option = (s: MarketSelection) => `<option value="${escapeHtml(s.key)}">${escapeHtml(s.name)}${count(s)}</option>`;
  const groups = (['country', 'region', 'geo'] as const)
    .map((kind) => {
      const members = selections.filter((s) => s.kind === kind);
      return members.length === 0 ? '' : `<optgroup label="${KIND_LABEL[kind]}">${members.map(option).join('')}</optgroup>`;
    })
    .join('');
  const all = selections.find((s) => s.key === ALL_GEOS);
  return `<div class="controls"><span><label for="geo-group-select">Geo group</label><select id="geo-group-select">${all === undefined ? '' : option(all)}${groups}</select>
    <output id="geo-group-readout" for="geo-group-select"></output></span></div>`;
}

/** Every (geo, channel) pair, highest mROI first; each cell's data-value is what its column sorts by. */
function pairTable(data: DashboardData): string {
  const rows = [...data.markets.pairs]
    .sort((a, b) => a.mroi_rank - b.mroi_rank || a.geo.localeCompare(b.geo) || a.channel.localeCompare(b.channel))
    .map(
      (p) =>
        `<tr data-market-row="${escapeHtml(`${p.geo}/${p.channel}`)}" ${geoAttributes(p.geo)}>` +
        `<td data-value="${escapeHtml(p.geo)}">${escapeHtml(p.geo)}</td><td data-value="${escapeHtml(p.channel)}">${escapeHtml(p.channel)}</td>` +
        `<td data-value="${p.spend}">${whole.format(p.spend)}</td>` +
        `<td data-value="${p.roi_mean}">${withInterval(p.roi_mean, p.roi_p05, p.roi_p95)}</td>` +
        `<td data-value="${p.mroi_mean}">${withInterval(p.mroi_mean, p.mroi_p05, p.mroi_p95)}</td></tr>`,
    )
    .join('');
  const header = (label: string, type: 'text' | 'number', sort: 'none' | 'descending' = 'none') =>
    `<th scope="col" aria-sort="${sort}"><button type="button" data-sort-type="${type}">${label}</button></th>`;
  return `<figure class="card wide" id="card-market-table"><h2>ROI and mROI by geo and channel</h2>
    <figcaption>Each geo and channel at its historical spend, posterior mean with the 90% interval; the geos of the geo group selector's choice. Sort by a column with its heading.</figcaption>
    <table id="market-table"><thead><tr>${header('geo', 'text')}${header('channel', 'text')}${header('spend', 'number')}${header('ROI (90%)', 'number')}${header('mROI (90%)', 'number', 'descending')}</tr></thead>
    <tbody>${rows}</tbody></table></figure>`;
}

/** The channels over the geos of each choice; only the chosen one's table is shown. */
function channelTables(data: DashboardData, selections: readonly MarketSelection[]): string {
  const table = (s: MarketSelection) => {
    const rows = channelAggregates(data.markets.pairs, s.geos)
      .map(
        (c) =>
          `<tr data-channel-row="${escapeHtml(c.channel)}"><td>${escapeHtml(c.channel)}</td><td>${whole.format(c.spend)}</td>` +
          `<td>${compact.format(c.incrementalOutcomeMean)}</td><td>${orDash(c.roiMean, ratio)}</td><td>${orDash(c.mroiMean, ratio)}</td></tr>`,
      )
      .join('');
    return `<table data-market-selection="${escapeHtml(s.key)}"${s.key === ALL_GEOS ? '' : ' hidden'}><thead><tr><th scope="col">channel</th><th scope="col">spend</th><th scope="col">incremental outcome</th><th scope="col">ROI</th><th scope="col">mROI</th></tr></thead>
    <tbody>${rows}</tbody></table>`;
  };
  return `<figure class="card" id="card-market-channels"><h2>Channels over the chosen geos</h2>
    <figcaption>Spend and posterior-mean incremental outcome summed over the geos; ROI is their ratio, mROI the spend-weighted mean of the geos' (the return of the next unit spent pro rata). Means only: intervals of sums need the draws.</figcaption>
    ${selections.map(table).join('\n')}</figure>`;
}

/** The latest request by market: each geo's current and recommended spend, then each pair's. */
function shiftsCard(data: DashboardData, selections: readonly MarketSelection[]): string {
  const { plan } = data.markets;
  const title = '<h2>Recommended shifts between markets</h2>';
  if (plan.length === 0) {
    return `<figure class="card" id="card-market-shifts">${title}
    <p>No optimisation by market has been made for this run (<code>mmm optimize --model ${escapeHtml(data.run.model_id)} --by geo</code> makes one).</p></figure>`;
  }
  const first = plan[0];
  const shifts = marketShifts(plan);
  const geoRows = shifts
    .map(
      (s) =>
        `<tr data-shift-row="${escapeHtml(s.geo)}" ${geoAttributes(s.geo)}><td>${escapeHtml(s.geo)}</td><td>${whole.format(s.currentSpend)}</td>` +
        `<td>${whole.format(s.recommendedSpend)}</td><td>${signedWhole(s.delta)}</td><td>${orDash(s.deltaShare, (v) => signedPercent.format(v))}</td></tr>`,
    )
    .join('');
  const pairRows = plan
    .map(
      (r) =>
        `<tr ${geoAttributes(r.geo)}><td>${escapeHtml(r.geo)}</td><td>${escapeHtml(r.channel)}</td><td>${whole.format(r.current_spend)}</td>` +
        `<td>${whole.format(r.recommended_spend)}</td><td>${signedWhole(r.delta_vs_current)}</td></tr>`,
    )
    .join('');
  const totals = selections
    .map((s) => {
      const inSelection = shifts.filter((shift) => s.geos.includes(shift.geo));
      const current = inSelection.reduce((sum, shift) => sum + shift.currentSpend, 0);
      const recommended = inSelection.reduce((sum, shift) => sum + shift.recommendedSpend, 0);
      return `<p class="shift-total" data-market-selection="${escapeHtml(s.key)}"${s.key === ALL_GEOS ? '' : ' hidden'}>${escapeHtml(s.name)}: ${whole.format(current)} now, ${whole.format(recommended)} recommended (${signedWhole(recommended - current)}).</p>`;
    })
    .join('');
  const method = first.method === 'dp' ? 'exact on the spend grid' : `Lagrangian relaxation, optimality gap ${percent.format(first.gap)}`;
  return `<figure class="card" id="card-market-shifts">${title}
    <figcaption>Spend per geo over the reporting window, now and in the latest plan by market, then per geo and channel.</figcaption>
    <p>Request <code>${escapeHtml(first.request_id)}</code> (${escapeHtml(first.requested_at.slice(0, 16).replace('T', ' '))} UTC, ${escapeHtml(method)}):
    expected outcome ${compact.format(first.outcome_mean)} (90% ${compact.format(first.outcome_p05)}–${compact.format(first.outcome_p95)}),
    <strong>P(beats current) ${percent.format(first.p_beats_current)}</strong>.</p>
    ${totals}
    <table id="market-shifts"><thead><tr><th scope="col">geo</th><th scope="col">current</th><th scope="col">recommended</th><th scope="col">change</th><th scope="col">change %</th></tr></thead>
    <tbody>${geoRows}</tbody></table>
    <details><summary>Per geo and channel</summary>
    <table id="market-shift-pairs"><thead><tr><th scope="col">geo</th><th scope="col">channel</th><th scope="col">current</th><th scope="col">recommended</th><th scope="col">change</th></tr></thead>
    <tbody>${pairRows}</tbody></table></details></figure>`;
}

/** The "Markets" section; `card` draws a chart's figure as the rest of the page does. */
export function marketSection(data: DashboardData, charts: readonly DashboardChart[], card: (chart: DashboardChart) => string): string {
  const heading = '<h2 id="markets-title">Markets</h2>';
  if (data.markets.pairs.length === 0) {
    return `<section id="markets" aria-labelledby="markets-title">${heading}
    <p class="empty">This run's model is national (one series, no geos), so it has no ROI or mROI per market. A geo model's run shows
    each geo and channel here, with the recommended shifts between markets of <code>mmm optimize --by geo</code>.</p></section>`;
  }
  const selections = marketSelections(data.markets);
  const ungrouped =
    data.markets.groups.length === 0
      ? `<p class="note">Geos are not grouped: <code>mmm dashboard --geo-groups FILE</code> (geo,country,region, the layout of the dbt seed <code>geo_groups</code>) adds each country and region to the selector.</p>`
      : '';
  return `<section id="markets" aria-labelledby="markets-title">${heading}
  ${selector(selections)}
  ${ungrouped}
  <div class="grid">
  ${charts.map(card).join('\n')}
  ${channelTables(data, selections)}
  ${shiftsCard(data, selections)}
  ${pairTable(data)}
  </div></section>`;
}
