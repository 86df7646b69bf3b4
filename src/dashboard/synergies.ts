/**
 * The dashboard's synergies card (issue 16, scope 4): the synergy pairs of the current run's model
 * (model.interactions), read from its mmm_interactions rows (sql/shared/V005__interactions.sql), each with
 * its coefficient theta, the term's own incremental outcome over the data window, P(theta > 0) and what the
 * data say about it. The wording follows theta's 90% interval, the interval the synergy recovery benchmark
 * judges (docs/model.md, "Synergies"): an interval above zero is a synergy the data show, below zero a
 * cannibalisation, across zero neither (the term then only widens the channels' intervals).
 */
import type { z } from 'zod';
import type { Warehouse } from '../warehouse/warehouse.ts';
import { RUN_TABLES } from '../warehouse/tables.ts';
import { compact, escapeHtml, percent } from './page-format.ts';

export const synergyRowSchema = RUN_TABLES.mmm_interactions.schema;
export type SynergyRow = z.infer<typeof synergyRowSchema>;

/** The run's synergy pairs by channel names; empty when its model has none. */
export async function loadSynergies(warehouse: Warehouse, runId: string): Promise<unknown[]> {
  return warehouse.db
    .selectFrom('mmm_interactions')
    .selectAll()
    .where('run_id', '=', runId)
    .orderBy('channel_a')
    .orderBy('channel_b')
    .execute();
}

/** What the data say about a pair, from theta's 90% interval and P(theta > 0). */
export function synergyEvidence(row: SynergyRow): { kind: 'synergy' | 'cannibalisation' | 'not-shown'; text: string } {
  const pair = `${row.channel_a} and ${row.channel_b}`;
  if (row.theta_p05 > 0) {
    return { kind: 'synergy', text: `synergy shown: ${pair} amplify each other (the 90% interval of theta is above zero)` };
  }
  if (row.theta_p95 < 0) {
    return {
      kind: 'cannibalisation',
      text: `cannibalisation shown: ${pair} take from each other (the 90% interval of theta is below zero)`,
    };
  }
  return {
    kind: 'not-shown',
    text: `not shown by the data: the 90% interval of theta includes zero (P(theta > 0) ${percent.format(row.p_positive)})`,
  };
}

const theta = (v: number): string => v.toPrecision(3);

/** The card: one row per pair, or what to configure when the model has none. */
export function synergyCard(rows: readonly SynergyRow[]): string {
  const body =
    rows.length === 0
      ? '<p>The model of this run has no synergy pairs (<code>model.interactions</code>, e.g. <code>[["tv", "search"]]</code>, adds them).</p>'
      : `<table id="synergies"><thead><tr><th scope="col">pair</th><th scope="col">theta (90%)</th><th scope="col">incremental outcome (90%)</th><th scope="col">P(theta &gt; 0)</th><th scope="col">evidence</th></tr></thead>
    <tbody>${rows
      .map((row) => {
        const evidence = synergyEvidence(row);
        return (
          `<tr data-synergy-row="${escapeHtml(`${row.channel_a}|${row.channel_b}`)}" class="${evidence.kind}">` +
          `<td>${escapeHtml(row.channel_a)} × ${escapeHtml(row.channel_b)}</td>` +
          `<td>${theta(row.theta_mean)} (${theta(row.theta_p05)} to ${theta(row.theta_p95)})</td>` +
          `<td>${compact.format(row.incremental_outcome_mean)} (${compact.format(row.incremental_outcome_p05)} to ${compact.format(row.incremental_outcome_p95)})</td>` +
          `<td>${percent.format(row.p_positive)}</td><td class="synergy-evidence">${escapeHtml(evidence.text)}</td></tr>`
        );
      })
      .join('')}</tbody></table>`;
  return `<figure class="card wide" id="card-synergies"><h2>Synergies</h2>
    <figcaption>Pairs of channels modelled to amplify (or cannibalise) each other: theta in KPI standard deviations per unit of both channels' saturated media; the term's own incremental outcome over the data window (each channel's contribution holds half of it).</figcaption>
    ${body}
  </figure>`;
}
