/**
 * Extract: the long-form input marts (dbt's mmm_input_media, mmm_input_kpi, mmm_input_controls,
 * mmm_input_geos) become the Panel the model consumes. Checks that only long form can make (keys,
 * unknown channels, incomplete KPI weeks, missing rows) run here and name table, key and value; the
 * pivoted observations then go through the same validator as the CSV path (assemblePanel).
 */
import type { Kysely } from 'kysely';
import type { MmmConfig } from '../config/schema.ts';
import { assemblePanel } from '../data/assemble-panel.ts';
import { NATIONAL_GEO, type Observation, type PanelSpec } from '../data/observation.ts';
import { type DataIssue, DataValidationError } from '../data/errors.ts';
import type { Panel } from '../data/panel.ts';
import type { Database, InputControlRow, InputExperimentRow, InputGeoRow, InputKpiRow, InputMart, InputMediaRow } from './tables.ts';

export interface ExtractSpec {
  /** Channels in model order; `media` models the channel on media units instead of spend. */
  channels: { name: string; media: boolean }[];
  /** The KPI of mmm_input_kpi to model (e.g. 'revenue'). */
  kpi: string;
  kpiType: Panel['kpiType'];
  controls: string[];
  /** 'geo': one panel geo per mart geo; 'national': geos summed (controls population-weighted). */
  geoLevel: 'geo' | 'national';
  maxLag: number;
}

export class ExtractConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ExtractConfigError';
  }
}

/** The extract of a model config: channel, KPI and control names are the marts' values. */
export function extractSpecFromConfig(config: MmmConfig): ExtractSpec {
  if (config.data.revenuePerKpi !== null) {
    throw new ExtractConfigError(
      `data.revenuePerKpi '${config.data.revenuePerKpi}' has no column in the marts; ` + "model the KPI 'revenue' of mmm_input_kpi instead",
    );
  }
  return {
    channels: config.data.channels.map((c) => ({ name: c.name, media: c.media !== null })),
    kpi: config.data.kpi,
    kpiType: config.data.kpiType,
    controls: [...config.data.controls],
    geoLevel: config.data.geo === null ? 'national' : 'geo',
    maxLag: config.model.maxLag,
  };
}

export interface MartRows {
  media: InputMediaRow[];
  kpi: InputKpiRow[];
  controls: InputControlRow[];
  geos: InputGeoRow[];
  /** Lift tests; absent from marts extracted before the experiments mart existed. */
  experiments: InputExperimentRow[];
}

/** Reads the marts in key order, so that row numbers in messages are stable. */
export async function readMarts(db: Kysely<Database>): Promise<MartRows> {
  const [media, kpi, controls, geos, experiments] = await Promise.all([
    db.selectFrom('mmm_input_media').selectAll().orderBy('geo').orderBy('week_start').orderBy('channel').execute(),
    db.selectFrom('mmm_input_kpi').selectAll().orderBy('geo').orderBy('week_start').orderBy('kpi').execute(),
    db.selectFrom('mmm_input_controls').selectAll().orderBy('geo').orderBy('week_start').orderBy('control').execute(),
    db.selectFrom('mmm_input_geos').selectAll().orderBy('geo').execute(),
    db.selectFrom('mmm_input_experiments').selectAll().orderBy('experiment_id').execute(),
  ]);
  return { media, kpi, controls, geos, experiments };
}

const key = (...parts: string[]): string => parts.join('\u0000');
const show = (value: number | null | boolean): string => (value === null ? 'NULL' : String(value));
const isNumber = (value: number | null): value is number => value !== null && Number.isFinite(value);

/** Issues of one mart, collected with the table name in every column reference. */
class MartIssues {
  readonly issues: DataIssue[] = [];
  readonly tables = new Set<InputMart>();

  add(
    table: InputMart,
    column: string,
    row: number | undefined,
    where: { geo?: string; date?: string },
    value: string,
    message: string,
  ): void {
    this.tables.add(table);
    this.issues.push({ column: `${table}.${column}`, row, geo: where.geo, date: where.date, value, message });
  }
}

/** Flags every repeated key of a table; returns the first row of each key. `rowNumber` is the row's place in its mart. */
function indexByKey<R>(
  rows: R[],
  rowNumber: Map<R, number>,
  keyOf: (row: R) => string,
  describe: (row: R) => string,
  table: InputMart,
  at: (row: R) => { geo: string; date: string },
  issues: MartIssues,
): Map<string, R> {
  const first = new Map<string, R>();
  for (const row of rows) {
    const k = keyOf(row);
    const earlier = first.get(k);
    if (earlier === undefined) first.set(k, row);
    else
      issues.add(
        table,
        'key',
        rowNumber.get(row),
        at(row),
        describe(row),
        `duplicate key ${describe(row)}: rows ${rowNumber.get(earlier)} and ${rowNumber.get(row)}`,
      );
  }
  return first;
}

/** 1-based row numbers of a mart's rows in key order, for messages. */
const rowNumbers = <R>(rows: R[]): Map<R, number> => new Map(rows.map((row, i) => [row, i + 1]));

/** Long-form checks and the pivot to one observation per geo-week (per week when national). */
export function martsToObservations(marts: MartRows, spec: ExtractSpec): { observations: Observation[]; issues: MartIssues } {
  const issues = new MartIssues();
  const channels = new Set(spec.channels.map((c) => c.name));
  const mediaKey = (r: InputMediaRow) => `(geo='${r.geo}', week_start=${r.week_start}, channel='${r.channel}')`;
  const kpiKey = (r: InputKpiRow) => `(geo='${r.geo}', week_start=${r.week_start}, kpi='${r.kpi}')`;
  const controlKey = (r: InputControlRow) => `(geo='${r.geo}', week_start=${r.week_start}, control='${r.control}')`;
  const at = (r: { geo: string; week_start: string }) => ({ geo: r.geo, date: r.week_start });
  /** A mart value that must be a finite number (and, with `nonNegative`, not below 0), at a row and key the issue names. */
  const checkNumber = (
    table: InputMart,
    column: string,
    value: number | null,
    row: number | undefined,
    where: { geo: string; date: string },
    rowKey: string,
    nonNegative: boolean,
  ): void => {
    if (!isNumber(value))
      issues.add(table, column, row, where, show(value), `${column} is ${show(value)} at key ${rowKey}; expected a finite number`);
    else if (nonNegative && value < 0) issues.add(table, column, row, where, show(value), `negative ${column} ${value} at key ${rowKey}`);
  };

  marts.media.forEach((r, i) => {
    const channel = spec.channels.find((c) => c.name === r.channel);
    if (channel === undefined) {
      issues.add(
        'mmm_input_media',
        'channel',
        i + 1,
        at(r),
        r.channel,
        `unknown channel '${r.channel}' at key ${mediaKey(r)}; the config models ${[...channels].map((c) => `'${c}'`).join(', ')}`,
      );
      return;
    }
    checkNumber('mmm_input_media', 'spend', r.spend, i + 1, at(r), mediaKey(r), true);
    if (channel.media) checkNumber('mmm_input_media', 'media_units', r.media_units, i + 1, at(r), mediaKey(r), true);
  });
  const [mediaRow, kpiRow, controlRow] = [rowNumbers(marts.media), rowNumbers(marts.kpi), rowNumbers(marts.controls)];
  const kpiRows = marts.kpi.filter((r) => r.kpi === spec.kpi);
  kpiRows.forEach((r) => {
    checkNumber('mmm_input_kpi', 'value', r.value, kpiRow.get(r), at(r), kpiKey(r), false);
    if (r.is_complete !== true) {
      issues.add(
        'mmm_input_kpi',
        'is_complete',
        kpiRow.get(r),
        at(r),
        show(r.is_complete),
        `incomplete KPI week at key ${kpiKey(r)}: only ${show(r.days_reported)} of 7 days reported`,
      );
    }
  });
  const controlRows = marts.controls.filter((r) => spec.controls.includes(r.control));
  controlRows.forEach((r) => checkNumber('mmm_input_controls', 'value', r.value, controlRow.get(r), at(r), controlKey(r), false));

  const media = indexByKey(marts.media, mediaRow, (r) => key(r.geo, r.week_start, r.channel), mediaKey, 'mmm_input_media', at, issues);
  const kpi = indexByKey(kpiRows, kpiRow, (r) => key(r.geo, r.week_start), kpiKey, 'mmm_input_kpi', at, issues);
  const controls = indexByKey(
    controlRows,
    controlRow,
    (r) => key(r.geo, r.week_start, r.control),
    controlKey,
    'mmm_input_controls',
    at,
    issues,
  );
  const population = new Map(marts.geos.map((g) => [g.geo, g.population]));

  if (kpiRows.length === 0) {
    issues.add(
      'mmm_input_kpi',
      'kpi',
      undefined,
      {},
      spec.kpi,
      `no rows for KPI '${spec.kpi}'; found KPIs ${[...new Set(marts.kpi.map((r) => `'${r.kpi}'`))].join(', ') || 'none'}`,
    );
  }
  for (const control of spec.controls) {
    if (!controlRows.some((r) => r.control === control))
      issues.add('mmm_input_controls', 'control', undefined, {}, control, `no rows for control '${control}'`);
  }

  // The KPI rows define the panel's geo-weeks; every channel and control must have a row for each.
  const cells = [...kpi.values()].map((k) => {
    const where = at(k);
    const spend: number[] = [];
    const units: number[] = [];
    for (const channel of spec.channels) {
      const row = media.get(key(k.geo, k.week_start, channel.name));
      if (row === undefined) {
        issues.add(
          'mmm_input_media',
          'key',
          undefined,
          where,
          '',
          `missing row for key (geo='${k.geo}', week_start=${k.week_start}, channel='${channel.name}')`,
        );
      }
      spend.push(row?.spend ?? Number.NaN);
      units.push((channel.media ? row?.media_units : row?.spend) ?? Number.NaN);
    }
    const controlValues = spec.controls.map((control) => {
      const row = controls.get(key(k.geo, k.week_start, control));
      if (row === undefined) {
        issues.add(
          'mmm_input_controls',
          'key',
          undefined,
          where,
          '',
          `missing row for key (geo='${k.geo}', week_start=${k.week_start}, control='${control}')`,
        );
      }
      return row?.value ?? Number.NaN;
    });
    const pop = population.get(k.geo);
    if (pop === undefined || !isNumber(pop) || pop <= 0) {
      issues.add(
        'mmm_input_geos',
        'population',
        undefined,
        where,
        show(pop ?? null),
        `geo '${k.geo}' needs a positive population in mmm_input_geos, found ${show(pop ?? null)}`,
      );
    }
    return {
      geo: k.geo,
      date: k.week_start,
      kpi: k.value ?? Number.NaN,
      spend,
      media: units,
      controls: controlValues,
      population: pop ?? Number.NaN,
    };
  });

  if (spec.geoLevel === 'geo') {
    return {
      observations: cells.map((c, i) => ({ ...c, row: i + 1, revenuePerKpi: null })),
      issues,
    };
  }
  // National: sums of KPI, spend and media over geos; controls weighted by population.
  const weeks = [...new Set(cells.map((c) => c.date))].sort();
  const observations = weeks.map((date, t) => {
    const inWeek = cells.filter((c) => c.date === date);
    const total = inWeek.reduce((sum, c) => sum + c.population, 0);
    const sum = (pick: (c: (typeof cells)[number]) => number) => inWeek.reduce((s, c) => s + pick(c), 0);
    return {
      geo: NATIONAL_GEO,
      date,
      row: t + 1,
      population: 1,
      revenuePerKpi: null,
      kpi: sum((c) => c.kpi),
      spend: spec.channels.map((_, ch) => sum((c) => c.spend[ch])),
      media: spec.channels.map((_, ch) => sum((c) => c.media[ch])),
      controls: spec.controls.map((_, k) => sum((c) => c.controls[k] * c.population) / total),
    };
  });
  return { observations, issues };
}

/** How the marts' columns appear in the shared validator's messages. */
export function martPanelSpec(spec: ExtractSpec): PanelSpec {
  return {
    source: 'warehouse marts (mmm_input_media, mmm_input_kpi, mmm_input_controls)',
    channels: spec.channels.map((c) => c.name),
    controlNames: [...spec.controls],
    kpiType: spec.kpiType,
    maxLag: spec.maxLag,
    columns: {
      date: 'week_start',
      geo: spec.geoLevel === 'geo' ? 'geo' : null,
      kpi: `mmm_input_kpi.value[kpi='${spec.kpi}']`,
      spend: spec.channels.map((c) => `mmm_input_media.spend[channel='${c.name}']`),
      media: spec.channels.map((c) => (c.media ? `mmm_input_media.media_units[channel='${c.name}']` : null)),
      controls: spec.controls.map((k) => `mmm_input_controls.value[control='${k}']`),
      population: spec.geoLevel === 'geo' ? 'mmm_input_geos.population' : null,
      revenuePerKpi: null,
    },
  };
}

/** Validates mart rows into a Panel; throws DataValidationError naming table, key and value. */
export function panelFromMarts(marts: MartRows, spec: ExtractSpec): Panel {
  const { observations, issues } = martsToObservations(marts, spec);
  if (issues.issues.length > 0) throw new DataValidationError([...issues.tables].sort().join(', '), issues.issues);
  return assemblePanel(observations, martPanelSpec(spec));
}

/** Reads and validates the marts into a Panel. */
export async function extractPanel(db: Kysely<Database>, spec: ExtractSpec): Promise<Panel> {
  return panelFromMarts(await readMarts(db), spec);
}
