/**
 * What a panel records over a range of periods [tStart, tEnd), summed over geos, in the units the
 * analysis reports: the outcome (revenue when the KPI is revenue or a revenue-per-KPI column exists,
 * else KPI units) and spend per channel in currency.
 */
import { panelDims, type Panel } from '../data/panel.ts';

export type OutcomeUnits = 'revenue' | 'kpi';

export const outcomeUnits = (panel: Panel): OutcomeUnits => (panel.kpiType === 'revenue' || panel.revenuePerKpi ? 'revenue' : 'kpi');

/** sum_g sum_{t in [tStart, tEnd)} kpi(g,t) x revenuePerKpi(g,t) (revenuePerKpi = 1 when absent). */
export function observedOutcomeTotal(panel: Panel, tStart = 0, tEnd = panel.dates.length): number {
  const { G, T } = panelDims(panel);
  let total = 0;
  for (let g = 0; g < G; g++) {
    for (let t = tStart; t < tEnd; t++) total += panel.kpi[g * T + t] * (panel.revenuePerKpi ? panel.revenuePerKpi[g * T + t] : 1);
  }
  return total;
}

/** spend_c = sum_g sum_{t in [tStart, tEnd)} spend(g,t,c). */
export function channelSpendTotals(panel: Panel, tStart = 0, tEnd = panel.dates.length): Float64Array {
  const { G, T, C } = panelDims(panel);
  const spend = new Float64Array(C);
  for (let g = 0; g < G; g++) {
    for (let t = tStart; t < tEnd; t++) for (let c = 0; c < C; c++) spend[c] += panel.spend[(g * T + t) * C + c];
  }
  return spend;
}

/** spend_gc = sum_{t in [tStart, tEnd)} spend(g,t,c), G x C. */
export function pairSpendTotals(panel: Panel, tStart = 0, tEnd = panel.dates.length): Float64Array {
  const { G, T, C } = panelDims(panel);
  const spend = new Float64Array(G * C);
  for (let g = 0; g < G; g++) {
    for (let t = tStart; t < tEnd; t++) for (let c = 0; c < C; c++) spend[g * C + c] += panel.spend[(g * T + t) * C + c];
  }
  return spend;
}
