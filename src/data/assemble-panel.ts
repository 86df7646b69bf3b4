/**
 * Turns source-neutral observations (one geo-week each) into the dense Panel the model consumes.
 * The CSV reader and the warehouse extract both produce Observations so that one validator
 * (validate-panel.ts) guards every way data enters the model.
 */
import type { MmmConfig } from '../config/schema.ts';
import { normaliseDate } from './dates.ts';
import { DataValidationError } from './errors.ts';
import type { Observation, PanelSpec } from './observation.ts';
import type { Panel } from './panel.ts';
import { findPanelIssues } from './validate-panel.ts';

/** The spec of data laid out as the config describes, under the config's column names. */
export function panelSpecFromConfig(config: MmmConfig, source: string): PanelSpec {
  const { data } = config;
  return {
    source,
    channels: data.channels.map((channel) => channel.name),
    controlNames: [...data.controls],
    kpiType: data.kpiType,
    maxLag: config.model.maxLag,
    columns: {
      date: data.date,
      geo: data.geo,
      kpi: data.kpi,
      spend: data.channels.map((channel) => channel.spend),
      media: data.channels.map((channel) => channel.media),
      controls: [...data.controls],
      population: data.population,
      revenuePerKpi: data.revenuePerKpi,
    },
  };
}

/**
 * Validates the observations and lays them out as a Panel: geos in order of first appearance,
 * dates ascending. Throws DataValidationError listing every problem found.
 */
export function assemblePanel(observations: Observation[], spec: PanelSpec): Panel {
  const issues = findPanelIssues(observations, spec);
  if (issues.length > 0) throw new DataValidationError(spec.source, issues);

  const geos = [...new Set(observations.map((obs) => obs.geo))];
  const isoDates = observations.map((obs) => normaliseDate(obs.date) as string);
  const dates = [...new Set(isoDates)].sort();
  const geoIndex = new Map(geos.map((geo, g) => [geo, g]));
  const dateIndex = new Map(dates.map((date, t) => [date, t]));
  const G = geos.length;
  const T = dates.length;
  const C = spec.channels.length;
  const K = spec.controlNames.length;

  const kpi = new Float64Array(G * T);
  const spend = new Float64Array(G * T * C);
  const media = new Float64Array(G * T * C);
  const controls = new Float64Array(G * T * K);
  const population = new Float64Array(G);
  const revenuePerKpi = spec.columns.revenuePerKpi === null ? null : new Float64Array(G * T);

  observations.forEach((obs, i) => {
    const g = geoIndex.get(obs.geo) as number;
    const cell = g * T + (dateIndex.get(isoDates[i]) as number);
    kpi[cell] = obs.kpi;
    spend.set(obs.spend, cell * C);
    media.set(obs.media, cell * C);
    controls.set(obs.controls, cell * K);
    population[g] = obs.population;
    if (revenuePerKpi !== null) revenuePerKpi[cell] = obs.revenuePerKpi as number;
  });

  return {
    geos,
    dates,
    channels: [...spec.channels],
    controlNames: [...spec.controlNames],
    kpiType: spec.kpiType,
    kpi,
    spend,
    media,
    controls,
    population,
    revenuePerKpi,
  };
}
