/**
 * Experiments checked against the data and resolved to the model's indices (DESIGN.md section 9,
 * "Experiments"; docs/model.md, "Experiments"). Every refusal names the experiment (and its CSV or mart row
 * when known) and says what to change; all problems are reported at once.
 *
 * Window: the weeks of the data that contain the test's start and end dates (weeks begin on the data's week
 * dates); the outcome is counted from the first of them to the last plus the adstock length (maxLag weeks),
 * where the carry-over of the window's spend ends, clipped at the data's end.
 *
 * Counterfactual: the channel's spend in the window and geo(s) scaled to `counterfactualSpend` (its weekly
 * flighting and cost per media unit kept, as the decision layer's counterfactuals; DESIGN.md section 4).
 */
import type { Experiment } from '../config/experiment-config.ts';
import type { MediaPrior, MmmConfig } from '../config/schema.ts';
import { DataValidationError, type DataIssue } from './errors.ts';
import type { Panel } from './panel.ts';

/**
 * How far the experiment's stated spend may differ from the data's spend of the channel in its window and
 * geo(s), relative to the data's: platform-reported and invoiced spend, currency conversion and weeks cut at
 * the window's edges differ by a few percent; a larger gap means the test and the data describe different
 * spend (another window, geo or channel mapping).
 */
export const EXPERIMENT_SPEND_TOLERANCE = 0.05;

/** One experiment in the model's indices. */
export interface ModelExperiment {
  id: string;
  channel: number;
  /** Geo indices the test covers (every geo for a national test). */
  geos: number[];
  /** Weeks [start, end) of the test window. */
  start: number;
  end: number;
  /** End (exclusive) of the weeks whose outcome counts: end + maxLag, at most T. */
  outcomeEnd: number;
  /** Counterfactual spend / the data's spend in the window: the factor on the window's media. */
  counterfactualRatio: number;
  estimate: number;
  standardError: number;
}

/** What resolution needs of each channel: its name and prior (a windowed ROI prior is a test counted already). */
export interface ExperimentChannel {
  name: string;
  prior: MediaPrior;
}

/** The week (index into dates) containing `date`: the last week starting on or before it; -1 before the first. */
function weekContaining(dates: readonly string[], date: string): number {
  let found = -1;
  for (let t = 0; t < dates.length; t++) if (dates[t] <= date) found = t;
  return found;
}

const addDays = (date: string, days: number): string => {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
};

/** The outcome the model's implied incremental outcome is in: revenue when the KPI is revenue or is converted to it. */
export function modelOutcomeType(panel: Panel): 'revenue' | 'kpi' {
  return panel.kpiType === 'revenue' || panel.revenuePerKpi !== null ? 'revenue' : 'kpi';
}

/**
 * Checks the experiments against the panel and the channels' priors and resolves them; throws one
 * DataValidationError listing every problem. `rows[i]` is experiment i's CSV line or mart row, for messages.
 */
export function resolveExperiments(
  experiments: readonly Experiment[],
  panel: Panel,
  channels: readonly ExperimentChannel[],
  options: { maxLag: number; national: boolean; source?: string; rows?: readonly number[] },
): ModelExperiment[] {
  const { maxLag, national } = options;
  const G = panel.geos.length;
  const T = panel.dates.length;
  const C = panel.channels.length;
  const issues: DataIssue[] = [];
  const resolved: ModelExperiment[] = [];
  const lastDay = addDays(panel.dates[T - 1], 6);
  const seen = new Map<string, number>();
  experiments.forEach((experiment, i) => {
    const row = options.rows?.[i];
    const name = `experiment '${experiment.id}'`;
    const refuse = (column: string, value: string, message: string) => issues.push({ column, row, value, message: `${name}: ${message}` });
    const earlier = seen.get(experiment.id);
    if (earlier !== undefined) {
      const where = options.rows?.[earlier];
      refuse(
        'experiment_id',
        experiment.id,
        `the id is used twice${where === undefined ? '' : ` (also row ${where})`}; ids must be unique`,
      );
    }
    seen.set(experiment.id, i);
    const c = channels.findIndex((channel) => channel.name === experiment.channel);
    if (c === -1) {
      refuse(
        'channel',
        experiment.channel,
        `unknown channel '${experiment.channel}'; the model has ${channels.map((ch) => `'${ch.name}'`).join(', ')}`,
      );
    }
    let geos: number[] = Array.from({ length: G }, (_, g) => g);
    if (experiment.geo !== null) {
      if (national) {
        refuse(
          'geo',
          experiment.geo,
          `a test in geo '${experiment.geo}' cannot calibrate a national model; leave geo empty for a national test, or fit the geo model`,
        );
        geos = [];
      } else {
        const g = panel.geos.indexOf(experiment.geo);
        if (g === -1) {
          const listed = panel.geos
            .slice(0, 6)
            .map((geo) => `'${geo}'`)
            .join(', ');
          refuse('geo', experiment.geo, `unknown geo '${experiment.geo}'; the data's geos are ${listed}${G > 6 ? `, ... (${G})` : ''}`);
        }
        geos = g === -1 ? [] : [g];
      }
    }
    const start = weekContaining(panel.dates, experiment.start);
    const endWeek = weekContaining(panel.dates, experiment.end);
    if (start === -1 || experiment.end > lastDay) {
      refuse(
        'start',
        `${experiment.start}..${experiment.end}`,
        `window ${experiment.start}..${experiment.end} is outside the data (${panel.dates[0]}..${lastDay})`,
      );
    }
    const outcomeType = modelOutcomeType(panel);
    if (experiment.outcomeType !== undefined && experiment.outcomeType !== outcomeType) {
      refuse(
        'outcome_type',
        experiment.outcomeType,
        `outcome type '${experiment.outcomeType}' differs from the model's outcome ('${outcomeType}'); convert the estimate`,
      );
    }
    if (c === -1 || geos.length === 0 || start === -1 || experiment.end > lastDay) return;
    const end = endWeek + 1;
    const prior = channels[c].prior;
    if (prior.type === 'roi' && prior.window && prior.window.start <= experiment.end && experiment.start <= prior.window.end) {
      refuse(
        'start',
        `${experiment.start}..${experiment.end}`,
        `window ${experiment.start}..${experiment.end} overlaps the ROI prior window ${prior.window.start}..${prior.window.end} of channel '${experiment.channel}' ` +
          '(data.channels[].prior.window): the same test would count twice; drop the ROI prior window or the experiment',
      );
      return;
    }
    let dataSpend = 0;
    for (const g of geos) for (let t = start; t < end; t++) dataSpend += panel.spend[(g * T + t) * C + c];
    if (!(dataSpend > 0)) {
      refuse(
        'spend',
        String(experiment.spend),
        `the data hold no spend of '${experiment.channel}' in the window, so there is nothing the test could have changed`,
      );
      return;
    }
    const gap = Math.abs(experiment.spend - dataSpend) / dataSpend;
    if (gap > EXPERIMENT_SPEND_TOLERANCE) {
      refuse(
        'spend',
        String(experiment.spend),
        `spend ${experiment.spend} differs from the data's ${dataSpend.toFixed(2)} for '${experiment.channel}' in the window ` +
          `by ${(100 * gap).toFixed(1)}% (tolerance ${100 * EXPERIMENT_SPEND_TOLERANCE}%); check the window, geo and channel`,
      );
      return;
    }
    resolved.push({
      id: experiment.id,
      channel: c,
      geos,
      start,
      end,
      outcomeEnd: Math.min(T, end + maxLag),
      counterfactualRatio: experiment.counterfactualSpend / dataSpend,
      estimate: experiment.incrementalOutcome,
      standardError: experiment.standardError,
    });
  });
  if (issues.length > 0) throw new DataValidationError(options.source ?? 'experiments', issues);
  return resolved;
}

/** Experiments resolved from a config's `experiments` list (ModelData.experiments). */
export function configExperiments(panel: Panel, config: MmmConfig, channels: readonly ExperimentChannel[]): ModelExperiment[] {
  return resolveExperiments(config.experiments, panel, channels, { maxLag: config.model.maxLag, national: config.data.geo === null });
}
