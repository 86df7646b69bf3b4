/**
 * Semantic checks of model input, shared by every data source. Each check adds issues that name
 * the source column, row and value; nothing stops at the first problem so that one run shows all.
 */
import type { Observation, PanelSpec } from './observation.ts';
import { describeDateFormat } from './date-format.ts';
import { dayNumber, normaliseDate } from './dates.ts';
import type { DataIssue } from './errors.ts';

const DAYS_PER_WEEK = 7;
/** How many missing dates of one geo are spelled out before the rest are counted. */
const LISTED_MISSING_DATES = 5;

/** The fewest weeks that identify adstock: two full lag windows plus room for the baseline. */
export const minimumPeriods = (maxLag: number): number => 2 * maxLag + 10;

/** A numeric field of an observation together with the source column it came from. */
interface NumericCell {
  column: string;
  value: number;
  kind: 'kpi' | 'spend' | 'media' | 'control' | 'population' | 'revenuePerKpi';
}

/** Every problem with the observations, in source order within each check; empty when the data is usable. */
export function findPanelIssues(observations: Observation[], spec: PanelSpec): DataIssue[] {
  assertObservationShape(observations, spec);
  const dates = observations.map((obs) => normaliseDate(obs.date));
  return [
    ...rowIssues(observations, dates, spec),
    ...duplicateIssues(observations, dates, spec),
    ...populationConsistencyIssues(observations, spec),
    ...calendarIssues(observations, dates, spec),
    ...constantKpiIssues(observations, spec),
    ...channelTotalIssues(observations, spec),
    ...constantControlIssues(observations, spec),
  ];
}

function assertObservationShape(observations: Observation[], spec: PanelSpec): void {
  const C = spec.channels.length;
  const K = spec.controlNames.length;
  for (const obs of observations) {
    if (obs.spend.length !== C || obs.media.length !== C || obs.controls.length !== K) {
      throw new RangeError(
        `${spec.source}: row ${obs.row} has ${obs.spend.length} spend, ${obs.media.length} media and ` +
          `${obs.controls.length} control values; the spec has ${C} channels and ${K} controls`,
      );
    }
  }
}

function numericCells(obs: Observation, spec: PanelSpec): NumericCell[] {
  const { columns } = spec;
  const cells: NumericCell[] = [{ column: columns.kpi, value: obs.kpi, kind: 'kpi' }];
  columns.spend.forEach((column, c) => cells.push({ column, value: obs.spend[c], kind: 'spend' }));
  columns.media.forEach((column, c) => {
    if (column !== null) cells.push({ column, value: obs.media[c], kind: 'media' });
  });
  columns.controls.forEach((column, k) => cells.push({ column, value: obs.controls[k], kind: 'control' }));
  if (columns.population !== null) cells.push({ column: columns.population, value: obs.population, kind: 'population' });
  if (columns.revenuePerKpi !== null) {
    cells.push({ column: columns.revenuePerKpi, value: obs.revenuePerKpi ?? Number.NaN, kind: 'revenuePerKpi' });
  }
  return cells;
}

/** Checks that need one row only: geo and date present and readable, numbers finite and in range. */
export function rowIssues(observations: Observation[], dates: (string | null)[], spec: PanelSpec): DataIssue[] {
  const issues: DataIssue[] = [];
  const { columns } = spec;
  observations.forEach((obs, i) => {
    const date = dates[i] ?? undefined;
    const geo = columns.geo === null ? undefined : obs.geo;
    const at = { row: obs.row, geo, date };
    if (columns.geo !== null && obs.geo.trim() === '') {
      issues.push({ ...at, column: columns.geo, value: obs.geo, message: 'missing geo' });
    }
    if (dates[i] === null) {
      issues.push({
        ...at,
        column: columns.date,
        value: obs.date,
        message: `unparseable date '${obs.date}' (expected ${describeDateFormat(spec.dateFormat ?? 'YYYY-MM-DD')})`,
      });
    }
    for (const cell of numericCells(obs, spec)) {
      const text = spec.cellText?.(obs.row, cell.column) ?? String(cell.value);
      const problem = cellProblem(cell, text);
      if (problem !== null) issues.push({ ...at, column: cell.column, value: text, message: problem });
    }
  });
  return issues;
}

function cellProblem(cell: NumericCell, text: string): string | null {
  if (!Number.isFinite(cell.value)) return text.trim() === '' ? 'missing value' : `not a finite number: '${text}'`;
  switch (cell.kind) {
    case 'spend':
      return cell.value < 0 ? `negative spend ${text}` : null;
    case 'media':
      return cell.value < 0 ? `negative media units ${text}` : null;
    case 'population':
      return cell.value <= 0 ? `population must be positive, got ${text}` : null;
    case 'revenuePerKpi':
      return cell.value <= 0 ? `revenue per KPI must be positive, got ${text}` : null;
    case 'kpi':
      // As the warehouse path's dbt test (non_negative on mmm_input_kpi.value): revenue and counts are never negative.
      return cell.value < 0 ? `negative KPI ${text}` : null;
    case 'control':
      return null;
  }
}

export function duplicateIssues(observations: Observation[], dates: (string | null)[], spec: PanelSpec): DataIssue[] {
  const issues: DataIssue[] = [];
  const firstRow = new Map<string, number>();
  const national = spec.columns.geo === null;
  observations.forEach((obs, i) => {
    const date = dates[i];
    if (date === null) return;
    const key = `${obs.geo}\u0000${date}`;
    const earlier = firstRow.get(key);
    if (earlier === undefined) {
      firstRow.set(key, obs.row);
      return;
    }
    issues.push(
      national
        ? {
            column: spec.columns.date,
            row: obs.row,
            date,
            message: `duplicate date ${date}: rows ${earlier} and ${obs.row}; national data needs one row per date`,
          }
        : {
            column: spec.columns.date,
            row: obs.row,
            geo: obs.geo,
            date,
            message: `duplicate row for geo '${obs.geo}' and date ${date}: rows ${earlier} and ${obs.row}`,
          },
    );
  });
  return issues;
}

/** Population is a property of the geo, so it must not change over time. */
function populationConsistencyIssues(observations: Observation[], spec: PanelSpec): DataIssue[] {
  const column = spec.columns.population;
  if (column === null) return [];
  const first = new Map<string, Observation>();
  const reported = new Set<string>();
  const issues: DataIssue[] = [];
  for (const obs of observations) {
    if (!Number.isFinite(obs.population)) continue;
    const seen = first.get(obs.geo);
    if (seen === undefined) {
      first.set(obs.geo, obs);
    } else if (seen.population !== obs.population && !reported.has(obs.geo)) {
      reported.add(obs.geo);
      issues.push({
        column,
        row: obs.row,
        geo: obs.geo,
        date: normaliseDate(obs.date) ?? undefined,
        value: spec.cellText?.(obs.row, column) ?? String(obs.population),
        message:
          `population varies within geo '${obs.geo}': ${seen.population} on row ${seen.row}, ` + `${obs.population} on row ${obs.row}`,
      });
    }
  }
  return issues;
}

/** Weekly cadence of the distinct dates, the same weeks for every geo, and enough weeks for the lag window. */
function calendarIssues(observations: Observation[], dates: (string | null)[], spec: PanelSpec): DataIssue[] {
  const issues: DataIssue[] = [];
  const column = spec.columns.date;
  const firstRowOfDate = new Map<string, number>();
  const datesOfGeo = new Map<string, Set<string>>();
  observations.forEach((obs, i) => {
    const date = dates[i];
    if (date === null) return;
    if (!firstRowOfDate.has(date)) firstRowOfDate.set(date, obs.row);
    const geoDates = datesOfGeo.get(obs.geo) ?? new Set<string>();
    geoDates.add(date);
    datesOfGeo.set(obs.geo, geoDates);
  });
  const allDates = [...firstRowOfDate.keys()].sort();

  for (let t = 1; t < allDates.length; t += 1) {
    const gap = dayNumber(allDates[t]) - dayNumber(allDates[t - 1]);
    if (gap !== DAYS_PER_WEEK) {
      issues.push({
        column,
        row: firstRowOfDate.get(allDates[t]),
        date: allDates[t],
        message: `${allDates[t]} is ${gap} days after the previous date ${allDates[t - 1]}; weekly data needs exactly 7`,
      });
    }
  }

  if (spec.columns.geo !== null) {
    for (const [geo, geoDates] of datesOfGeo) {
      const missing = allDates.filter((date) => !geoDates.has(date));
      if (missing.length === 0) continue;
      const shown = missing.slice(0, LISTED_MISSING_DATES).join(', ');
      const more = missing.length > LISTED_MISSING_DATES ? `, ... (${missing.length - LISTED_MISSING_DATES} more)` : '';
      issues.push({
        column: spec.columns.geo,
        geo,
        date: missing[0],
        message: `geo '${geo}' has no row for ${missing.length} of the ${allDates.length} dates other geos have: ${shown}${more}`,
      });
    }
  }

  const needed = minimumPeriods(spec.maxLag);
  if (allDates.length < needed) {
    issues.push({
      column,
      message: `only ${allDates.length} weekly periods; maxLag ${spec.maxLag} needs at least ${needed} (2 x maxLag + 10)`,
    });
  }
  return issues;
}

function constantKpiIssues(observations: Observation[], spec: PanelSpec): DataIssue[] {
  const values = observations.map((obs) => obs.kpi).filter(Number.isFinite);
  if (values.length === 0 || values.some((value) => value !== values[0])) return [];
  return [
    {
      column: spec.columns.kpi,
      value: String(values[0]),
      message: `the KPI is constant (every value is ${values[0]}); there is no variation to explain`,
    },
  ];
}

/** A channel that never spends has no response to learn and no median to scale by. */
function channelTotalIssues(observations: Observation[], spec: PanelSpec): DataIssue[] {
  const issues: DataIssue[] = [];
  const total = (pick: (obs: Observation) => number) =>
    observations.reduce((sum, obs) => (Number.isFinite(pick(obs)) ? sum + pick(obs) : sum), 0);
  spec.channels.forEach((channel, c) => {
    if (total((obs) => obs.spend[c]) === 0) {
      issues.push({ column: spec.columns.spend[c], value: '0', message: `channel '${channel}' has zero total spend` });
    }
    const mediaColumn = spec.columns.media[c];
    if (mediaColumn !== null && total((obs) => obs.media[c]) === 0) {
      issues.push({ column: mediaColumn, value: '0', message: `channel '${channel}' has zero total media units` });
    }
  });
  return issues;
}

/** Controls are standardised, which a constant column would divide by zero. */
function constantControlIssues(observations: Observation[], spec: PanelSpec): DataIssue[] {
  const issues: DataIssue[] = [];
  spec.controlNames.forEach((name, k) => {
    const values = observations.map((obs) => obs.controls[k]).filter(Number.isFinite);
    if (values.length > 0 && values.every((value) => value === values[0])) {
      issues.push({
        column: spec.columns.controls[k],
        value: String(values[0]),
        message: `control '${name}' is constant (every value is ${values[0]}); it cannot be standardised`,
      });
    }
  });
  return issues;
}
