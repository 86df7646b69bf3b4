/**
 * The validated geo x time x channel panel the model consumes. Produced by the CSV path
 * (src/data/load-fit-inputs.ts) and by the warehouse extract, both through `assemblePanel`, which validates.
 * Arrays are flat, row-major: kpi[g*T + t], spend[(g*T + t)*C + c], controls[(g*T + t)*K + k].
 */
export interface Panel {
  geos: string[];
  /** ISO dates (yyyy-mm-dd) of consecutive weeks. */
  dates: string[];
  channels: string[];
  controlNames: string[];
  kpiType: 'revenue' | 'non_revenue';
  kpi: Float64Array;
  /** Spend in currency, G*T*C. */
  spend: Float64Array;
  /** Media units the response is modelled on (equal to spend when the channel has no media column), G*T*C. */
  media: Float64Array;
  controls: Float64Array;
  /** Population per geo (1 for a national model), length G. */
  population: Float64Array;
  /** Revenue per KPI unit, G*T; null when the KPI is revenue or no revenue-per-KPI column is given. */
  revenuePerKpi: Float64Array | null;
}

export const panelDims = (p: Panel) => ({
  G: p.geos.length,
  T: p.dates.length,
  C: p.channels.length,
  K: p.controlNames.length,
});

/** The panel's first `weeks` weeks, every geo: the data a fit sees when the weeks after are held out. */
export function leadingWeeks(panel: Panel, weeks: number): Panel {
  const { G, T, C, K } = panelDims(panel);
  if (!(Number.isInteger(weeks) && weeks >= 1 && weeks <= T)) throw new RangeError(`cannot keep the first ${weeks} of ${T} weeks`);
  // Series are geo-major, then week, then the row's `width` values (channels, controls).
  const rows = (series: Float64Array, width: number): Float64Array => {
    const out = new Float64Array(G * weeks * width);
    for (let g = 0; g < G; g++) out.set(series.subarray(g * T * width, (g * T + weeks) * width), g * weeks * width);
    return out;
  };
  return {
    ...panel,
    dates: panel.dates.slice(0, weeks),
    kpi: rows(panel.kpi, 1),
    spend: rows(panel.spend, C),
    media: rows(panel.media, C),
    controls: rows(panel.controls, K),
    revenuePerKpi: panel.revenuePerKpi && rows(panel.revenuePerKpi, 1),
  };
}
